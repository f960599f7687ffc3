package render

import (
	"strings"
	"testing"
)

// TestCountNamesNoPeriod: one digest body goes to every reader whose
// stories match alike, whether they chose a digest every day, every week
// or every two weeks (and the desk's own schedule may be any), so the
// count of new stories names no period: not in the subject, the intro or
// the preheader, in the HTML or the plain text, in any language, whether
// the email holds every story, some of them or none.
func TestCountNamesNoPeriod(t *testing.T) {
	t.Parallel()
	r := mustNew(t)
	periods := map[string][]string{
		"en": {"week", "today", "fortnight", "month"},
		"es": {"semana", "hoy", "quincena", "mes "},
		"fr": {"semaine", "aujourd", "quinzaine", "mois"},
	}
	intros := map[string][3]string{
		"en": {"2 new stories.", "2 of 5 new stories.", "No new stories."},
		"es": {"2 noticias nuevas.", "2 de 5 noticias nuevas.", "No hay noticias nuevas."},
		"fr": {"2 nouveaux articles.", "2 nouveaux articles sur 5.", "Aucun nouvel article."},
	}
	for lang, words := range periods {
		for i, d := range []Digest{testDigest(lang), testDigest(lang), testDigest(lang)} {
			switch i {
			case 1:
				d.Omitted, d.ViewURL = 3, "https://news.example.org/digest/1/"+TokenPlaceholder
			case 2:
				d.Sections = nil
			}
			m := mustDigest(t, r, d)
			for part, body := range map[string]string{"subject": m.Subject, "text": m.Text, "html": m.HTML} {
				lower := strings.ToLower(body)
				for _, w := range words {
					if strings.Contains(lower, w) {
						t.Errorf("%s digest %d: its %s names a period (%q): %.400s", lang, i, part, w, body)
					}
				}
				if part != "subject" && !strings.Contains(strings.Join(strings.Fields(body), " "), intros[lang][i]) {
					t.Errorf("%s digest %d: its %s lacks the count %q: %.400s", lang, i, part, intros[lang][i], body)
				}
			}
		}
	}
}
