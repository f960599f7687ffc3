package admin

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
	"newsdigest/internal/ingest"
	"newsdigest/internal/tagging"
	"newsdigest/internal/taxonomy"
)

// pluralAfterOne finds a noun or participle in the plural right after a
// count that takes the singular: 1, and 0 in French ("1 corrections",
// "0 ignorés").
var pluralAfterOne = map[string]*regexp.Regexp{
	"en": regexp.MustCompile(`\b1 [a-z]+s\b`),
	"es": regexp.MustCompile(`\b1 [a-záéíóúñ]+s\b`),
	"fr": regexp.MustCompile(`\b[01] [a-zàâçéèêëîïôûù]+s\b`),
}

// elision finds a French word that should have dropped its vowel before
// the next one ("de Amérique", "de admin").
var elision = regexp.MustCompile(`(?i)\b(de|le|la|que|ne|se|ce|je) [aeiouyàâéèêîôû]`)

// renderConsole renders a console template in lang.
func renderConsole(t *testing.T, name, lang string, data any) string {
	t.Helper()
	pages, err := parsePages(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := pages.ExecuteTemplate(&out, name, page{Lang: lang, User: &user{Name: domain.OwnerAccount, Roles: domain.AllRoles}, Data: data}); err != nil {
		t.Fatalf("%s (%s): %v", name, lang, err)
	}
	return html.UnescapeString(out.String())
}

// TestCountsTakeTheirForm: a sentence with several counts puts each one
// in its language's form: "dont 1 correction", "1 ignoré", "1 item read".
func TestCountsTakeTheirForm(t *testing.T) {
	model := regexp.MustCompile(`(?s)<p id="tagging-model">(.*?)</p>`)
	summary := regexp.MustCompile(`(?s)<p id="preview-summary" role="status">(.*?)</p>`)
	for _, lang := range domain.Languages {
		plural := pluralAfterOne[lang]
		if plural == nil {
			t.Fatalf("no plural check for %s", lang)
		}
		for _, n := range []int{0, 1} {
			var said []string
			m := model.FindStringSubmatch(renderConsole(t, "tagging.html", lang,
				taggingData{Model: &domain.TagModelInfo{Examples: n, DeskExamples: n}, ModelKB: n}))
			if m == nil {
				t.Fatalf("tagging (%s): no model facts", lang)
			}
			said = append(said, m[1])
			said = append(said, progressSummary(lang, "done", domain.Edition{Sent: n, Failed: n, Skipped: n, Total: 3 * n}))
			items := make([]ingest.PreviewItem, n)
			m = summary.FindStringSubmatch(renderConsole(t, "items_preview.html", lang,
				importPreviewData{Preview: ingest.Preview{Items: items, New: n, Duplicates: n}}))
			if m == nil {
				t.Fatalf("import preview (%s): no summary", lang)
			}
			said = append(said, m[1])
			for _, s := range said {
				if bad := plural.FindString(s); bad != "" {
					t.Errorf("%s, count %d: %q says %q", lang, n, s, bad)
				}
			}
		}
	}
}

// TestNamesFitTheirSentence: a sentence with a name put in it reads right
// whatever the name: the session's user, and a region in the box that
// chooses its countries (the public form's words, on the console too).
func TestNamesFitTheirSentence(t *testing.T) {
	tax := taxonomy.Default()
	for _, lang := range domain.Languages {
		var said []string
		for _, name := range []string{domain.OwnerAccount, "editor@example.org"} {
			said = append(said, tf(lang, "signed_in_as", name))
		}
		for _, r := range tax.Regions {
			box := funcs["regionAll"].(func(string, string) string)(lang, r.Name(lang))
			if want := i18n.Format(lang, "page.region_all", r.Name(lang)); box != want {
				t.Errorf("%s: the console's region box says %q, the public form's %q", lang, box, want)
			}
			said = append(said, box)
		}
		for _, s := range said {
			if lang == "fr" && elision.MatchString(s) {
				t.Errorf("fr: %q lacks an elision", s)
			}
			if lang == "es" && regexp.MustCompile(`\bde (El|La|Los|Las|Comunidad|Conferencia)\b`).MatchString(s) {
				t.Errorf("es: %q lacks its article", s)
			}
		}
	}
}

// TestFiltersSayAnyInTheirOwnWords: the "any" choice of each list filter
// is its own message, so a language that agrees it with the filter's
// noun can ("Toutes les langues", "Tous les pays").
func TestFiltersSayAnyInTheirOwnWords(t *testing.T) {
	first := regexp.MustCompile(`<select id="f-([a-z]+)" name="[a-z]+">\s*<option value="">([^<]*)</option>`)
	filterOf := map[string]string{"hidden": "visibility"}
	for _, tc := range []struct {
		template string
		data     any
		want     int // filters with an "any" choice
	}{
		{"items.html", itemsListData{}, 4},
		{"subscribers.html", subscribersView{}, 4},
	} {
		for _, lang := range domain.Languages {
			got := first.FindAllStringSubmatch(renderConsole(t, tc.template, lang, tc.data), -1)
			if len(got) != tc.want {
				t.Fatalf("%s (%s): %d filters with an \"any\" choice, want %d", tc.template, lang, len(got), tc.want)
			}
			for _, m := range got {
				filter := m[1]
				if f, ok := filterOf[filter]; ok {
					filter = f
				}
				if want := msg(lang, "any_"+filter); m[2] != want {
					t.Errorf("%s (%s): the %s filter's \"any\" says %q, want %q", tc.template, lang, m[1], m[2], want)
				}
			}
		}
	}
	for _, key := range []string{"any_language", "any_visibility"} {
		if s := msg("fr", key); strings.HasPrefix(s, "Tous") {
			t.Errorf("fr: %s is %q, a feminine noun's", key, s)
		}
	}
}

// TestCappedModelSaysSo: a model learnt from as many corrections as a
// retraining takes says, in every language, that only the newest were
// taught; one learnt from fewer says nothing of it.
func TestCappedModelSaysSo(t *testing.T) {
	capped := regexp.MustCompile(`(?s)<p id="tagging-model-capped" class="hint">(.*?)</p>`)
	for _, lang := range domain.Languages {
		for _, n := range []int{tagging.MaxDeskExamples - 1, tagging.MaxDeskExamples} {
			info := &domain.TagModelInfo{Examples: n + 200, DeskExamples: n}
			data := taggingData{Model: info, ModelKB: 2800}
			m := capped.FindStringSubmatch(renderConsole(t, "tagging.html", lang, data))
			switch {
			case n < tagging.MaxDeskExamples && m != nil:
				t.Errorf("%s, %d corrections: says %q", lang, n, m[1])
			case n == tagging.MaxDeskExamples && (m == nil || !strings.Contains(m[1], fmt.Sprint(n))):
				t.Errorf("%s, %d corrections: capped line %q, want one naming %d", lang, n, m, n)
			}
		}
	}
}
