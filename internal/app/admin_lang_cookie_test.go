package app_test

import (
	"net/http"
	"testing"
)

// TestAdminLanguageCookieFollowsBaseURL: the console's language cookie is
// Secure when BASE_URL is https, however the request arrived, and not
// made Secure (nor left plain) by a client's X-Forwarded-Proto.
func TestAdminLanguageCookieFollowsBaseURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		base, proto string
		secure      bool
	}{
		{"https://console.example.org", "", true},
		{"https://console.example.org", "http", true},
		{"", "https", false}, // BASE_URL is the listener's plain http address
	} {
		overrides := map[string]string{"ADMIN_PASSWORD": adminPassword}
		if tc.base != "" {
			overrides["BASE_URL"] = tc.base
		}
		w := startWeb(t, overrides)
		header := http.Header{}
		if tc.proto != "" {
			header.Set("X-Forwarded-Proto", tc.proto)
		}
		resp, _ := get(t, "GET", w.base+"/admin/login?lang=es", header)
		var lang *http.Cookie
		for _, ck := range resp.Cookies() {
			if ck.Name == "nd_admin_lang" {
				lang = ck
			}
		}
		if lang == nil || lang.Value != "es" {
			t.Fatalf("BASE_URL %q, X-Forwarded-Proto %q: no nd_admin_lang=es cookie: %v", tc.base, tc.proto, resp.Header["Set-Cookie"])
		}
		if lang.Secure != tc.secure {
			t.Errorf("BASE_URL %q, X-Forwarded-Proto %q: language cookie Secure = %v, want %v", tc.base, tc.proto, lang.Secure, tc.secure)
		}
	}
}
