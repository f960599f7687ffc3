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
