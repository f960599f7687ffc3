package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestTextPostgresCannotHoldIsRefused: a NUL, or bytes that are not
// UTF-8, in a query, a JSON body or a console form is the client's
// mistake, answered 400, never a 500 from the database refusing it.
func TestTextPostgresCannotHoldIsRefused(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	id := itoa(s.postItem(map[string]any{"published_on": "2024-01-03", "title": "A story to edit", "summary": "Its summary.",
		"url": "https://example.org/story", "language": "en"}))
	for _, path := range []string{
		"/api/v1/subscribers?address=a%00b", "/api/v1/subscribers?address=a%FFb", "/api/v1/subscribers.csv?address=a%00b",
		"/api/v1/items?country=a%00b", "/api/v1/items?topic=a%FFb",
	} {
		status, body := s.do("GET", path, "", nil, true)
		if status != http.StatusBadRequest || !strings.Contains(string(body), `"code":"malformed"`) {
			t.Errorf("GET %s: %d %.200s, want 400 malformed", path, status, body)
		}
	}
	status, body := s.do("PATCH", "/api/v1/items/"+id, "application/json", []byte(`{"title":"Nul\u0000title"}`), true)
	if status != http.StatusBadRequest || !strings.Contains(string(body), "title") {
		t.Errorf("PATCH a title holding a NUL: %d %.200s, want 400 naming the field", status, body)
	}

	owner := newLoginClient(s, "")
	if resp, _ := owner.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner login: %d", resp.StatusCode)
	}
	for _, path := range []string{
		"/admin/subscribers?address=a%00b", "/admin/subscribers.csv?address=a%00b", "/admin/items?q=a%FFb",
		"/admin/items?country=a%00b", "/admin/audit?actor=a%00b", "/admin/editions/preview?email=a%00b",
	} {
		if resp, page := owner.request("GET", path, nil); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s: %d, want 400: %.200s", path, resp.StatusCode, page)
		}
	}
	form := url.Values{"title": {"Nul\x00title"}, "summary": {"Its summary."}, "url": {"https://example.org/story"},
		"published_on": {"2024-01-03"}, "language": {"en"}}
	if resp, page := owner.post("/admin/items/"+id, "/admin/items/"+id, form); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an item saved with a NUL in its title: %d, want 400: %.200s", resp.StatusCode, page)
	}
	var title string
	s.subsQuery(`SELECT title FROM items WHERE id = $1`, []any{id}, &title)
	if title != "A story to edit" {
		t.Errorf("the title is now %q", title)
	}
}
