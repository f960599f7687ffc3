package domain

import (
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"newsdigest/internal/i18n"
)

// Country is an ISO 3166-1 alpha-2 country; Name names it.
type Country struct {
	Code string // "GD"
}

// Region is a named group of countries, such as Central America.
type Region struct {
	Code      string   // stable slug: "central-america"
	Countries []string // member country codes, sorted
}

// Topic is a subject an item can be about.
type Topic struct {
	Slug string // stable slug: "trafficking-smuggling"
}

// Vocabulary is the taxonomy as stored: every country, the regions and
// the topics in the order editors set. Package taxonomy indexes it for
// lookups.
type Vocabulary struct {
	Countries []Country
	Regions   []Region
	Topics    []Topic
}

// Country names come from CLDR, so every language golang.org/x/text
// knows has them without a word typed here; region and topic names are
// the catalogue's ([region] and [topic] in internal/i18n/locales), keyed
// by code. A name nobody wrote (a region an operator added to the
// database) is its code.

// regionNamers caches CLDR's country namer per language.
var regionNamers sync.Map // language code → display.Namer

// Name names c in lang: "Grenada", "Granada", "Grenade".
func (c Country) Name(lang string) string {
	// The catalogue's [country] names a country whose name changed after
	// the CLDR release x/text carries ("Swaziland" is Eswatini now).
	if name, ok := i18n.Lookup(lang, "country."+c.Code); ok {
		return name
	}
	namer, ok := regionNamers.Load(lang)
	if !ok {
		n := display.Regions(language.Make(lang))
		if n == nil {
			n = display.Regions(language.English)
		}
		namer, _ = regionNamers.LoadOrStore(lang, n)
	}
	r, err := language.ParseRegion(c.Code)
	if err != nil {
		return c.Code
	}
	if name := namer.(display.Namer).Name(r); name != "" {
		return name
	}
	return c.Code
}

// Name names r in lang: "Caribbean", "Caribe", "Caraïbes".
func (r Region) Name(lang string) string {
	if name, ok := i18n.Lookup(lang, "region."+r.Code); ok {
		return name
	}
	return r.Code
}

// Name names t in lang: "Health", "Salud", "Santé".
func (t Topic) Name(lang string) string {
	if name, ok := i18n.Lookup(lang, "topic."+t.Slug); ok {
		return name
	}
	return t.Slug
}
