package web

import (
	"bytes"
	"html"
	"regexp"
	"testing"

	"newsdigest/internal/domain"
)

// TestPreferencesOfferUnsubscribe: the preferences page, which the
// welcome says a reader can leave from, links to the token's unsubscribe
// page (the one with one button) in the page's language.
func TestPreferencesOfferUnsubscribe(t *testing.T) {
	pages, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	const tok = "AAAAAAAAAAAAAAAAAAAAAA"
	link := regexp.MustCompile(`<a href="([^"]*)" id="unsubscribe">([^<]*)</a>`)
	for _, lang := range domain.Languages {
		var out bytes.Buffer
		d := pageData{Lang: lang, Title: msg(lang, "prefs_title"), Action: "/preferences/" + tok, Form: &formData{},
			Unsub: unsubscribeURL(tok, lang)}
		if err := pages.ExecuteTemplate(&out, "preferences.html", d); err != nil {
			t.Fatalf("preferences (%s): %v", lang, err)
		}
		m := link.FindStringSubmatch(out.String())
		if m == nil {
			t.Errorf("preferences (%s): no unsubscribe link", lang)
			continue
		}
		if got, want := html.UnescapeString(m[1]), "/unsubscribe/"+tok+"?lang="+lang; got != want {
			t.Errorf("preferences (%s): the unsubscribe link goes to %s, want %s", lang, got, want)
		}
		if got, want := html.UnescapeString(m[2]), msg(lang, "prefs_unsub_link"); got != want {
			t.Errorf("preferences (%s): the unsubscribe link says %q, want %q", lang, got, want)
		}
	}
}
