package render

import (
	"strings"
	"testing"
)

// TestCountOfSomeTakesItsForm: a digest that holds one of its stories
// says so in the form one takes ("1 nouvel article sur 3", not "1
// nouveaux articles sur 3").
func TestCountOfSomeTakesItsForm(t *testing.T) {
	t.Parallel()
	r := mustNew(t)
	for lang, want := range map[string]string{
		"en": "1 of 3 new stories.", "es": "1 de 3 noticias nuevas.", "fr": "1 nouvel article sur 3.",
	} {
		d := testDigest(lang)
		d.Sections = d.Sections[:1]
		d.Omitted, d.ViewURL = 2, "https://news.example.org/digest/1/"+TokenPlaceholder
		m := mustDigest(t, r, d)
		for part, body := range map[string]string{"text": m.Text, "html": m.HTML} {
			if !strings.Contains(strings.Join(strings.Fields(body), " "), want) {
				t.Errorf("%s %s lacks %q: %.400s", lang, part, want, body)
			}
		}
	}
}
