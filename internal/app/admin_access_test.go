package app_test

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// idForms are the fields a route reads before it looks the id up: sent
// valid, so the answer is about the id.
var idForms = map[string]url.Values{
	"/admin/items/:id/link":    {"other": {"1"}},
	"/admin/items/:id/feature": {"span": {"week"}},
}

// consoleRoutesWithID are the console's routes behind the login that
// name a record in their path, from routeRules (which holds every route
// web registers), as "METHOD path".
func consoleRoutesWithID() []string {
	var out []string
	for r, rule := range routeRules {
		switch rule.who {
		case anySession, editRole, peopleRole, ownerOnly:
			if strings.Contains(r, ":id") || strings.Contains(r, ":draft") {
				out = append(out, r)
			}
		}
	}
	sort.Strings(out)
	return out
}

// TestConsoleIDsThatAreNoRecord: an id in a console address that is not a
// number, overflows int64, is not positive or names nothing answers 404
// (or 400), never 500. A tag suggestion is the exception: one another
// editor took meanwhile sends back to the list with a notice saying so,
// and a form's address opened with a number leads (303) to the form's
// page, which answers for the record.
// Who may use each route is TestEveryRouteAccess's.
func TestConsoleIDsThatAreNoRecord(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	owner := newLoginClient(s, "")
	if resp, _ := owner.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner login: %d", resp.StatusCode)
	}
	routes := consoleRoutesWithID()
	if len(routes) < 30 {
		t.Fatalf("routeRules has %d console routes with an id; some went missing", len(routes))
	}
	for _, r := range routes {
		method, pattern, _ := strings.Cut(r, " ")
		if strings.HasPrefix(pattern, "/admin/tagging/suggestions/") {
			continue
		}
		for _, id := range []string{"abc", "99999999999999999999", "0", "-1", "9223372036854775807", "4242"} {
			path := strings.NewReplacer(":id", id, ":draft", id, ":action", "erase").Replace(pattern)
			var resp *http.Response
			var page string
			if method == "POST" {
				form := url.Values{}
				for k, v := range idForms[pattern] {
					form[k] = v
				}
				resp, page = owner.post("/admin/editors", path, form)
			} else {
				resp, page = owner.request(method, path, nil)
			}
			if _, err := strconv.ParseInt(id, 10, 64); err == nil && id != "0" && id != "-1" && routeRules[r].ok == http.StatusSeeOther {
				// A form's address opened again leads to the form's
				// page, which answers for the record.
				if resp.StatusCode != http.StatusSeeOther {
					t.Errorf("%s %s: %d, want 303: %.200s", method, path, resp.StatusCode, page)
				}
				continue
			}
			if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusBadRequest {
				t.Errorf("%s %s: %d, want 404 or 400: %.200s", method, path, resp.StatusCode, page)
			}
		}
	}
}
