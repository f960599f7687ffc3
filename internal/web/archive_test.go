package web

import (
	"strings"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
)

func TestWithMain(t *testing.T) {
	got := string(withMain(`<!DOCTYPE html><html><body style="margin:0"><table></table></body></html>`))
	if want := `<!DOCTYPE html><html><body style="margin:0"><main><table></table></main></body></html>`; got != want {
		t.Errorf("withMain:\n got %s\nwant %s", got, want)
	}
	if got := string(withMain("no body here")); got != "no body here" {
		t.Errorf("withMain without a body changed it: %s", got)
	}
}

func TestArchiveHelpers(t *testing.T) {
	for raw, want := range map[string]string{
		"https://example.org/a": "https://example.org/a",
		"http://example.org":    "http://example.org",
		"javascript:alert(1)":   "",
		"mailto:a@example.org":  "",
		"/relative":             "",
	} {
		if got := webURL(raw); got != want {
			t.Errorf("webURL(%q) = %q, want %q", raw, got, want)
		}
	}
	if got := strings.Join(paragraphs("one\n\n two \n"), "|"); got != "one|two" {
		t.Errorf("paragraphs: %q", got)
	}
}

// TestArchiveMarksAStorysOtherLanguage: a story written in another
// language than the page's has its title and summary marked with it, as
// the digest's mail does, and the date and tags around them are the
// page's, the date followed by which language the story is in; a story
// in the page's language carries no lang of its own and says nothing.
func TestArchiveMarksAStorysOtherLanguage(t *testing.T) {
	pages, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	d := archiveData{pageData: pageData{Lang: "es", Title: msg("es", "archive_title")}}
	for _, st := range []struct {
		id          int64
		title, lang string
	}{{1, "Shelters expand", "en"}, {2, "Se amplían los albergues", "es"}, {3, "Sans langue", ""}} {
		d.Stories = append(d.Stories, newArchiveStory(editions.ArchiveStory{Item: domain.Item{ID: st.id, Title: st.title,
			Language: st.lang, PublishedOn: domain.NewDate(2026, time.January, 5), Summary: "Resumen " + st.title},
			Tags: []string{"Guatemala"}}, "es"))
	}
	var out strings.Builder
	if err := pages.ExecuteTemplate(&out, "archive.html", d); err != nil {
		t.Fatal(err)
	}
	page := out.String()
	for _, want := range []string{
		`<h2 lang="en">Shelters expand</h2>`, `<p lang="en">Resumen Shelters expand</p>`,
		`<h2>Se amplían los albergues</h2>`, `<p>Resumen Se amplían los albergues</p>`,
		`<h2>Sans langue</h2>`, `<p class="meta">Guatemala</p>`,
		`<time datetime="2026-01-05">5 de enero de 2026</time> · en inglés</p>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the Spanish archive lacks %s:\n%s", want, page)
		}
	}
	if n := strings.Count(page, " · en "); n != 1 {
		t.Errorf("a story's language said %d times, want for the English story only", n)
	}
	if n := strings.Count(page, `<h2 lang="en"`) + strings.Count(page, `<p lang="en"`); n != 2 {
		t.Errorf("lang=\"en\" %d times, want on the English story's title and summary only", n)
	}
}
