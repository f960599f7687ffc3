package app_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"newsdigest/internal/app"
	"newsdigest/internal/config"
	"newsdigest/internal/testenv"
)

// webOnly is a web process alone (no worker, no SMTP server), with its
// metrics on a listener the test made and its log kept for reading.
type webOnly struct {
	*stack
	metrics string // base URL of the metrics listener
	logs    *logBuffer
}

// startWeb starts web with some settings changed; BASE_URL defaults to
// the listener's own address, which is where requests go either way.
func startWeb(t *testing.T, overrides map[string]string) *webOnly {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ml, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + l.Addr().String()
	env := map[string]string{
		"DATABASE_URL": testenv.DatabaseURL(t),
		"REDIS_URL":    testenv.RedisURL(t),
		"BASE_URL":     base,
		"ADMIN_TOKEN":  adminToken,
		"SECRET_KEY":   secretKey,
	}
	for k, v := range overrides {
		env[k] = v
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- (&app.Web{Config: cfg, Log: log, Registry: prometheus.NewRegistry(), Listener: l, MetricsListener: ml}).Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("web shutdown: %v", err)
		}
	})
	s := &stack{t: t, base: base, http: &http.Client{Timeout: requestTimeout}, cfg: cfg, ctx: ctx, log: log}
	s.waitReady()
	return &webOnly{stack: s, metrics: "http://" + ml.Addr().String(), logs: logs}
}

// waitMetrics polls the metrics listener until its answer holds want:
// a request is counted only after its answer has been sent.
func (w *webOnly) waitMetrics(t *testing.T, want string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, body := get(t, "GET", w.metrics+"/metrics", nil)
		if resp.StatusCode == http.StatusOK && strings.Contains(body, want) {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("metrics: %d, no %s after 10s:\n%.3000s", resp.StatusCode, want, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// logBuffer collects log output written from the server's goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// get sends a request with headers and returns the response with its body
// read.
func get(t *testing.T, method, url string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	client := &http.Client{Timeout: requestTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestSecurityHeadersOnEveryAnswer covers pages, API answers, errors, 404s,
// health checks, gin's own redirects and the stylesheet; and HSTS only
// when BASE_URL is https.
func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	t.Parallel()
	w := startWeb(t, nil)
	const token = "AAAAAAAAAAAAAAAAAAAAAA"
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/", 200},
		{"GET", "/?lang=es", 200},
		{"GET", "/healthz", 200},
		{"GET", "/readyz", 200},
		{"GET", "/static/site.css", 200},
		{"GET", "/no/such/page", 404},
		{"GET", "/metrics", 404},
		{"GET", "/api/v1/no-such-call", 404},
		{"GET", "/api/v1/taxonomy", 200},
		{"GET", "/api/v1/items", 401},
		{"POST", "/subscribe", 415},
		{"DELETE", "/healthz", 405},
		{"GET", "/preferences/" + token, 404},
		{"GET", "/unsubscribe/" + token + "/", 301}, // gin's trailing-slash redirect
		{"GET", "/digest/1/" + token, 404},
	} {
		resp, body := get(t, tc.method, w.base+tc.path, nil)
		what := tc.method + " " + tc.path
		if resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d: %.300s", what, resp.StatusCode, tc.status, body)
		}
		checkSecurityHeaders(t, what, tc.path, resp.Header)
	}
	if resp, _ := get(t, "GET", w.base+"/static/site.css", nil); !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
		t.Errorf("stylesheet Content-Type %q", resp.Header.Get("Content-Type"))
	}

	tls := startWeb(t, map[string]string{"BASE_URL": "https://news.example.org"})
	for _, path := range []string{"/healthz", "/", "/no/such/page", "/api/v1/items"} {
		resp, _ := get(t, "GET", tls.base+path, nil)
		if hsts := resp.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(hsts, "max-age=") {
			t.Errorf("https BASE_URL, GET %s: Strict-Transport-Security %q", path, hsts)
		}
	}
}

// checkSecurityHeaders asserts the headers every answer over plain http
// carries; path decides whether inline styles are allowed.
func checkSecurityHeaders(t *testing.T, what, path string, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("%s: Content-Security-Policy %q", what, csp)
	}
	// Scripts only from the app's own files (the forms' estimate): none
	// inline, none from elsewhere.
	for _, d := range strings.Split(csp, ";") {
		if d = strings.TrimSpace(d); strings.HasPrefix(d, "script-src") && d != "script-src 'self'" {
			t.Errorf("%s: Content-Security-Policy allows scripts beyond the app's own: %q", what, d)
		}
	}
	if strings.HasPrefix(path, "/digest/") != strings.Contains(csp, "'unsafe-inline'") {
		t.Errorf("%s: Content-Security-Policy %q: inline styles belong to /digest/ alone", what, csp)
	}
	for k, want := range map[string]string{
		"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %s = %q, want %q", what, k, got, want)
		}
	}
	if hsts := h.Get("Strict-Transport-Security"); hsts != "" {
		t.Errorf("%s: Strict-Transport-Security %q over plain http", what, hsts)
	}
}

// TestSecurityHeadersOnTokenPages: the pages a subscriber's links open,
// working (200), carry the same headers.
func TestSecurityHeadersOnTokenPages(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	s.subscribeAndConfirm("reader@example.org", []string{"CR"})
	if e := s.edition("a story"); e.Status != "done" || e.Sent != 1 {
		t.Fatalf("edition = %+v", e)
	}
	tok, view := s.digestLinks("reader@example.org")
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{
		"email": "pending@example.org", "countries": []string{"CR"}, "language": "en", "mode": "any",
	}, nil, http.StatusAccepted)
	for _, path := range []string{s.confirmPath("pending@example.org", 1), "/preferences/" + tok, "/unsubscribe/" + tok, view} {
		resp, body := get(t, "GET", s.base+path, nil)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d: %.300s", path, resp.StatusCode, body)
		}
		checkSecurityHeaders(t, "GET "+path, path, resp.Header)
	}
}

// TestAdminBearerSchemeIsCaseInsensitive: RFC 7235 scheme names are
// case-insensitive; the token itself is not.
func TestAdminBearerSchemeIsCaseInsensitive(t *testing.T) {
	t.Parallel()
	w := startWeb(t, nil)
	for _, tc := range []struct {
		header string
		status int
	}{
		{"Bearer " + adminToken, 200},
		{"bearer " + adminToken, 200},
		{"BEARER " + adminToken, 200},
		{"bEaReR  " + adminToken, 200},
		{"Bearer " + strings.ToUpper(adminToken), 401},
		{"Bearer" + adminToken, 401},
		{"Basic " + adminToken, 401},
		{"Bearer", 401},
	} {
		resp, body := get(t, "GET", w.base+"/api/v1/editions", http.Header{"Authorization": {tc.header}})
		if resp.StatusCode != tc.status {
			t.Errorf("Authorization %q: status %d, want %d: %s", tc.header, resp.StatusCode, tc.status, body)
		}
	}
}
