package render

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

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

// TestButtonsKeepTheirSizeInOutlookForWindows checks the one-action
// mails' buttons as Outlook for Windows draws them: it pads table cells
// only (caniemail, css-padding), so a button whose padding is on its
// link alone shrinks there to a blue strip hugging its words. The cell
// around each padded link pads itself for Outlook (mso-padding-alt,
// which other clients ignore, so they keep the link's padding and its
// larger target).
func TestButtonsKeepTheirSizeInOutlookForWindows(t *testing.T) {
	r := mustNew(t)
	button := regexp.MustCompile(`<td([^>]*)>\s*<a [^>]*style="[^"]*padding:([^;"]*)`)
	for _, lang := range []string{"en", "es", "fr"} {
		const prefs, unsub = "https://example.org/p", "https://example.org/u"
		c, err1 := r.Confirmation(Confirmation{Language: lang, ConfirmURL: "https://example.org/c"})
		w, err2 := r.Welcome(Welcome{Language: lang, Countries: []string{"Costa Rica"}, PreferencesURL: prefs, UnsubscribeURL: unsub})
		k, err3 := r.Known(Known{Language: lang, PreferencesURL: prefs, UnsubscribeURL: unsub})
		x, err4 := r.Export(Export{Language: lang, DownloadURL: "https://example.org/x", ValidFor: time.Hour, PreferencesURL: prefs, UnsubscribeURL: unsub})
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			t.Fatal(err)
		}
		for name, m := range map[string]Message{"confirmation": c, "welcome": w, "known": k, "export": x} {
			buttons := button.FindAllStringSubmatch(m.HTML, -1)
			if len(buttons) == 0 {
				t.Fatalf("%s %s: no button", name, lang)
			}
			for _, b := range buttons {
				if !strings.Contains(b[1], "mso-padding-alt:"+b[2]) {
					t.Errorf("%s %s: the button's cell does not pad it for Outlook (%s padding:%s): %s", name, lang, "link", b[2], b[1])
				}
			}
		}
	}
}
