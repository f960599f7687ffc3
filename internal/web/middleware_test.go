package web

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"newsdigest/internal/config"
)

func TestLabelsComeFromFixedSets(t *testing.T) {
	for method, want := range map[string]string{
		"GET": "GET", "POST": "POST", "PATCH": "PATCH", "OPTIONS": "OPTIONS",
		"get": "other", "PROPFIND": "other", strings.Repeat("X", 30000): "other", "": "other",
	} {
		if got := foldMethod(method); got != want {
			t.Errorf("foldMethod(%.20q) = %q, want %q", method, got, want)
		}
	}
	for code, want := range map[int]string{200: "200", 404: "404", 599: "599", 600: "other", 999: "other", 99: "other"} {
		if got := statusLabel(code); got != want {
			t.Errorf("statusLabel(%d) = %q, want %q", code, got, want)
		}
	}
}

func TestRequestIDTakenOnlyFromTrustedProxies(t *testing.T) {
	s := &Server{cfg: testConfig(t, "10.0.0.0/8")}
	for _, tc := range []struct {
		peer, sent string
		kept       bool
	}{
		{"10.1.2.3:5000", "edge-1f2e3d", true},
		{"[::ffff:10.1.2.3]:5000", "edge-1f2e3d", true},
		{"192.0.2.1:5000", "edge-1f2e3d", false},                        // not a trusted peer
		{"10.1.2.3:5000", "has space", false},                           // not plain
		{"10.1.2.3:5000", "line\nbreak", false},                         // not plain
		{"10.1.2.3:5000", strings.Repeat("a", 65), false},               // too long
		{"10.1.2.3:5000", "", false},                                    // none sent
		{"not-an-address", "edge-1f2e3d", false},                        // unknown peer
		{"10.1.2.3:5000", strings.Repeat("a", 64), true},                // at the limit
		{"10.1.2.3:5000", "0f8fad5b-d9cb-469f-a165-70867728950e", true}, // a UUID
	} {
		r := httptest.NewRequest("GET", "/healthz", nil)
		r.RemoteAddr = tc.peer
		if tc.sent != "" {
			r.Header["X-Request-Id"] = []string{tc.sent}
		}
		got := s.requestID(r)
		if (got == tc.sent) != tc.kept {
			t.Errorf("peer %s sent %.20q: got %q, kept want %v", tc.peer, tc.sent, got, tc.kept)
		}
		if !validRequestID(got) {
			t.Errorf("peer %s: made id %q is not plain", tc.peer, got)
		}
	}
}

func testConfig(t *testing.T, proxies ...string) *config.Config {
	t.Helper()
	c := &config.Config{}
	for _, p := range proxies {
		c.TrustedProxies = append(c.TrustedProxies, netip.MustParsePrefix(p))
	}
	return c
}
