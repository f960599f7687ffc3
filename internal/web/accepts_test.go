package web

import (
	"net/http/httptest"
	"testing"
)

// TestAcceptsHTML: a browser's Accept (and a scanner passing for one)
// asks for a page; curl's, a script's with none, or one that refuses
// HTML, do not.
func TestAcceptsHTML(t *testing.T) {
	for accept, want := range map[string]bool{
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8": true,
		"application/xhtml+xml":           true,
		"TEXT/HTML; charset=utf-8":        true,
		"text/*;q=0.5, application/json":  true,
		"":                                false,
		"*/*":                             false,
		"application/json":                false,
		"text/html;q=0, application/json": false,
		"text/html; level=1; q=0.000, */*; q=0.1": false,
	} {
		r := httptest.NewRequest("GET", "/export/x", nil)
		if accept != "" {
			r.Header.Set("Accept", accept)
		}
		if got := acceptsHTML(r); got != want {
			t.Errorf("Accept %q: page %v, want %v", accept, got, want)
		}
	}
}
