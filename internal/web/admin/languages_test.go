package admin

import (
	"regexp"
	"strings"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/ingest"
	"newsdigest/internal/items"
)

// TestStoryLanguagesAreNamed: a story's page names its language, and its
// versions' and possible versions', in the console's language ("Spanish",
// "Español", "Espagnol"), as the stories list does, not by code ("es").
func TestStoryLanguagesAreNamed(t *testing.T) {
	es := domain.Item{ID: 2, Title: "Retorno", Language: "es", PublishedOn: domain.NewDate(2020, 3, 2)}
	fr := domain.Item{ID: 3, Title: "Retour", Language: "fr", PublishedOn: domain.NewDate(2020, 3, 2)}
	data := itemEditData{
		Item:     domain.Item{ID: 1, Title: "Return", Language: "es", PublishedOn: domain.NewDate(2020, 3, 2)},
		Versions: versionsData{Versions: []domain.Item{es}, Suggestions: []items.VersionSuggestion{{Item: fr}}},
	}
	for _, tc := range []struct {
		sel  *regexp.Regexp
		lang string // the language the part names
	}{
		{nil, "es"}, // the story's own, among its facts
		{regexp.MustCompile(`(?s)<ul id="versions">.*?<span class="muted">\(([^,]*),`), "es"},
		{regexp.MustCompile(`(?s)<ul id="version-suggestions">.*?<span class="muted">\(([^,]*),`), "fr"},
	} {
		for _, lang := range domain.Languages {
			out := renderConsole(t, "items_edit.html", lang, data)
			sel := tc.sel
			if sel == nil {
				sel = regexp.MustCompile(regexp.QuoteMeta(msg(lang, "items_language")+"</dt><dd>") + `([^<]*)</dd>`)
			}
			m := sel.FindStringSubmatch(out)
			if want := languageName(lang, tc.lang); m == nil || m[1] != want {
				t.Errorf("story page (%s) names %s as %q, want %q", lang, tc.lang, m, want)
			}
		}
	}
}

// TestImportPreviewNamesLanguages: the import's preview names each
// story's language as the story's page does.
func TestImportPreviewNamesLanguages(t *testing.T) {
	it := ingest.PreviewItem{Item: domain.Item{Title: "Retour", Language: "fr", PublishedOn: domain.NewDate(2020, 3, 2)}, Line: 1}
	data := importPreviewData{Preview: ingest.Preview{Items: []ingest.PreviewItem{it}, New: 1}, Rows: []previewRow{{PreviewItem: it}}}
	cell := regexp.MustCompile(`<td>Retour</td>\s*<td>([^<]*)</td>`)
	for _, lang := range domain.Languages {
		if m, want := cell.FindStringSubmatch(renderConsole(t, "items_preview.html", lang, data)), languageName(lang, "fr"); m == nil || m[1] != want {
			t.Errorf("import preview (%s) names fr as %q, want %q", lang, m, want)
		}
	}
}

// TestEditedFieldsAreNamed: a story's page names the fields its editors
// set in the page's language ("titre, pays"), each of them, never by
// their stored names ("title, countries").
func TestEditedFieldsAreNamed(t *testing.T) {
	fields := []string{domain.FieldTitle, domain.FieldSummary, domain.FieldURL, domain.FieldCountries, domain.FieldRegions,
		domain.FieldTopics, domain.FieldHidden, domain.FieldTranslations, domain.FieldPublished}
	data := itemEditData{Item: domain.Item{ID: 1, Title: "Return", Language: "es", PublishedOn: domain.NewDate(2020, 3, 2),
		EditedFields: fields}}
	cell := regexp.MustCompile(`<dd id="item-edited">([^<]*)</dd>`)
	for _, lang := range domain.Languages {
		var names []string
		for _, f := range fields {
			if !hasMsg("item_edited_" + f) {
				t.Errorf("the field %s has no name (item_edited_%s)", f, f)
			}
			names = append(names, msg(lang, "item_edited_"+f))
		}
		m := cell.FindStringSubmatch(renderConsole(t, "items_edit.html", lang, data))
		if want := strings.Join(names, ", "); m == nil || m[1] != want {
			t.Errorf("story page (%s) names the edited fields %q, want %q", lang, m, want)
		}
	}
}
