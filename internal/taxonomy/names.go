package taxonomy

import (
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// CountryNames names countries in lang, in that language's alphabetical
// order; a code the taxonomy no longer has is shown as it is.
func (t *Taxonomy) CountryNames(lang string, codes []string) []string {
	names := make([]string, 0, len(codes))
	for _, code := range codes {
		if c, ok := t.Country(code); ok {
			code = Name(lang, c.NameEN, c.NameES)
		}
		names = append(names, code)
	}
	return sortNames(lang, names)
}

// TopicNames names topics in lang, in the order the taxonomy lists them;
// a slug it no longer has is shown as it is.
func (t *Taxonomy) TopicNames(lang string, slugs []string) []string {
	names := make([]string, 0, len(slugs))
	for _, tp := range t.Topics {
		if slices.Contains(slugs, tp.Slug) {
			names = append(names, Name(lang, tp.NameEN, tp.NameES))
		}
	}
	for _, slug := range slugs {
		if !t.HasTopic(slug) {
			names = append(names, slug)
		}
	}
	return names
}

func sortNames(lang string, names []string) []string {
	tag := language.English
	if lang == "es" {
		tag = language.Spanish
	}
	collate.New(tag).SortStrings(names)
	return names
}
