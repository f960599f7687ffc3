package render

import (
	"strings"
	"testing"

	"newsdigest/internal/htmltext"
)

// TestWelcomeRowsReadInOutlookForWindows reads the welcome's summary of
// the subscription as Outlook for Windows shows it. Its Word engine
// honours display only as display:none (caniemail, css-display), so a
// label set apart by display:block runs into its value there: "Pays" and
// "Costa Rica" read "PaysCosta Rica". Markup that needs no display, read
// without CSS, keeps each label apart from its value.
func TestWelcomeRowsReadInOutlookForWindows(t *testing.T) {
	r := mustNew(t)
	for _, lang := range []string{"en", "es", "fr"} {
		m, err := r.Welcome(Welcome{Language: lang, Countries: []string{"Costa Rica"}, Topics: []string{"Salud"},
			DigestLanguage: lang, Schedule: "07:00", PreferencesURL: "https://example.org/p", UnsubscribeURL: "https://example.org/u"})
		if err != nil {
			t.Fatal(err)
		}
		// Inline tags add nothing, as in a client that ignores display.
		text := htmltext.Text(m.HTML, '\n', 0)
		n := noticeWords(lang)
		for _, row := range []struct{ label, value string }{
			{n.Countries, "Costa Rica"}, {n.Topics, "Salud"}, {n.When, "07:00"},
		} {
			if !strings.Contains(text, row.value) {
				t.Fatalf("%s: the welcome lacks %q", lang, row.value)
			}
			if strings.Contains(text, row.label+row.value) {
				t.Errorf("%s: without CSS the welcome reads %q", lang, row.label+row.value)
			}
		}
	}
}
