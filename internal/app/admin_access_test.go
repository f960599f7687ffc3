package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// consoleRoute is one console route and who may use it: "edit" and
// "subscribers" are the roles, "owner" the built-in owner alone, "" any
// session.
type consoleRoute struct {
	method, path, role string
}

// consoleRoutes are the console's routes behind the login, as
// internal/web/admin mounts them, with ":id" where a number goes.
var consoleRoutes = []consoleRoute{
	{"GET", "/admin", ""},
	{"POST", "/admin/logout", ""},
	{"GET", "/admin/queues", ""},
	{"GET", "/admin/editors", ""},
	{"POST", "/admin/editors/password", ""},

	{"GET", "/admin/items", "edit"},
	{"GET", "/admin/items/import", "edit"},
	{"POST", "/admin/items/import", "edit"},
	{"GET", "/admin/items/import/:id", "edit"},
	{"POST", "/admin/items/import/:id", "edit"},
	{"GET", "/admin/items/:id", "edit"},
	{"POST", "/admin/items/:id", "edit"},
	{"POST", "/admin/items/:id/hide", "edit"},
	{"POST", "/admin/items/:id/unhide", "edit"},
	{"POST", "/admin/items/:id/link", "edit"},
	{"POST", "/admin/items/:id/unlink", "edit"},
	{"POST", "/admin/items/:id/pick", "edit"},
	{"POST", "/admin/items/:id/unpick", "edit"},
	{"POST", "/admin/items/:id/feature", "edit"},
	{"GET", "/admin/tagging", "edit"},
	{"GET", "/admin/tagging/suggestions", "edit"},
	{"POST", "/admin/tagging/suggestions/accept-all", "edit"},
	{"POST", "/admin/tagging/suggestions/:id/accept", "edit"},
	{"POST", "/admin/tagging/suggestions/:id/keep", "edit"},
	{"GET", "/admin/sources", "edit"},
	{"POST", "/admin/sources", "edit"},
	{"GET", "/admin/sources/:id/remove", "edit"},
	{"POST", "/admin/sources/:id/remove", "edit"},
	{"POST", "/admin/sources/:id/poll", "edit"},
	{"GET", "/admin/sources/:id/edit", "edit"},
	{"POST", "/admin/sources/:id/edit", "edit"},
	{"GET", "/admin/editions", "edit"},
	{"GET", "/admin/editions/new", "edit"},
	{"POST", "/admin/editions", "edit"},
	{"GET", "/admin/editions/preview", "edit"},
	{"GET", "/admin/editions/preview.html", "edit"},
	{"POST", "/admin/editions/test-send", "edit"},
	{"GET", "/admin/editions/:id", "edit"},
	{"GET", "/admin/editions/:id/progress", "edit"},
	{"GET", "/admin/editions/:id/cancel", "edit"},
	{"POST", "/admin/editions/:id/cancel", "edit"},
	{"POST", "/admin/editions/:id/retry", "edit"},
	{"POST", "/admin/editions/:id/resume", "edit"},
	{"GET", "/admin/readers", "edit"},
	{"GET", "/admin/schedules", "edit"},
	{"POST", "/admin/schedules", "edit"},
	{"GET", "/admin/settings", "edit"},
	{"POST", "/admin/settings", "edit"},

	{"GET", "/admin/subscribers", "subscribers"},
	{"GET", "/admin/subscribers.csv", "subscribers"},
	{"GET", "/admin/subscribers/import", "subscribers"},
	{"POST", "/admin/subscribers/import", "subscribers"},
	{"POST", "/admin/subscribers/import/confirm", "subscribers"},
	{"GET", "/admin/subscribers/:id", "subscribers"},
	{"GET", "/admin/subscribers/:id/erase", "subscribers"},
	{"POST", "/admin/subscribers/:id/erase", "subscribers"},
	{"POST", "/admin/subscribers/:id/unsubscribe", "subscribers"},
	{"POST", "/admin/subscribers/:id/suppress", "subscribers"},
	{"GET", "/admin/audit", "subscribers"},

	{"POST", "/admin/editors", "owner"},
	{"GET", "/admin/editors/:id", "owner"},
	{"POST", "/admin/editors/:id/password", "owner"},
	{"POST", "/admin/editors/:id/roles", "owner"},
	{"POST", "/admin/editors/:id/sessions", "owner"},
	{"GET", "/admin/editors/:id/remove", "owner"},
	{"POST", "/admin/editors/:id/remove", "owner"},
}

