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
// digest "bulletin" (masculine) from the sign-up form on, and the console
// and its audit log call it the same, so an editor writes the readers'
// word; a message that calls it "lettre" (feminine) puts "elle" beside
// "votre bulletin" on the same page. The alphabet's letters ("un code à
// deux lettres", "le mois en lettres") are another word. The console
// calls a story an "article", never an "actualité".
func TestFrenchReadersGetABulletin(t *testing.T) {
	c := Default()
	for _, key := range c.Keys("fr") {
		section, _, _ := strings.Cut(key, ".")
		console := section == "console" || section == "audit"
		if !console && section != "page" && section != "mail" {
			continue
		}
		for form, text := range c.Forms("fr", key) {
			if lettre.MatchString(alphabetLetters.ReplaceAllString(text, "")) {
				t.Errorf("locales/fr.toml: %s (%s) calls the digest a lettre: %q", key, form, text)
			}
			if console && actualite.MatchString(text) {
				t.Errorf("locales/fr.toml: %s (%s) calls a story an actualité: %q", key, form, text)
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

var (
	lettre          = regexp.MustCompile(`(?i)\blettres?\b`)
	alphabetLetters = regexp.MustCompile(`(?i)\b(deux|en) lettres\b`)
	actualite       = regexp.MustCompile(`(?i)\bactualit`) // \b is ASCII's: é is no word letter
)

var feminine = regexp.MustCompile(`(?i)\belle\b|\bla précédente\b`)
