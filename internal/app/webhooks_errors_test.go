package app_test

import (
	"net/http"
	"testing"
)

// TestWebhookErrorsAreJSON: the bounce webhooks answer a relay in the
// API's error shape whatever is wrong, a method or an address as much
// as a signature: a relay's delivery log, or the operator reading it,
// gets {error: {code, message}} rather than a reader's HTML page or a
// bare line of text.
func TestWebhookErrorsAreJSON(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	for _, tc := range []struct {
		method, path, code, allow string
		status                    int
	}{
		{"GET", "/webhooks/bounces/ses", "method_not_allowed", "POST", http.StatusMethodNotAllowed},
		{"PUT", "/webhooks/bounces/mailgun", "method_not_allowed", "POST", http.StatusMethodNotAllowed},
		{"POST", "/webhooks/ses", "not_found", "", http.StatusNotFound},
		{"POST", "/webhooks/bounces/ses/notify", "not_found", "", http.StatusNotFound},
	} {
		resp, e, err := s.errorAnswer(tc.method, tc.path, false)
		if resp.StatusCode != tc.status || err != nil || e.Error.Code != tc.code || e.Error.Message == "" {
			t.Errorf("%s %s: %d %s, %v, %+v; want %d {error: {code: %s, message}}",
				tc.method, tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), err, e.Error, tc.status, tc.code)
		}
		if got := resp.Header.Get("Allow"); got != tc.allow {
			t.Errorf("%s %s: Allow %q, want %q", tc.method, tc.path, got, tc.allow)
		}
	}
}