// at is the route's path with id for ":id".
func (r consoleRoute) at(id string) string { return strings.ReplaceAll(r.path, ":id", id) }

// TestConsoleRoutesGuarded walks every console route behind the login:
// without a session each sends to the login; a form posted without its
// CSRF token is refused; an editor without the route's role, or anyone
// but the owner on the owner's pages, gets 403 and nothing is done.
func TestConsoleRoutesGuarded(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	owner := newLoginClient(s, "")
	if resp, _ := owner.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner login: %d", resp.StatusCode)
	}
	const pw = "a guarded editor's long passphrase 83"
	editors := map[string]*loginClient{}
	for role, roles := range map[string][]string{"none": nil, "edit": {"edit"}, "subscribers": {"subscribers"}, "both": {"edit", "subscribers"}} {
		addr := "guard." + role + "@example.org"
		addEditor(t, owner, addr, pw, roles...)
		lc := newLoginClient(s, "")
		if resp, _ := lc.login(addr, pw); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login of %s: %d", addr, resp.StatusCode)
		}
		editors[role] = lc
	}
	anonymous := newLoginClient(s, "")
	for _, r := range consoleRoutes {
		path := r.at("1")
		if resp, _ := anonymous.request(r.method, path, url.Values{}); resp.StatusCode != http.StatusSeeOther ||
			!strings.HasPrefix(resp.Header.Get("Location"), "/admin/login") {
			t.Errorf("%s %s without a session: %d (Location %q), want the login", r.method, path, resp.StatusCode, resp.Header.Get("Location"))
		}
		if r.method == "POST" {
			// A form without its token, from a session that may post it.
			if resp, page := editors["both"].request(r.method, path, url.Values{}); resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s without the CSRF token: %d, want 403: %.200s", r.method, path, resp.StatusCode, page)
			}
		}
		for who, lc := range editors {
			refused := r.role == "owner" || (r.role != "" && who != r.role && who != "both")
			if !refused || r.path == "/admin/logout" {
				continue
			}
			var resp *http.Response
			var page string
			if r.method == "POST" {
				resp, page = lc.post("/admin/editors", path, url.Values{})
			} else {
				resp, page = lc.request(r.method, path, nil)
			}
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s by an editor with role %s: %d, want 403: %.200s", r.method, path, who, resp.StatusCode, page)
			}
		}
	}
}

// idForms are the fields a route reads before it looks the id up: sent
// valid, so the answer is about the id.
var idForms = map[string]url.Values{
	"/admin/items/:id/link":    {"other": {"1"}},
	"/admin/items/:id/feature": {"span": {"week"}},
}

// TestConsoleIDsThatAreNoRecord: an id in a console address that is not a
// number, overflows int64, is not positive or names nothing answers 404
// (or 400), never 500. A tag suggestion is the exception: one another
// editor took meanwhile sends back to the list with a notice saying so.
func TestConsoleIDsThatAreNoRecord(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	owner := newLoginClient(s, "")
	if resp, _ := owner.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner login: %d", resp.StatusCode)
	}
	for _, r := range consoleRoutes {
		if !strings.Contains(r.path, ":id") || strings.HasPrefix(r.path, "/admin/tagging/suggestions/") {
			continue
		}
		for _, id := range []string{"abc", "99999999999999999999", "0", "-1", "9223372036854775807", "4242"} {
			path := r.at(id)
			var resp *http.Response
			var page string
			if r.method == "POST" {
				form := url.Values{}
				for k, v := range idForms[r.path] {
					form[k] = v
				}
				resp, page = owner.post("/admin/editors", path, form)
			} else {
				resp, page = owner.request(r.method, path, nil)
			}
			if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusBadRequest {
				t.Errorf("%s %s: %d, want 404 or 400: %.200s", r.method, path, resp.StatusCode, page)
			}
		}
	}
}
