package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/postgres"
	"newsdigest/internal/taxonomy"
)

// seedArchive stores n stories published over the last years and the
// weekly editions that sent them, done, so that every one is in the
// public archive and the feeds. Tags are skewed as seedItems' are; a
// quarter are in Spanish. It is written with COPY and three statements:
// going through the import would take minutes for a long archive.
func seedArchive(ctx context.Context, db *postgres.DB, n int, r *rand.Rand) error {
	tax := taxonomy.Default()
	topics := topicSlugs()
	countryPop, topicPop := newZipf(len(benchCountries), 1.0), newZipf(len(topics), 0.8)
	// About 400 stories a week: a busy desk's last five years for 100,000.
	days := max(7, n/57)
	today := time.Now().UTC().Truncate(24 * time.Hour)
	i := 0
	_, err := db.Pool().CopyFrom(ctx, pgx.Identifier{"items"},
		[]string{"published_on", "title", "summary", "url", "language", "countries", "regions", "topics", "fingerprint", "ingested_at"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			id := i
			i++
			lang := "en"
			if r.IntN(4) == 0 {
				lang = "es"
			}
			var countries, regions []string
			var place string
			if r.IntN(10) == 0 {
				reg := tax.Regions[r.IntN(len(tax.Regions))]
				regions = []string{reg.Code}
				place = reg.Name(lang)
			} else {
				countries = countryPop.distinct(r, benchCountries, 1+weighted(r, 0.7, 0.3))
				c, _ := tax.Country(countries[0])
				place = c.Name(lang)
			}
			title := itemTitle(r, lang, place)
			// Ingested as it was published (the evening before its
			// date), as a desk's feeds bring them: the console's "this
			// week" holds a week's stories, not the whole archive.
			published := today.AddDate(0, 0, -r.IntN(days))
			ingested := published.Add(-time.Hour)
			return []any{published, title, itemSummary(r, lang, id, false),
				fmt.Sprintf("https://rosanjose.iom.int/%s/news/%s-%d", lang, slug(title), id), lang,
				nonNil(countries), nonNil(regions), topicPop.distinct(r, topics, 1+weighted(r, 0.45, 0.40, 0.15)),
				fmt.Sprintf("archive:%d", id), ingested}, nil
		}))
	if err != nil {
		return fmt.Errorf("copy archive items: %w", err)
	}
	_, err = db.Pool().Exec(ctx, `
		INSERT INTO editions (status, published_from, published_to, items, total, created_at, started_at, finished_at)
		SELECT 'done', w::date, w::date + 6, 0, 0, w + interval '7 days', w + interval '7 days', w + interval '7 days 1 hour'
		FROM generate_series(date_trunc('week', (SELECT min(published_on) FROM items)), now(), interval '7 days') AS g(w)`)
	if err != nil {
		return fmt.Errorf("archive editions: %w", err)
	}
	_, err = db.Pool().Exec(ctx, `
		INSERT INTO edition_items (edition_id, item_id)
		SELECT e.id, i.id FROM items i JOIN editions e ON i.published_on BETWEEN e.published_from AND e.published_to
		WHERE i.fingerprint LIKE 'archive:%'`)
	if err != nil {
		return fmt.Errorf("archive edition items: %w", err)
	}
	_, err = db.Pool().Exec(ctx, `
		UPDATE editions e SET items = (SELECT count(*) FROM edition_items ei WHERE ei.edition_id = e.id)
		WHERE e.status = 'done' AND e.items = 0`)
	if err != nil {
		return fmt.Errorf("archive edition counts: %w", err)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
