package render

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestFrenchTextKeepsNoBreakSpaces renders every mail in French, with
// list names of every length up to 40 so that the wrapping of the text
// part falls everywhere in its sentences, and reads the text part as a
// plain-text client shows it: the no-break spaces the catalogue puts
// before ":" and ";" and inside guillemets are still there, so no line
// starts with the punctuation that belongs at the end of the line
// before. (The HTML keeps them; the text part is wrapped at 78 columns.)
func TestFrenchTextKeepsNoBreakSpaces(t *testing.T) {
	r := mustNew(t)
	ordinary := regexp.MustCompile(`\S [:;?!»]|« `)
	const prefs, unsub = "https://news.example.org/preferences/tok", "https://news.example.org/unsubscribe/tok"
	for n := 1; n <= 40; n++ {
		list := strings.Repeat("B", n)
		mails := map[string]func() (Message, error){
			"confirmation": func() (Message, error) {
				return r.Confirmation(Confirmation{Language: "fr", ListName: list, ConfirmURL: "https://news.example.org/confirm/x"})
			},
			"welcome": func() (Message, error) {
				return r.Welcome(Welcome{Language: "fr", ListName: list, Countries: []string{"Costa Rica"}, DigestLanguage: "fr",
					Schedule: "chaque lundi", PreferencesURL: prefs, UnsubscribeURL: unsub})
			},
			"known": func() (Message, error) {
				return r.Known(Known{Language: "fr", ListName: list, PausedUntil: "1er mars", PreferencesURL: prefs, UnsubscribeURL: unsub})
			},
			"export": func() (Message, error) {
				return r.Export(Export{Language: "fr", ListName: list, DownloadURL: "https://news.example.org/export/x",
					ValidFor: time.Hour, PreferencesURL: prefs, UnsubscribeURL: unsub})
			},
			"digest": func() (Message, error) {
				d := sampleDigest("fr")
				d.ListName = list
				return r.Digest(d)
			},
		}
		for name, render := range mails {
			m, err := render()
			if err != nil {
				t.Fatalf("%s, list name of %d: %v", name, n, err)
			}
			for _, line := range strings.Split(m.Text, "\n") {
				if bad := ordinary.FindString(line); bad != "" {
					t.Errorf("%s, list name of %d: an ordinary space in %q: %q", name, n, bad, line)
				}
				if strings.ContainsAny(strings.TrimSpace(line)[:min(1, len(strings.TrimSpace(line)))], ":;?!»") {
					t.Errorf("%s, list name of %d: a line starts with punctuation: %q", name, n, line)
				}
			}
		}
	}
}
