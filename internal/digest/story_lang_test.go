package digest

import (
	"regexp"
	"strings"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/render"
	"newsdigest/internal/taxonomy"
)

// TestStoryInAnotherLanguageIsMarkedSo lays out a Spanish and a French
// digest holding a story the desk has only in English (as the fixture's
// stories are), renders it, and reads its HTML as a screen reader does:
// the story's title and summary say they are English (lang="en"), so
// VoiceOver or NVDA read them with English sounds rather than Spanish or
// French ones; the digest's own words around them (the date, the tags,
// the "fewer" link) stay in the reader's language, and a story in the
// reader's language carries no lang of its own. A reader who sees no
// markup is told too: after its date, in HTML and in plain text, the
// story says which language it is in ("en inglés", "en anglais"), and
// a story in the reader's language says nothing of it.
func TestStoryInAnotherLanguageIsMarkedSo(t *testing.T) {
	tax := taxonomy.Default()
	r, err := render.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"es", "fr"} {
		items := []domain.Item{
			{ID: 1, Title: "Costa Rica: IOM presents labor market research study", Summary: "The International Organization for Migration conducted a labor survey.",
				URL: "https://example.org/en", Language: "en", Countries: []string{"CR"}},
			{ID: 2, Title: "Panamá: nuevo centro de atención", Summary: "Un centro abre en Darién.",
				URL: "https://example.org/es", Language: lang, Countries: []string{"CR"}},
		}
		secs := Match(domain.Filter{Countries: []string{"CR"}, Language: lang}, items, nil, nil)
		d := BuildDigest(tax, lang, secs, items)
		d.UnsubscribeURL = "https://news.example.org/unsubscribe/" + render.TokenPlaceholder
		d.PreferencesURL = "https://news.example.org/preferences/" + render.TokenPlaceholder
		m, err := r.Digest(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []*regexp.Regexp{
			regexp.MustCompile(`<h3[^>]* lang="en"[^>]*><a [^>]*>Costa Rica: IOM presents`),
			regexp.MustCompile(`<p lang="en"[^>]*>The International Organization`),
		} {
			if !want.MatchString(m.HTML) {
				t.Errorf("%s: the English story is not marked English (%s)", lang, want)
			}
		}
		in := map[string]string{"es": " · en inglés", "fr": " · en anglais"}[lang]
		for part, body := range map[string]string{"HTML": m.HTML, "text": m.Text} {
			if n := strings.Count(body, in); n != 1 {
				t.Errorf("%s %s: %q after a date %d times, want once, for the English story", lang, part, in, n)
			}
		}
		if strings.Count(m.HTML, ` lang="`) != 2+2 { // the document's, the article's, and the English story's title and summary
			t.Errorf("%s: %d lang attributes, want 4", lang, strings.Count(m.HTML, ` lang="`))
		}
	}
}
