package taxonomy

import (
	"strings"
	"sync"
	"unicode"

	"newsdigest/internal/domain"
)

// LookupCountry finds the country an editor typed: its ISO code in any
// case, or its name in any language of the catalogue, with or without
// accents ("mexico", "México", "Mexique"). It reports false for anything
// else, so the caller can name what it did not understand.
func (t *Taxonomy) LookupCountry(text string) (string, bool) {
	text = strings.TrimSpace(text)
	if code := strings.ToUpper(text); len(code) == 2 && t.HasCountry(code) {
		return code, true
	}
	key := foldName(text)
	if key == "" {
		return "", false
	}
	code, ok := t.countryNames()[key]
	return code, ok
}

// countryNames indexes every country by its folded name in every
// language, built once per taxonomy (a taxonomy is never changed after
// New: the cache replaces it whole).
func (t *Taxonomy) countryNames() map[string]string {
	t.namesOnce.Do(func() {
		t.names = map[string]string{}
		for _, c := range t.Countries {
			for _, lang := range domain.Languages {
				if n := foldName(c.Name(lang)); n != "" && n != foldName(c.Code) {
					if _, taken := t.names[n]; !taken {
						t.names[n] = c.Code
					}
				}
			}
		}
	})
	return t.names
}

// foldName is a name as compared: lower case, without accents, with
// punctuation and runs of spaces as one space.
func foldName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range domain.StripAccents(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}

// namesIndex is the lazily built index of LookupCountry.
type namesIndex struct {
	namesOnce sync.Once
	names     map[string]string
}

// LookupTopic finds the topic an editor or an operator's file names: its
// slug in any case, or its name in any language of the catalogue, with or
// without accents ("labour-migration", "Labour migration", "Migración
// laboral"). It reports false for anything else.
func (t *Taxonomy) LookupTopic(text string) (string, bool) {
	text = strings.TrimSpace(text)
	if slug := strings.ToLower(text); t.HasTopic(slug) {
		return slug, true
	}
	key := foldName(text)
	if key == "" {
		return "", false
	}
	for _, tp := range t.Topics {
		if key == foldName(tp.Slug) {
			return tp.Slug, true
		}
		for _, lang := range domain.Languages {
			if key == foldName(tp.Name(lang)) {
				return tp.Slug, true
			}
		}
	}
	return "", false
}
