package web

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/taxonomy"
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

// TestPagesNameNoFrequency: the words every reader meets, whatever they
// chose (the form, the confirmation, the unsubscribe page), say "the
// digest", never how often it comes: a reader may choose daily.
func TestPagesNameNoFrequency(t *testing.T) {
	often := map[string]*regexp.Regexp{
		"en": regexp.MustCompile(`(?i)week|daily|every day`),
		"es": regexp.MustCompile(`(?i)semana|diari|cada día`),
		"fr": regexp.MustCompile(`(?i)semaine|hebdomadaire|quotidien|chaque jour`),
	}
	for _, lang := range domain.Languages {
		words, ok := often[lang]
		if !ok {
			t.Fatalf("no words of frequency for %s", lang)
		}
		for _, key := range []string{"subscribe_title", "subscribe_intro", "confirm_intro", "unsub_intro"} {
			if text := msg(lang, key); words.MatchString(text) {
				t.Errorf("%s (%s) says how often: %q", key, lang, text)
			}
		}
	}
}

// TestUnsubscribedPageWaysBack: someone who left is shown the way back
// through their preferences page, which signs them up again with the
// choices they had; a token a later sign-up replaced, which still
// unsubscribes, opens no preferences and sends them to the front page.
func TestUnsubscribedPageWaysBack(t *testing.T) {
	const current, retired = "AAAAAAAAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBBBBBBBB"
	sub := domain.Subscriber{Status: domain.StatusUnsubscribed, Token: current}
	d := unsubscribedPage("fr", current, sub)
	if d.Link != "/preferences/"+current+"?lang=fr" || d.LinkLabel != "Se réabonner" || d.Message != msg("fr", "unsubscribed_again") {
		t.Errorf("with the current token: %+v", d)
	}
	if d := unsubscribedPage("fr", retired, sub); d.Link != "" || d.Message != msg("fr", "unsubscribed") {
		t.Errorf("with a retired token: %+v", d)
	}
	sub.Status = domain.StatusComplained // left by a complaint: nothing to offer
	if d := unsubscribedPage("fr", current, sub); d.Link != "" {
		t.Errorf("after a complaint: %+v", d)
	}
}

// TestFewerPageNamesCountriesByName: the "fewer like this" page lists the
// reader's countries by name in their language, as the confirmation page
// does, not by code (Honduras before El Salvador).
func TestFewerPageNamesCountriesByName(t *testing.T) {
	countries, topics := choicesNamed(taxonomy.Default(), "es", domain.Filter{Countries: []string{"CR", "HN", "SV"}, Topics: []string{"health"}})
	if got := strings.Join(countries, ", "); got != "Costa Rica, El Salvador, Honduras" {
		t.Errorf("countries: %s", got)
	}
	if got := strings.Join(topics, ", "); got != "Salud" {
		t.Errorf("topics: %s", got)
	}
}
