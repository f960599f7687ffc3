package admin

import (
	"regexp"
	"testing"

	"newsdigest/internal/domain"
)

// TestEditorsPageSectionsSayWhatTheyAre: no section of the editors page
// is headed by the page's own title, which its h1 already says: each h2
// names its part (the accounts, adding one, one's password).
func TestEditorsPageSectionsSayWhatTheyAre(t *testing.T) {
	h2 := regexp.MustCompile(`<h2[^>]*>([^<]*)</h2>`)
	for _, lang := range domain.Languages {
		title := msg(lang, "nav_editors")
		data := editorsData{Editors: []domain.Editor{{ID: 1, Email: "ana@example.org"}}}
		heads := h2.FindAllStringSubmatch(renderConsole(t, "editors.html", lang, data), -1)
		if len(heads) == 0 {
			t.Fatalf("%s: no sections", lang)
		}
		for _, h := range heads {
			if h[1] == title {
				t.Errorf("%s: a section is headed %q, as the page is", lang, h[1])
			}
		}
	}
}
