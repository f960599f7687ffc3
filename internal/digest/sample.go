package digest

import (
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/taxonomy"
)

// RegionsOf maps each region of tax to its member countries, as Match
// takes them.
func RegionsOf(tax *taxonomy.Taxonomy) RegionMembers {
	regions := make(RegionMembers, len(tax.Regions))
	for _, r := range tax.Regions {
		regions[r.Code] = r.Countries
	}
	return regions
}

// SampleSections matches the stories a filter would get of items, in its
// language. It knows nothing of earlier editions (what a reader already
// received), so it may show a story a reader's mail leaves out as a repeat.
// Its sections are ranked as the edition made at at ranks them.
func SampleSections(tax *taxonomy.Taxonomy, f domain.Filter, items []domain.Item, at time.Time) []Section {
	picked := domain.PickLanguage(items, f.Language)
	regions := RegionsOf(tax)
	return RankStories(f, Match(f, picked, regions, nil), picked, at, regions)
}
