package render

import (
	"strings"
	"testing"
)

// TestWelcomeSaysWhetherAThinDigestWaits: a reader of their own schedule
// chose whether a digest of one or two stories goes out or waits for
// more, as the confirmation page told them; the welcome, their record of
// what they get and when, says the same in both parts, in every
// language. A reader of the desk's schedule is told no such thing.
func TestWelcomeSaysWhetherAThinDigestWaits(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	waits := map[string]string{
		"en": "When there are only one or two stories, it may wait for more.",
		"es": "Si solo hay una o dos noticias, puede esperar a que haya más.",
		"fr": "S’il n’y a qu’un ou deux articles, votre bulletin peut attendre qu’il y en ait d’autres.",
	}
	sends := map[string]string{
		"en": "It comes even when there are only one or two stories.",
		"es": "Llega aunque solo haya una o dos noticias.",
		"fr": "Votre bulletin part même s’il n’y a qu’un ou deux articles.",
	}
	for lang := range waits {
		for _, c := range []struct {
			name           string
			own, thin      bool
			want, wantNone string
		}{
			{"own schedule, waits", true, false, waits[lang], sends[lang]},
			{"own schedule, sends", true, true, sends[lang], waits[lang]},
			{"the desk's schedule", false, false, "", waits[lang]},
		} {
			m, err := r.Welcome(Welcome{Language: lang, ListName: "Noticias", Countries: []string{"Costa Rica"},
				DigestLanguage: lang, Schedule: "SCHEDULE", OwnSchedule: c.own, SendThin: c.thin,
				PreferencesURL: "https://news.example.org/preferences/abc", UnsubscribeURL: "https://news.example.org/unsubscribe/abc"})
			if err != nil {
				t.Fatal(err)
			}
			for part, body := range map[string]string{"html": m.HTML, "text": m.Text} {
				flat := strings.Join(strings.Fields(strings.ReplaceAll(body, "&rsquo;", "’")), " ")
				if c.want != "" && !strings.Contains(flat, "SCHEDULE. "+c.want) {
					t.Errorf("%s, %s, %s: the welcome lacks %q:\n%s", lang, c.name, part, c.want, body)
				}
				if strings.Contains(flat, c.wantNone) || !c.own && strings.Contains(flat, sends[lang]) {
					t.Errorf("%s, %s, %s: the welcome says what does not hold:\n%s", lang, c.name, part, body)
				}
			}
		}
	}
}
