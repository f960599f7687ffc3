package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
	"newsdigest/internal/taxonomy"
	"newsdigest/internal/token"
)

// benchCountries are the 30 countries of the seeded list, most popular
// first: the first user's desk covers Mexico, Central America and the
// Caribbean, and a few neighbours.
var benchCountries = []string{
	"MX", "GT", "HN", "SV", "US", "CR", "PA", "HT", "DO", "CO",
	"VE", "NI", "CU", "JM", "BZ", "CA", "EC", "TT", "BS", "GY",
	"BB", "PE", "BR", "SR", "GD", "LC", "VC", "AG", "DM", "KN",
}

// zipf picks indexes 0..n-1 with weight 1/(i+1)^s: a few choices very
// popular, a long tail of rare ones, as interest in countries and topics is.
type zipf struct{ cum []float64 }

func newZipf(n int, s float64) zipf {
	z := zipf{cum: make([]float64, n)}
	total := 0.0
	for i := range n {
		total += 1 / math.Pow(float64(i+1), s)
		z.cum[i] = total
	}
	for i := range z.cum {
		z.cum[i] /= total
	}
	return z
}

func (z zipf) next(r *rand.Rand) int {
	i, _ := slices.BinarySearch(z.cum, r.Float64())
	return min(i, len(z.cum)-1)
}

// distinct picks k different entries of from, sorted as Filter.Normalize
// stores them.
func (z zipf) distinct(r *rand.Rand, from []string, k int) []string {
	out := make([]string, 0, k)
	for len(out) < k {
		if v := from[z.next(r)]; !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

// weighted picks 0, 1, 2, … with the given probabilities (summing to 1).
func weighted(r *rand.Rand, p ...float64) int {
	x := r.Float64()
	for i, pi := range p {
		if x < pi {
			return i
		}
		x -= pi
	}
	return len(p) - 1
}

var (
	firstNames = []string{"ana", "luis", "maria", "jose", "carmen", "juan", "sofia", "carlos", "lucia", "miguel",
		"emma", "james", "olivia", "david", "grace", "marie", "jean", "rosa", "pedro", "elena"}
	lastNames = []string{"garcia", "lopez", "martinez", "hernandez", "gonzalez", "perez", "rodriguez", "smith",
		"brown", "joseph", "pierre", "campbell", "ramirez", "flores", "morales", "castillo"}
	mailDomains = []string{"example.org", "example.com", "correo.example.net", "mail.example.co", "ngo.example.int"}
)

// seedSubscribers writes n active subscribers with COPY. Each picks one to
// three countries and up to three topics, both with skewed popularity;
// 30% read Spanish; 10% use narrow mode, which needs a country and a topic.
func seedSubscribers(ctx context.Context, db *postgres.DB, n int, r *rand.Rand) error {
	topics := topicSlugs()
	countryPop, topicPop := newZipf(len(benchCountries), 1.0), newZipf(len(topics), 0.7)
	i := 0
	_, err := db.Pool().CopyFrom(ctx, pgx.Identifier{"subscribers"},
		[]string{"email", "status", "countries", "topics", "language", "mode", "token"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			i++
			email := fmt.Sprintf("%s.%s%d@%s", pick(r, firstNames), pick(r, lastNames), i, pick(r, mailDomains))
			mode, nTopics := domain.ModeAny, weighted(r, 0.30, 0.30, 0.25, 0.15)
			if r.IntN(10) == 0 {
				mode, nTopics = domain.ModeNarrow, 1+weighted(r, 0.45, 0.35, 0.20)
			}
			lang := "en"
			if r.IntN(10) < 3 {
				lang = "es"
			}
			countries := countryPop.distinct(r, benchCountries, 1+weighted(r, 0.55, 0.30, 0.15))
			return []any{email, domain.StatusActive, countries, topicPop.distinct(r, topics, nTopics),
				lang, mode, token.New()}, nil
		}))
	if err != nil {
		return fmt.Errorf("copy subscribers: %w", err)
	}
	return nil
}

// seedItems stores n items ingested now, published over the last week, so
// that an edition made next holds them all. Tags follow the subscribers'
// countries with the same skew; some items carry a region only, some a
// country and its region; each has one to three topics.
func seedItems(ctx context.Context, db *postgres.DB, n int, r *rand.Rand) error {
	tax := taxonomy.Default()
	topics := topicSlugs()
	countryPop, topicPop := newZipf(len(benchCountries), 1.0), newZipf(len(topics), 0.8)
	today := time.Now().UTC().Truncate(24 * time.Hour)
	items := make([]domain.Item, 0, n)
	for id := range n {
		lang := "en"
		if r.IntN(4) == 0 {
			lang = "es"
		}
		it := domain.Item{
			PublishedOn: domain.Date{Time: today.AddDate(0, 0, -r.IntN(7))},
			Language:    lang,
			Topics:      topicPop.distinct(r, topics, 1+weighted(r, 0.45, 0.40, 0.15)),
			Fingerprint: fmt.Sprintf("bench:%d", id),
		}
		var place string
		if r.IntN(10) == 0 {
			reg := tax.Regions[r.IntN(len(tax.Regions))]
			it.Regions = []string{reg.Code}
			place = reg.Name(lang)
		} else {
			it.Countries = countryPop.distinct(r, benchCountries, 1+weighted(r, 0.7, 0.3))
			c, _ := tax.Country(it.Countries[0])
			place = c.Name(lang)
			if r.IntN(4) == 0 {
				it.Regions = regionsOf(tax, it.Countries[0])[:1]
			}
		}
		it.Title = itemTitle(r, lang, place)
		it.Summary = itemSummary(r, lang, id, r.IntN(4) == 0)
		if r.IntN(20) < 17 {
			it.URL = fmt.Sprintf("https://rosanjose.iom.int/%s/news/%s-%d", lang, slug(it.Title), id)
		}
		items = append(items, it)
	}
	imported, _, err := db.InsertItems(ctx, items)
	if err != nil {
		return err
	}
	if imported != n {
		return fmt.Errorf("seed items: stored %d of %d", imported, n)
	}
	return nil
}

func topicSlugs() []string {
	var out []string
	for _, t := range taxonomy.Default().Topics {
		out = append(out, t.Slug)
	}
	return out
}

// regionsOf lists the regions a country belongs to; every seeded country
// is in at least one.
func regionsOf(tax *taxonomy.Taxonomy, code string) []string {
	var out []string
	for _, reg := range tax.Regions {
		if slices.Contains(reg.Countries, code) {
			out = append(out, reg.Code)
		}
	}
	if len(out) == 0 {
		panic("bench: country " + code + " is in no region")
	}
	return out
}

// slug makes a URL path segment from a title.
func slug(s string) string {
	s = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return '-'
	}, s)
	for strings.Contains(s, "--") {
		s = strings.ReplaceAll(s, "--", "-")
	}
	return strings.Trim(s[:min(len(s), 60)], "-")
}
