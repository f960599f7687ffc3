package i18n

import (
	"regexp"
	"testing"
)

// frenchSpace finds an ordinary space where French typography wants a
// no-break one: before : ; ? ! and a closing guillemet, after an opening
// one. An ordinary space lets a line break leave "État" at one line's end
// and ": terminée" at the next's start.
var frenchSpace = regexp.MustCompile(`\S [:;?!»]|« `)

// TestFrenchSpacesDoNotBreak: every French message keeps its
// punctuation on the line of the word before it (U+00A0, or the narrow
// U+202F).
func TestFrenchSpacesDoNotBreak(t *testing.T) {
	c := Default()
	for _, key := range c.Keys("fr") {
		for form, text := range c.Forms("fr", key) {
			if bad := frenchSpace.FindString(text); bad != "" {
				t.Errorf("locales/fr.toml: %s (%s): an ordinary space in %q: %q", key, form, bad, text)
			}
		}
	}
}

// asciiApostrophe finds a typewriter apostrophe inside a French word:
// the messages use the typographic one (’), and a page that mixes the
// two ("l’un" beside "L'envoyer") reads as careless.
var asciiApostrophe = regexp.MustCompile(`\p{L}'\p{L}`)

// TestFrenchApostrophesAreTypographic: every French message writes its
// elisions with U+2019, as most of them do.
func TestFrenchApostrophesAreTypographic(t *testing.T) {
	c := Default()
	for _, key := range c.Keys("fr") {
		for form, text := range c.Forms("fr", key) {
			if bad := asciiApostrophe.FindString(text); bad != "" {
				t.Errorf("locales/fr.toml: %s (%s): a typewriter apostrophe in %q: %q", key, form, bad, text)
			}
		}
	}
}
