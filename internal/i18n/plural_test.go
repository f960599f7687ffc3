package i18n

import (
	"regexp"
	"testing"
)

// fakePlural finds a word that hedges its number with a bracketed ending
// instead of a plural form: "item(s)", "entry(ies)", "artículo(s)",
// "abonné(s)", "nouveau(x)".
var fakePlural = regexp.MustCompile(`\p{L}\(\p{Ll}{1,3}\)`)

// TestNoBracketedPlurals fails for a message that writes "(s)" where a
// count's own form belongs: a counted message has the plural forms of its
// language (see docs/languages.md), and a message with several counts
// says each after a label ("enviados: 2") rather than agreeing with it.
func TestNoBracketedPlurals(t *testing.T) {
	c := Default()
	for _, lang := range c.Languages() {
		for _, key := range c.Keys(lang) {
			for form, text := range c.Forms(lang, key) {
				if bad := fakePlural.FindString(text); bad != "" {
					t.Errorf("locales/%s.toml: %s (%s): %q in %q: give the message its plural forms", lang, key, form, bad, text)
				}
			}
		}
	}
}

func TestFakePluralPattern(t *testing.T) {
	for _, s := range []string{"%d item(s)", "entry(ies)", "%d artículo(s)", "abonné(s)", "nouveau(x)"} {
		if !fakePlural.MatchString(s) {
			t.Errorf("%q is not found", s)
		}
	}
	for _, s := range []string{"(listed by line)", "items (3)", "NAT64 (embeds an IPv4 address)", "(x)"} {
		if fakePlural.MatchString(s) {
			t.Errorf("%q is taken for a bracketed plural", s)
		}
	}
}
