package render

import (
	"strings"
	"testing"
)

func TestWelcomeSaysWhatWhenAndHowToChange(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang, button string
		want         []string
	}{
		{"en", "Open your preferences", []string{"Welcome to Noticias", "Costa Rica, Panama", "Labour migration", "English",
			"Every Monday at 07:00", "unsubscribe:"}},
		{"es", "Abrir tus preferencias", []string{"Te damos la bienvenida a Noticias", "Costa Rica, Panamá", "Migración laboral", "Cualquier noticia",
			"español", "Cada lunes a las 07:00", "cancela la suscripción:"}},
	} {
		w := Welcome{Language: tc.lang, ListName: "Noticias", Countries: []string{"Costa Rica", "Panama"},
			Topics: []string{"Labour migration"}, DigestLanguage: tc.lang, Schedule: "Every Monday at 07:00",
			PreferencesURL: "https://news.example.org/preferences/abc", UnsubscribeURL: "https://news.example.org/unsubscribe/abc",
			PostalAddress: "Apartado 1"}
		if tc.lang == "es" {
			w.Countries, w.Topics, w.Schedule = []string{"Costa Rica", "Panamá"}, []string{"Migración laboral"}, "Cada lunes a las 07:00"
		}
		m, err := r.Welcome(w)
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range []string{m.Subject + m.HTML, m.Text} {
			for _, want := range tc.want {
				if !strings.Contains(part, want) {
					t.Errorf("%s welcome lacks %q:\n%s", tc.lang, want, part)
				}
			}
			for _, link := range []string{w.PreferencesURL, w.UnsubscribeURL} {
				if !strings.Contains(part, link) {
					t.Errorf("%s welcome lacks the link %s", tc.lang, link)
				}
			}
		}
		// The HTML has the button; the text part's sentence before it
		// ends with a colon and the address follows, not the button's
		// words again.
		if !strings.Contains(m.HTML, tc.button) {
			t.Errorf("%s welcome's HTML lacks the button %q", tc.lang, tc.button)
		}
		if !strings.Contains(m.Text, ":\n"+w.PreferencesURL) || strings.Contains(m.Text, tc.button) {
			t.Errorf("%s welcome's text part does not lead from its sentence to the address:\n%s", tc.lang, m.Text)
		}
		if !strings.Contains(m.HTML, `lang="`+tc.lang+`"`) {
			t.Errorf("%s welcome: the HTML is not marked as %s", tc.lang, tc.lang)
		}
	}
	if _, err := r.Welcome(Welcome{Language: "en", PreferencesURL: "javascript:alert(1)", UnsubscribeURL: "https://x.org/u"}); err == nil {
		t.Error("a welcome with a javascript: link rendered")
	}
}

func TestKnownLinksToPreferences(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for lang, heading := range map[string]string{"en": "You are already subscribed", "es": "Ya tienes una suscripción", "fr": "Votre abonnement est déjà actif"} {
		m, err := r.Known(Known{Language: lang, PreferencesURL: "https://news.example.org/preferences/abc",
			UnsubscribeURL: "https://news.example.org/unsubscribe/abc"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(m.Subject, heading) || !strings.Contains(m.HTML, heading) || !strings.Contains(m.Text, heading) {
			t.Errorf("%s known mail: subject %q, want the heading %q in it and in both parts", lang, m.Subject, heading)
		}
		if !strings.Contains(m.Text, "https://news.example.org/preferences/abc") || !strings.Contains(m.HTML, `href="https://news.example.org/preferences/abc"`) {
			t.Errorf("%s known mail lacks the preferences link:\n%s", lang, m.Text)
		}
	}
}
