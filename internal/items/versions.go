package items

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"

	"newsdigest/internal/domain"
)

// VersionSuggestion is a stored story that may be another language's
// version of an item, with why.
type VersionSuggestion struct {
	Item  domain.Item
	Score int
	// SameDay, Countries, Numbers and Names are the evidence: the same
	// published date, the countries both are tagged with, the figures and
	// the names both texts hold.
	SameDay                   bool
	Countries, Numbers, Names []string
}

// suggestWithin is how far apart two versions' dates may be: a
// translation often comes out a day or two after the original.
const suggestWithin = 3 * 24 * time.Hour

// maxSuggestions is how many suggestions the item page offers.
const maxSuggestions = 5

// VersionSuggestions lists the stories in other languages that may be
// versions of item id: published within a few days of it, not already
// in its story, ranked by shared evidence (same day, same countries, the
// same figures and names). Titles are never translated or compared as
// words: only what reads the same in every language counts, and the
// editor decides (docs/translations.md).
func (s *Service) VersionSuggestions(ctx context.Context, id int64) ([]VersionSuggestion, error) {
	it, err := s.store.Item(ctx, id)
	if err != nil {
		return nil, err
	}
	from := domain.Date{Time: it.PublishedOn.Add(-suggestWithin)}
	to := domain.Date{Time: it.PublishedOn.Add(suggestWithin)}
	visible := false
	near, err := s.store.SearchItems(ctx, domain.ItemSearch{ItemFilter: domain.ItemFilter{From: &from, To: &to, Limit: 500}, Hidden: &visible})
	if err != nil {
		return nil, err
	}
	mine := evidenceOf(it)
	var out []VersionSuggestion
	for _, other := range near {
		if other.ID == it.ID || other.Language == it.Language || slices.Contains(it.Translations, other.ID) {
			continue
		}
		theirs := evidenceOf(other)
		v := VersionSuggestion{Item: other, SameDay: other.PublishedOn.Equal(it.PublishedOn.Time),
			Countries: shared(it.Countries, other.Countries), Numbers: shared(mine.numbers, theirs.numbers),
			Names: shared(mine.names, theirs.names)}
		v.Score = 2*len(v.Countries) + 3*len(v.Numbers) + 2*len(v.Names)
		if v.SameDay {
			v.Score += 2
		}
		// A date and a country alone fit many stories of a busy desk.
		if len(v.Numbers)+len(v.Names) == 0 || v.Score < 5 {
			continue
		}
		out = append(out, v)
	}
	slices.SortStableFunc(out, func(a, b VersionSuggestion) int { return b.Score - a.Score })
	return out[:min(len(out), maxSuggestions)], nil
}

// evidence is what of a story's text reads the same in any language.
type evidence struct{ numbers, names []string }

// evidenceOf gathers a story's figures (two digits or more) and names
// (capitalised words of four letters or more that do not begin a
// sentence), from its title and summary.
func evidenceOf(it domain.Item) evidence {
	var e evidence
	for _, text := range []string{it.Title, it.Summary} {
		start := true
		for _, w := range strings.FieldsFunc(text, func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune(`,;:()"“”«»¿¡'`, r)
		}) {
			core := strings.TrimRight(w, ".!?")
			switch {
			case isFigure(core):
				e.numbers = append(e.numbers, strings.NewReplacer(",", "", ".", "").Replace(core))
			case !start && len([]rune(core)) >= 4 && unicode.IsUpper([]rune(core)[0]):
				e.names = append(e.names, strings.ToLower(core))
			}
			start = core != w // a sentence ends here
		}
	}
	slices.Sort(e.numbers)
	slices.Sort(e.names)
	return evidence{slices.Compact(e.numbers), slices.Compact(e.names)}
}

// isFigure reports a number of two digits or more ("12", "2,500").
func isFigure(w string) bool {
	digits := 0
	for _, r := range w {
		switch {
		case unicode.IsDigit(r):
			digits++
		case r != ',' && r != '.':
			return false
		}
	}
	return digits >= 2
}

// shared lists what two sorted-or-not lists both hold.
func shared(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
