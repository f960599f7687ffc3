package admin

import (
	"bytes"
	"html"
	"regexp"
	"slices"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
	"newsdigest/internal/ingest"
	"newsdigest/internal/tagging"
)

// TestTagReasonsInThePagesLanguage: the story's page, the import's
// preview and the tagger's suggestions say why a tag was set with the
// label in the page's language ("nom : Haiti", "rédaction"), the words
// that matched as they are, topics by their names, and what the desk's
// corrections show in a sentence of the page's language; the API keeps
// the English reason.
func TestTagReasonsInThePagesLanguage(t *testing.T) {
	pages, err := parsePages(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	reasons := []string{"name: Haiti", "phrase: emergency", domain.ReasonEditor,
		"model: children-youth, protection?, psicosocial (title), health (title)", "model",
		tagging.DeskReason{Added: true, Count: 7, Of: 9, With: "children-youth"}.String(),
		tagging.DeskReason{Count: 12, Of: 12}.String(),
		tagging.DeskReason{Count: 8, Of: 9, Untitled: true}.String()}
	want := map[string][]string{
		"en": {"name: Haiti", "phrase: emergency", "editor",
			"model: Children and youth, Protection (hint), psicosocial (title), Health (title)", "model",
			"corrections: added to 7 of the 9 corrected stories on “Children and youth”",
			"corrections: taken away from 12 of the 12 corrected stories that had it",
			"corrections: taken away from 8 of the 9 corrected stories that had it and whose title did not name it"},
		"es": {"nombre: Haiti", "frase: emergency", "redacción",
			"modelo: Niñez y juventud, Protección (indicio), psicosocial (título), Salud (título)", "modelo",
			"correcciones: añadido a 7 de las 9 noticias corregidas sobre «Niñez y juventud»",
			"correcciones: quitado de 12 de las 12 noticias corregidas que lo tenían",
			"correcciones: quitado de 8 de las 9 noticias corregidas que lo tenían y cuyo título no lo nombraba"},
		"fr": {"nom\u00a0: Haiti", "expression\u00a0: emergency", "rédaction",
			"modèle\u00a0: Enfance et jeunesse, Protection (indice), psicosocial (titre), Santé (titre)", "modèle",
			"corrections\u00a0: ajouté à 7 des 9 articles corrigés sur «\u00a0Enfance et jeunesse\u00a0»",
			"corrections\u00a0: retiré de 12 des 12 articles corrigés qui l’avaient",
			"corrections\u00a0: retiré de 8 des 9 articles corrigés qui l’avaient et dont le titre ne le nommait pas"},
	}
	var choices []tagChoice
	var tags []tagView
	var changes []changeView
	for _, r := range reasons {
		choices = append(choices, tagChoice{Code: "HT", Name: "Haiti", Reason: r, Checked: true})
		tags = append(tags, tagView{Code: "HT", Name: "Haiti", Reason: r})
		changes = append(changes, changeView{Add: true, Kind: domain.FieldCountries, Code: "HT", Name: "Haiti", Why: r})
	}
	it := domain.Item{ID: 1, Title: "Return", Language: "en", PublishedOn: domain.NewDate(2020, 3, 2)}
	preview := ingest.PreviewItem{Item: it, Line: 1}
	span := regexp.MustCompile(`<span class="reason">([^<]*)</span>`)
	for _, tc := range []struct {
		template string
		data     any
	}{
		{"items_edit.html", itemEditData{Item: it, Countries: choices}},
		{"items_preview.html", importPreviewData{Preview: ingest.Preview{Items: []ingest.PreviewItem{preview}},
			Rows: []previewRow{{PreviewItem: preview, Tags: tags}}}},
		{"tagging_suggestions.html", suggestionsData{List: []suggestionView{{Item: it, Changes: changes}}, Total: 1}},
	} {
		for _, lang := range domain.Languages {
			var out bytes.Buffer
			if err := pages.ExecuteTemplate(&out, tc.template, page{Lang: lang, User: &user{Name: domain.OwnerAccount, Roles: domain.AllRoles}, Data: tc.data}); err != nil {
				t.Fatalf("%s (%s): %v", tc.template, lang, err)
			}
			var got []string
			for _, m := range span.FindAllStringSubmatch(out.String(), -1) {
				got = append(got, html.UnescapeString(m[1]))
			}
			if !slices.Equal(got, want[lang]) {
				t.Errorf("%s (%s) gives the reasons as %q, want %q", tc.template, lang, got, want[lang])
			}
		}
	}
}

// TestEveryReasonLabelHasWords: each label the tagger writes has a name
// in every language's file, not only in English.
func TestEveryReasonLabelHasWords(t *testing.T) {
	c := i18n.Default()
	for _, label := range append(tagging.ReasonLabels(), domain.ReasonEditor) {
		for _, lang := range c.Languages() {
			if c.Forms(lang, "console.reason_"+label) == nil {
				t.Errorf("%s: the reason label %q has no words (console.reason_%s)", lang, label, label)
			}
		}
	}
	for _, lang := range c.Languages() {
		if c.Forms(lang, "console.reason_in_title") == nil {
			t.Errorf("%s: no console.reason_in_title", lang)
		}
	}
}

// TestUnknownReasonsShowAsStored: a reason of no known shape, or whose
// first word is no label, is shown as it is.
func TestUnknownReasonsShowAsStored(t *testing.T) {
	for _, r := range []string{"", "it no longer finds it", "Costa Rica: Upala", "somebody"} {
		if got := reasonText("fr", r); got != r {
			t.Errorf("reasonText(fr, %q) = %q, want it as it is", r, got)
		}
	}
}
