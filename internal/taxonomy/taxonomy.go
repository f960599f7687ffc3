// Package taxonomy describes what items can be tagged with and subscribers
// can choose: countries, regions of countries, and topics, each named in
// every language of the catalogue (names.go).
package taxonomy

import (
	"slices"

	"newsdigest/internal/domain"
)

// The vocabulary's entries are plain data (package domain), so that
// storage can read and write them without knowing this package.
type (
	// Country is an ISO 3166-1 alpha-2 country.
	Country = domain.Country
	// Region is a named group of countries, such as Central America.
	Region = domain.Region
	// Topic is a subject an item can be about.
	Topic = domain.Topic
)

// Taxonomy is the whole vocabulary. Build one with New so lookups work.
type Taxonomy struct {
	Countries []Country // sorted by code
	Regions   []Region
	Topics    []Topic

	countries map[string]int
	regions   map[string]int
	topics    map[string]int

	namesIndex // LookupCountry's, built on first use
}

// New indexes the given vocabulary for lookups.
func New(countries []Country, regions []Region, topics []Topic) *Taxonomy {
	t := &Taxonomy{Countries: countries, Regions: regions, Topics: topics,
		countries: map[string]int{}, regions: map[string]int{}, topics: map[string]int{}}
	slices.SortFunc(t.Countries, func(a, b Country) int {
		if a.Code < b.Code {
			return -1
		} else if a.Code > b.Code {
			return 1
		}
		return 0
	})
	for i, c := range t.Countries {
		t.countries[c.Code] = i
	}
	for i, r := range t.Regions {
		t.regions[r.Code] = i
	}
	for i, tp := range t.Topics {
		t.topics[tp.Slug] = i
	}
	return t
}

// HasCountry reports whether code is a known country.
func (t *Taxonomy) HasCountry(code string) bool { _, ok := t.countries[code]; return ok }

// HasTopic reports whether slug is a known topic.
func (t *Taxonomy) HasTopic(slug string) bool { _, ok := t.topics[slug]; return ok }

// HasRegion reports whether code is a known region.
func (t *Taxonomy) HasRegion(code string) bool { _, ok := t.regions[code]; return ok }

// Country returns the country with the given code.
func (t *Taxonomy) Country(code string) (Country, bool) {
	i, ok := t.countries[code]
	if !ok {
		return Country{}, false
	}
	return t.Countries[i], true
}

// Region returns the region with the given code.
func (t *Taxonomy) Region(code string) (Region, bool) {
	i, ok := t.regions[code]
	if !ok {
		return Region{}, false
	}
	return t.Regions[i], true
}

// Topic returns the topic with the given slug.
func (t *Taxonomy) Topic(slug string) (Topic, bool) {
	i, ok := t.topics[slug]
	if !ok {
		return Topic{}, false
	}
	return t.Topics[i], true
}
