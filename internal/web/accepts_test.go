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

// TestPageLangFollowsTheBrowsersWeights: ?lang= first, then the
// reader's own language, then the browser's languages by their q values
// (a French reader in Haiti whose browser puts English first in the list
// but at q=0.2 gets French), else English.
func TestPageLangFollowsTheBrowsersWeights(t *testing.T) {
	for _, tc := range []struct{ query, fallback, accept, want string }{
		{"", "", "en;q=0.2, fr-HT;q=0.9", "fr"},
		{"", "", "fr-HT, en;q=0.5", "fr"},
		{"", "", "en-US,en;q=0.9", "en"},
		{"", "", "de;q=1, es;q=0.3, fr;q=0", "es"},
		{"", "", "de", "en"},
		{"", "", "", "en"},
		{"", "es", "en;q=0.2, fr-HT;q=0.9", "es"},
		{"?lang=en", "es", "fr-HT", "en"},
		{"?lang=xx", "", "es-MX", "es"},
	} {
		r := httptest.NewRequest("GET", "/"+tc.query, nil)
		if tc.accept != "" {
			r.Header.Set("Accept-Language", tc.accept)
		}
		if got := pageLang(r, tc.fallback); got != tc.want {
			t.Errorf("%q, fallback %q, Accept-Language %q: %s, want %s", tc.query, tc.fallback, tc.accept, got, tc.want)
		}
	}
}
