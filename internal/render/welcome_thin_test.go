package render

import (
	"strings"
	"testing"
)

// TestWelcomeSaysWhetherAThinDigestWaits: a reader of their own schedule
// chose whether a digest of fewer stories than the desk's minimum goes
// out or waits for more, as the confirmation page told them; the
// welcome, their record of what they get and when, says the same in both
// parts, in every language. A reader of the desk's schedule is told no
// such thing, nor is anyone when no digest ever waits (ThinBelow 0).
func TestWelcomeSaysWhetherAThinDigestWaits(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	waits := map[string]string{
		"en": "When there are fewer than 4 stories, it may wait for more, up to 10 days.",
		"es": "Si hay menos de 4 noticias, tu boletín puede esperar a que haya más, hasta 10 días.",
		"fr": "S’il y a moins de 4 articles, votre bulletin peut attendre qu’il y en ait d’autres, jusqu’à 10 jours.",
	}
	sends := map[string]string{
		"en": "It comes even when there are fewer than 4 stories.",
		"es": "Llega aunque haya menos de 4 noticias.",
		"fr": "Votre bulletin part même s’il y a moins de 4 articles.",
	}
	for lang := range waits {
		for _, c := range []struct {
			name           string
			own, thin      bool
			below          int
			want, wantNone string
		}{
			{"own schedule, waits", true, false, 4, waits[lang], sends[lang]},
			{"own schedule, sends", true, true, 4, sends[lang], waits[lang]},
			{"the desk's schedule", false, false, 4, "", waits[lang]},
			{"own schedule, none ever waits", true, false, 0, "", waits[lang]},
		} {
			m, err := r.Welcome(Welcome{Language: lang, ListName: "Noticias", Countries: []string{"Costa Rica"},
				DigestLanguage: lang, Schedule: "SCHEDULE", OwnSchedule: c.own, SendThin: c.thin, ThinBelow: c.below, WaitDays: 10,
				PreferencesURL: "https://news.example.org/preferences/abc", UnsubscribeURL: "https://news.example.org/unsubscribe/abc"})
			if err != nil {
				t.Fatal(err)
			}
			for part, body := range map[string]string{"html": m.HTML, "text": m.Text} {
				flat := strings.Join(strings.Fields(strings.ReplaceAll(body, "&rsquo;", "’")), " ")
				if c.want != "" && !strings.Contains(flat, "SCHEDULE. "+c.want) {
					t.Errorf("%s, %s, %s: the welcome lacks %q:\n%s", lang, c.name, part, c.want, body)
				}
				if strings.Contains(flat, c.wantNone) || (!c.own || c.below == 0) && strings.Contains(flat, sends[lang]) {
					t.Errorf("%s, %s, %s: the welcome says what does not hold:\n%s", lang, c.name, part, body)
				}
			}
		}
	}
}

// TestWelcomeCountsTheDaysOfWaiting: the days a short digest may wait
// take their language's plural form ("up to 1 day", "hasta 1 día").
func TestWelcomeCountsTheDaysOfWaiting(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"en": "up to 1 day.", "es": "hasta 1 día.", "fr": "jusqu’à 1 jour."} {
		m, err := r.Welcome(Welcome{Language: lang, ListName: "Noticias", Countries: []string{"Costa Rica"},
			DigestLanguage: lang, Schedule: "SCHEDULE", OwnSchedule: true, ThinBelow: 3, WaitDays: 1,
			PreferencesURL: "https://news.example.org/preferences/abc", UnsubscribeURL: "https://news.example.org/unsubscribe/abc"})
		if err != nil {
			t.Fatal(err)
		}
		if text := strings.Join(strings.Fields(m.Text), " "); !strings.Contains(text, want) {
			t.Errorf("%s: the welcome does not say %q:\n%s", lang, want, text)
		}
	}
}
