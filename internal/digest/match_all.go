package digest

import (
	"slices"

	"newsdigest/internal/domain"
)

// matchAll lays out every story for a reader of all stories, with the
// headings a reader who had ticked everything would see: a story goes
// under its first country; one with no country but a region under
// "Regional"; one with only topics under its first topic; one with no tag
// at all under "Other stories". Country and topic sections come in code
// and slug order, as a chosen filter's do (BuildDigest then orders
// countries by name in the reader's language). Items in exclude, and
// hidden items, are left out. The headings are none of the reader's
// choices, so none is one they could drop (Section.Fixed).
func matchAll(items []domain.Item, exclude map[int64]bool) []Section {
	countrySec := map[string]*Section{}
	topicSec := map[string]*Section{}
	regional := &Section{Kind: KindRegional, Key: KindRegional}
	other := &Section{Kind: KindOther, Key: KindOther}
	for _, it := range items {
		if it.Hidden || exclude[it.ID] {
			continue
		}
		switch {
		case len(it.Countries) > 0:
			add(countrySec, KindCountry, slices.Min(it.Countries), it.ID)
		case len(it.Regions) > 0:
			regional.Items = append(regional.Items, it.ID)
		case len(it.Topics) > 0:
			add(topicSec, KindTopic, slices.Min(it.Topics), it.ID)
		default:
			other.Items = append(other.Items, it.ID)
		}
	}
	var out []Section
	for _, code := range sortedKeys(countrySec) {
		countrySec[code].Fixed = true
		out = append(out, *countrySec[code])
	}
	if len(regional.Items) > 0 {
		out = append(out, *regional)
	}
	for _, slug := range sortedKeys(topicSec) {
		topicSec[slug].Fixed = true
		out = append(out, *topicSec[slug])
	}
	if len(other.Items) > 0 {
		out = append(out, *other)
	}
	return out
}

func sortedKeys(m map[string]*Section) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
