package i18n

import (
	"regexp"
	"strings"
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

// TestFrenchReadersGetABulletin: the reader's pages and mails call the
// digest "bulletin" (masculine) from the sign-up form on; a message that
// calls it "lettre" (feminine) puts "elle" beside "votre bulletin" on the
// same page.
func TestFrenchReadersGetABulletin(t *testing.T) {
	c := Default()
	for _, key := range c.Keys("fr") {
		if !strings.HasPrefix(key, "page.") && !strings.HasPrefix(key, "mail.") {
			continue
		}
		for form, text := range c.Forms("fr", key) {
			if strings.Contains(strings.ToLower(text), "lettre") {
				t.Errorf("locales/fr.toml: %s (%s) calls the digest a lettre: %q", key, form, text)
			}
		}
	}
	// The sentences about when the digest arrives name it, or say "il".
	for _, key := range []string{"page.schedule_hint", "page.confirm_thin_yes", "page.confirm_thin_no"} {
		if text := c.Forms("fr", key)["other"]; feminine.MatchString(text) {
			t.Errorf("locales/fr.toml: %s says elle of the bulletin: %q", key, text)
		}
	}
}

var feminine = regexp.MustCompile(`(?i)\belle\b|\bla précédente\b`)
