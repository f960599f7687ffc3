package render

import (
	"strings"
	"testing"
)

// TestFewerLinkCarriesTheToken: a story's "fewer like this" link gets the
// reader's token, in both parts, while a placeholder a story brought in
// its title stays as written; the web digest (Full) has no such link.
func TestFewerLinkCarriesTheToken(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	d := sampleDigest("es")
	d.Sections = []Section{{Title: "Costa Rica", Items: []Item{{
		Title: "Premio " + TokenPlaceholder, Summary: "Resumen.", URL: "https://news.example.org/r/1.2.x/STAMP",
		FewerURL: "https://news.example.org/preferences/" + TokenPlaceholder + "/fewer/country/CR",
	}}}}
	m, err := r.Digest(d)
	if err != nil {
		t.Fatal(err)
	}
	got := m.WithToken("the-token")
	for part, body := range map[string]string{"html": got.HTML, "text": got.Text} {
		if !strings.Contains(body, "https://news.example.org/preferences/the-token/fewer/country/CR") {
			t.Errorf("%s: the fewer link has no token:\n%s", part, body)
		}
		if !strings.Contains(body, "Menos como esta") {
			t.Errorf("%s: the fewer link has no words", part)
		}
		if !strings.Contains(body, "Premio "+TokenPlaceholder) {
			t.Errorf("%s: the story's own placeholder was changed", part)
		}
	}
	d.Full, d.UnsubscribeURL, d.PreferencesURL, d.ViewURL = true, "", "", ""
	web, err := r.Digest(d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(web.HTML, "/fewer/") {
		t.Error("the web digest has a fewer link")
	}
}
