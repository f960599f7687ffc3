package admin

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
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

// TestEndingAllSessionsAsksFirst: on an editor's page, "End all
// sessions" leads to a page that asks, saying how many sessions will
// end; only that page's form ends them all. The notice after says how
// many ended, in the count's form.
func TestEndingAllSessionsAsksFirst(t *testing.T) {
	e := domain.Editor{ID: 7, Email: "ana@example.org"}
	for _, lang := range domain.Languages {
		for _, n := range []int{1, 3} {
			d := editorsData{Editor: e, Sessions: make([]domain.ConsoleSession, n)}
			for i := range d.Sessions {
				d.Sessions[i].ID = int64(i + 1)
			}
			page := renderConsole(t, "editor.html", lang, d)
			if strings.Contains(page, `value="all"`) || !strings.Contains(page, `href="/admin/editors/7/sessions/end"`) {
				t.Errorf("%s: the editor's page ends all sessions without asking", lang)
			}
			ask := renderConsole(t, "editor_sessions_end.html", lang, d)
			if !strings.Contains(ask, `<input type="hidden" name="session" value="all">`) {
				t.Errorf("%s: the page asking has no form ending all sessions", lang)
			}
			if want := i18n.Plural(lang, "console.editors_sessions_end_what", n, e.Email, n); !strings.Contains(ask, want) {
				t.Errorf("%s: the page asking does not say %q", lang, want)
			}
			said := tn(lang, "editor_sessions_ended", n)
			if !strings.Contains(said, strconv.Itoa(n)) || n == 1 && pluralAfterOne[lang].MatchString(said) || n == 3 && said == strings.Replace(tn(lang, "editor_sessions_ended", 1), "1", "3", 1) {
				t.Errorf("%s: after ending %d sessions the notice says %q", lang, n, said)
			}
		}
	}
}
