package taxonomy

import (
	"slices"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"newsdigest/internal/i18n"
)

// Country names come from CLDR, so every language golang.org/x/text
// knows has them without a word typed here; region and topic names are
// the catalogue's ([region] and [topic] in internal/i18n/locales), keyed
// by code. A name nobody wrote (a region an operator added to the
// database) is its code.

// regionNamers caches CLDR's country namer per language.
var regionNamers sync.Map // language code → display.Namer

// Name names c in lang: "Grenada", "Granada", "Grenade".
func (c Country) Name(lang string) string {
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

// CountryNames names countries in lang, in that language's alphabetical
// order; a code the taxonomy no longer has is shown as it is.
func (t *Taxonomy) CountryNames(lang string, codes []string) []string {
	names := make([]string, 0, len(codes))
	for _, code := range codes {
		if c, ok := t.Country(code); ok {
			code = c.Name(lang)
		}
		names = append(names, code)
	}
	return SortNames(lang, names)
}

// TopicNames names topics in lang, in the order the taxonomy lists them;
// a slug it no longer has is shown as it is.
func (t *Taxonomy) TopicNames(lang string, slugs []string) []string {
	names := make([]string, 0, len(slugs))
	for _, tp := range t.Topics {
		if slices.Contains(slugs, tp.Slug) {
			names = append(names, tp.Name(lang))
		}
	}
	for _, slug := range slugs {
		if !t.HasTopic(slug) {
			names = append(names, slug)
		}
	}
	return names
}

// SortNames sorts names in lang's alphabetical order ("Égypte" among the
// E's in French), and returns them.
func SortNames(lang string, names []string) []string {
	collate.New(language.Make(lang)).SortStrings(names)
	return names
}

// Compare orders two names as lang's alphabet does, for sorting lists of
// things by their names.
func Compare(lang string) func(a, b string) int {
	c := collate.New(language.Make(lang))
	return func(a, b string) int { return c.CompareString(a, b) }
}
