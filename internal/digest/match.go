// Package digest decides what each subscriber receives: which items match
// their choices and under which heading, and how an edition is compiled
// into groups of subscribers who receive the same digest.
package digest

import (
	"slices"

	"newsdigest/internal/domain"
)

// Section kinds, in the order they appear in a digest.
const (
	KindCountry  = "country"
	KindRegional = "regional"
	KindTopic    = "topic"
	// KindOther holds, for a reader of all stories, the stories tagged
	// with no country, region or topic.
	KindOther = "other"
)

// Section is one heading of a digest with the items under it, by index
// into the item list given to Match.
type Section struct {
	Kind  string  `json:"kind"`
	Key   string  `json:"key"` // country code, topic slug, or "regional"
	Items []int64 `json:"items"`
	// Fixed says the readers of the section cannot drop its country or
	// topic (domain.Filter.CanDrop): a reader of all stories, or one for
	// whom it is the last choice. Its stories then offer no "fewer like
	// this", whose page could only say it cannot be done. It is stored
	// with the sections, since readers of different filters share a
	// digest when its sections are the same, this included.
	Fixed bool `json:"fixed,omitempty"`
}

// RegionMembers maps a region code to its member country codes.
type RegionMembers map[string][]string

// Match picks the items a filter receives and puts each under one heading:
//   - under a chosen country when the item is tagged with it;
//   - otherwise under "Regional" when one of its regions includes a chosen
//     country;
//   - otherwise (mode "any") under the first chosen topic it has.
//
// In mode "narrow" an item must match a chosen country (directly or through
// a region) and a chosen topic. Items keep the order given (newest first);
// items in exclude, and hidden items, are left out. Sections come in the
// order of the filter's countries, then Regional, then topics; empty ones
// are dropped.
//
// A filter with All takes every story (matchAll).
func Match(f domain.Filter, items []domain.Item, regions RegionMembers, exclude map[int64]bool) []Section {
	if f.All {
		return matchAll(items, exclude)
	}
	countrySec := make(map[string]*Section, len(f.Countries))
	topicSec := make(map[string]*Section, len(f.Topics))
	regional := &Section{Kind: KindRegional, Key: KindRegional}
	for _, it := range items {
		if it.Hidden || exclude[it.ID] {
			continue
		}
		country := firstShared(f.Countries, it.Countries)
		viaRegion := country == "" && regionIncludesAny(it.Regions, f.Countries, regions)
		topic := firstShared(f.Topics, it.Topics)
		countryMatch := country != "" || viaRegion
		if f.Mode == domain.ModeNarrow && (!countryMatch || topic == "") {
			continue
		}
		switch {
		case country != "":
			add(countrySec, KindCountry, country, it.ID)
		case viaRegion:
			regional.Items = append(regional.Items, it.ID)
		case topic != "":
			add(topicSec, KindTopic, topic, it.ID)
		}
	}
	var out []Section
	for _, c := range f.Countries {
		if s := countrySec[c]; s != nil {
			s.Fixed = !f.CanDrop(KindCountry)
			out = append(out, *s)
		}
	}
	if len(regional.Items) > 0 {
		out = append(out, *regional)
	}
	for _, t := range f.Topics {
		if s := topicSec[t]; s != nil {
			s.Fixed = !f.CanDrop(KindTopic)
			out = append(out, *s)
		}
	}
	return out
}

func add(m map[string]*Section, kind, key string, id int64) {
	s := m[key]
	if s == nil {
		s = &Section{Kind: kind, Key: key}
		m[key] = s
	}
	s.Items = append(s.Items, id)
}

// firstShared returns the first element of chosen that tags contains.
func firstShared(chosen, tags []string) string {
	for _, c := range chosen {
		if slices.Contains(tags, c) {
			return c
		}
	}
	return ""
}

func regionIncludesAny(itemRegions, chosen []string, regions RegionMembers) bool {
	for _, r := range itemRegions {
		for _, member := range regions[r] {
			if slices.Contains(chosen, member) {
				return true
			}
		}
	}
	return false
}
