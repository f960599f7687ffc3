package admin

import (
	"newsdigest/internal/domain"
	"newsdigest/internal/taxonomy"
)

// chosenCountries names a subscriber's countries in lang; for someone
// taking all stories, whose lists are empty, it says so instead of "none".
func chosenCountries(tax *taxonomy.Taxonomy, lang string, f domain.Filter) []string {
	if f.All {
		return []string{msg(lang, "sub_all_stories")}
	}
	return countryNames(tax, lang, f.Countries)
}

// chosenTopics is chosenCountries for the topics.
func chosenTopics(tax *taxonomy.Taxonomy, lang string, f domain.Filter) []string {
	if f.All {
		return []string{msg(lang, "sub_all_stories")}
	}
	return topicNames(tax, lang, f.Topics)
}
