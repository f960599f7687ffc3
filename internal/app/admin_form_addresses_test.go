package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"newsdigest/internal/app"
)

// TestConsoleFormAddressesOpenedAgain: every address a console form posts
// to (gin's routes, not a list kept by hand), opened with GET as a
// reload, the back button or a phone restoring a tab does, leads (303)
// to the page holding the form, or is that page; an address under /admin
// that names nothing is the console's own not-found page, in the
// console's language and with its navigation. The API answers as it
// did, in JSON.
func TestConsoleFormAddressesOpenedAgain(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	owner := newLoginClient(s, "")
	if resp, _ := owner.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner login: %d", resp.StatusCode)
	}

	routes := app.WebRoutes(t, s.cfg, s.log)
	pages := map[string]bool{}
	for _, r := range routes {
		if r.Method == "GET" {
			pages[r.Path] = true
		}
	}
	fill := strings.NewReplacer(":id", "14", ":draft", "14", ":action", "erase")
	posts := 0
	for _, r := range routes {
		if r.Method != "POST" || !strings.HasPrefix(r.Path, "/admin/") {
			continue
		}
		posts++
		if !pages[r.Path] {
			t.Errorf("GET %s is no route: a reload of its form's answer is a 405", r.Path)
			continue
		}
		at := fill.Replace(r.Path)
		resp, page := owner.request("GET", at, nil)
		switch loc := resp.Header.Get("Location"); {
		case resp.StatusCode == http.StatusSeeOther:
			if !strings.HasPrefix(loc, "/admin") || loc == at {
				t.Errorf("GET %s leads to %q, not to a console page of its own", at, loc)
			}
		case !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(page, `action="/admin/logout"`):
			t.Errorf("GET %s: %d %s, not a console page: %.200s", at, resp.StatusCode, resp.Header.Get("Content-Type"), page)
		}
	}
	if posts < 30 {
		t.Fatalf("%d console POST routes: the routes were not read right", posts)
	}

	// Where each form is: the addresses an editor meets most.
	for at, want := range map[string]string{
		"/admin/items/14/hide":                  "/admin/items/14",
		"/admin/items/14/link":                  "/admin/items/14",
		"/admin/editions/1/retry":               "/admin/editions/1",
		"/admin/editions/1/resume":              "/admin/editions/1",
		"/admin/logout":                         "/admin",
		"/admin/tagging/suggestions/accept-all": "/admin/tagging/suggestions",
		"/admin/sources/3/poll":                 "/admin/sources",
		"/admin/editions/test-send":             "/admin/editions/preview",
		"/admin/subscribers/import/confirm":     "/admin/subscribers/import",
		"/admin/editors/password":               "/admin/editors",
		"/admin/editors/2/roles":                "/admin/editors/2",
	} {
		resp, page := owner.request("GET", at, nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("GET %s: %d to %q, want 303 to %s: %.200s", at, resp.StatusCode, resp.Header.Get("Location"), want, page)
		}
	}
	if !owner.sessionLive("/admin") {
		t.Fatal("GET /admin/logout logged the owner out")
	}
	anonymous := newLoginClient(s, "")
	if resp, _ := anonymous.request("GET", "/admin/logout", nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin" {
		t.Errorf("GET /admin/logout without a session: %d to %q, want 303 to /admin (and on to the login)", resp.StatusCode, resp.Header.Get("Location"))
	}

	// An address that names nothing: the console's page, in its language.
	owner.request("GET", "/admin?lang=es", nil)
	resp, page := owner.request("GET", "/admin/nada", nil)
	for _, want := range []string{`<html lang="es">`, "Esta página no existe.", `href="/admin/items"`, `action="/admin/logout"`, `name="csrf_token"`} {
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(page, want) {
			t.Errorf("GET /admin/nada: %d, the page lacks %q:\n%.600s", resp.StatusCode, want, page)
		}
	}
	if strings.Contains(page, `href="/"`) {
		t.Error("GET /admin/nada links to the public front page")
	}
	resp, page = anonymous.request("GET", "/admin/nada", nil)
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(page, "/admin/static/admin.css") || strings.Contains(page, `href="/admin/items"`) {
		t.Errorf("GET /admin/nada without a session: %d, want the console's 404 without its sections: %.600s", resp.StatusCode, page)
	}
	resp, page = owner.request("PUT", "/admin/items/14", nil)
	if resp.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(page, "Esta dirección no acepta ese tipo de petición.") {
		t.Errorf("PUT /admin/items/14: %d, want the console's 405 in Spanish: %.600s", resp.StatusCode, page)
	}

	// The API keeps its JSON errors.
	for _, c := range []struct {
		method, path string
		status       int
		code         string
	}{
		{"GET", "/api/v1/editions/1/retry", http.StatusMethodNotAllowed, "method_not_allowed"},
		{"GET", "/api/v1/nada", http.StatusNotFound, "not_found"},
	} {
		status, body := s.do(c.method, c.path, "", nil, true)
		var e apiErr
		if err := json.Unmarshal(body, &e); err != nil || status != c.status || e.Error.Code != c.code {
			t.Errorf("%s %s: %d %s, want %d with code %s", c.method, c.path, status, body, c.status, c.code)
		}
	}
}
