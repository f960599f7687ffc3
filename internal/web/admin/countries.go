package admin

import (
	"context"
	"slices"

	"newsdigest/internal/taxonomy"
)

// countryLists splits the countries for a console list: the desk's own
// first (the members of its taxonomy's regions and the countries its
// stories are about), then every other, each part alphabetical in lang
// by name. An editor picks "Costa Rica" among a dozen, not among 250
// sorted by ISO code.
func (a *Console) countryLists(ctx context.Context, lang string, tax *taxonomy.Taxonomy, chosen ...string) (desk, rest []taxonomy.Choice, err error) {
	used, err := a.Items.StoryCountries(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range tax.Regions {
		used = append(used, r.Countries...)
	}
	for _, c := range tax.Countries {
		ch := taxonomy.Choice{Code: c.Code, Name: c.Name(lang), Chosen: slices.Contains(chosen, c.Code)}
		if slices.Contains(used, c.Code) {
			desk = append(desk, ch)
		} else {
			rest = append(rest, ch)
		}
	}
	compare := taxonomy.Compare(lang)
	byName := func(a, b taxonomy.Choice) int { return compare(a.Name, b.Name) }
	slices.SortFunc(desk, byName)
	slices.SortFunc(rest, byName)
	return desk, rest, nil
}

// countrySelect fills the "country-options" template (countries.html).
type countrySelect struct {
	Lang       string
	Desk, Rest []taxonomy.Choice
}

// countrySelectOf is countryLists for one select, with chosen selected.
func (a *Console) countrySelectOf(ctx context.Context, lang string, tax *taxonomy.Taxonomy, chosen ...string) (countrySelect, error) {
	desk, rest, err := a.countryLists(ctx, lang, tax, chosen...)
	return countrySelect{Lang: lang, Desk: desk, Rest: rest}, err
}
