package admin

import (
	"bytes"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/domain"
)

var (
	navList  = regexp.MustCompile(`(?s)<nav [^>]*>(.*?)</nav>`)
	navLabel = regexp.MustCompile(`<a [^>]*>([^<]*)</a>`)
)

// navLabels renders the console's navigation for an editor with roles
// and returns its entries' words. The navigation offers what the role
// checks of Mount open: a page behind a role is listed only with it.
func navLabels(t *testing.T, lang string, roles domain.Roles) []string {
	t.Helper()
	pages, err := parsePages(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	p := page{Lang: lang, Title: "x", User: &user{Name: "ed@example.org", EditorID: 1, Roles: roles}}
	if err := pages.ExecuteTemplate(&out, "top", p); err != nil {
		t.Fatal(err)
	}
	nav := navList.FindStringSubmatch(out.String())
	if nav == nil {
		t.Fatalf("%s: no navigation", lang)
	}
	var labels []string
	for _, m := range navLabel.FindAllStringSubmatch(nav[1], -1) {
		labels = append(labels, html.UnescapeString(m[1]))
	}
	return labels
}

// TestRolesSayWhatTheyOpen: what the owner reads when giving roles names
// every page each role opens, by the navigation's word for it, and every
// page all editors have whatever their roles (all an editor given neither
// has); a page given to a role, or to all, cannot be left out of the
// words.
func TestRolesSayWhatTheyOpen(t *testing.T) {
	for _, lang := range domain.Languages {
		every := navLabels(t, lang, domain.Roles{})
		if len(every) == 0 {
			t.Fatalf("%s: an editor without roles has no page", lang)
		}
		for _, c := range []struct {
			key   string
			pages []string
		}{
			{"roles_base_hint", every},
			{"role_edit_hint", added(navLabels(t, lang, domain.Roles{Edit: true}), every)},
			{"role_subscribers_hint", added(navLabels(t, lang, domain.Roles{Subscribers: true}), every)},
		} {
			if len(c.pages) == 0 {
				t.Fatalf("%s: %s: no page to name", lang, c.key)
			}
			text := strings.ToLower(msg(lang, c.key))
			for _, p := range c.pages {
				if !strings.Contains(text, strings.ToLower(p)) {
					t.Errorf("%s: %s does not name %q: %q", lang, c.key, p, msg(lang, c.key))
				}
			}
		}
	}
}

// added returns the labels of with that are not in without.
func added(with, without []string) []string {
	var out []string
	for _, l := range with {
		if !slices.Contains(without, l) {
			out = append(out, l)
		}
	}
	return out
}

// TestAddFormSaysWhatNoRoleGives: beside the roles' boxes, the form
// adding an editor says what one given neither role can do, so adding
// one with none is no surprise.
func TestAddFormSaysWhatNoRoleGives(t *testing.T) {
	form := regexp.MustCompile(`(?s)<form [^>]*id="editor-add".*?</form>`)
	for _, lang := range domain.Languages {
		f := form.FindString(renderConsole(t, "editors.html", lang, editorsData{}))
		if f == "" {
			t.Fatalf("%s: no form to add an editor", lang)
		}
		if !strings.Contains(f, msg(lang, "roles_base_hint")) || !strings.Contains(f, `aria-describedby="roles-base"`) {
			t.Errorf("%s: the add form does not say what an editor without roles can do:\n%s", lang, f)
		}
	}
}
