package ingest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/errs"
)

// TestFetchFailuresAreSaid: each way a fetch fails is an errs.Error made
// from an English format (which the console translates) that names what
// went wrong, with Go's own error kept behind it for the detail.
func TestFetchFailuresAreSaid(t *testing.T) {
	n, _ := newFakeNet(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/gone":
			http.Error(w, "gone", http.StatusNotFound)
		case "/locked":
			http.Error(w, "no", http.StatusForbidden)
		case "/broken":
			http.Error(w, "oops", http.StatusInternalServerError)
		case "/teapot":
			http.Error(w, "tea", http.StatusTeapot)
		default:
			fmt.Fprint(w, "ok")
		}
	}))
	guarded := NewFetcher(FetcherConfig{Resolver: n, Dial: n.Dial})

	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refusing := "http://" + closed.Addr().String() + "/feed"
	closed.Close()
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	t.Cleanup(tlsSrv.Close)
	open := NewFetcher(FetcherConfig{AllowPrivate: true})

	for _, tc := range []struct {
		name     string
		f        *Fetcher
		url      string
		message  string // the English message, whole
		format   string
		behind   string // in the Go error kept behind it
		kind     errs.Kind
		refusing bool // an *AddressError is in the chain
	}{
		{"no such name", guarded, "http://feed.invalid/rss.xml", "feed.invalid: no server has this name",
			"%s: no server has this name", "no such host", errs.Unavailable, false},
		{"private address", guarded, "http://rebind.test/rss.xml",
			"not fetched from rebind.test (10.0.0.5): a private address, which this server does not fetch from unless its operator allows private networks (INGEST_ALLOW_PRIVATE_NETWORKS, see the README)",
			addressRefusal, "rebind.test", errs.Unavailable, true},
		{"not found", guarded, "http://public.test/gone", "http://public.test/gone: nothing at this address (HTTP 404)",
			"%s: nothing at this address (HTTP %d)", "404 Not Found", errs.Unavailable, false},
		{"forbidden", guarded, "http://public.test/locked", "http://public.test/locked: the server refuses access (HTTP 403)",
			"%s: the server refuses access (HTTP %d)", "403 Forbidden", errs.Unavailable, false},
		{"server error", guarded, "http://public.test/broken", "http://public.test/broken: the server failed (HTTP 500)",
			"%s: the server failed (HTTP %d)", "500 Internal Server Error", errs.Unavailable, false},
		{"other status", guarded, "http://public.test/teapot", "http://public.test/teapot: the server answered HTTP 418",
			"%s: the server answered HTTP %d", "418", errs.Unavailable, false},
		{"refused", open, refusing, strings.TrimSuffix(strings.TrimPrefix(refusing, "http://"), "/feed") + ": the server refused the connection",
			"%s: the server refused the connection", "connection refused", errs.Unavailable, false},
		{"untrusted certificate", open, tlsSrv.URL + "/feed",
			strings.TrimPrefix(tlsSrv.URL, "https://") + ": the server's certificate is not valid, so the connection is not safe",
			"%s: the server's certificate is not valid, so the connection is not safe", "certificate", errs.Unavailable, false},
	} {
		_, err := tc.f.Fetch(context.Background(), tc.url, Validators{})
		if err == nil {
			t.Errorf("%s: fetched", tc.name)
			continue
		}
		format, _, ok := errs.TemplateOf(err)
		if got := errs.MessageOf(err); got != tc.message || !ok || format != tc.format || errs.KindOf(err) != tc.kind {
			t.Errorf("%s: %q (format %q, kind %s), want %q (format %q, kind %s)", tc.name, got, format, errs.KindOf(err), tc.message, tc.format, tc.kind)
		}
		if cause := errors.Unwrap(err); cause == nil || !strings.Contains(cause.Error(), tc.behind) {
			t.Errorf("%s: behind it %v, want Go's error naming %q", tc.name, cause, tc.behind)
		}
		var ae *AddressError
		if errors.As(err, &ae) != tc.refusing {
			t.Errorf("%s: an AddressError in the chain is %v, want %v", tc.name, !tc.refusing, tc.refusing)
		}
	}
}

// A server's Retry-After is read in both its forms, as a wait from now,
// and bounded.
func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":                              0,
		"120":                           2 * time.Minute,
		" 3600 ":                        time.Hour,
		"0":                             0,
		"-5":                            0,
		"soon":                          0,
		"Mon, 07 Dec 2026 12:30:00 GMT": 150 * time.Minute,
		"Mon, 07 Dec 2026 09:00:00 GMT": 0, // past
		"99999999999":                   MaxRetryAfter,
		"Fri, 01 Jan 2100 00:00:00 GMT": MaxRetryAfter,
	} {
		if got := retryAfter(v, now); got != want {
			t.Errorf("Retry-After %q: %v, want %v", v, got, want)
		}
	}
}
