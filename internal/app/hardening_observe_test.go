package app_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/app"
)

var (
	labelPair   = regexp.MustCompile(`(\w+)="((?:[^"\\]|\\.)*)"`)
	requestIDRe = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)
	stdMethods  = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE", "other"}
)

// randomWord is n random letters: a method or path segment no server
// could have known in advance.
func randomWord(n int) string {
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(rand.Text())
	}
	return strings.Map(func(r rune) rune { return 'A' + r%26 }, b.String()[:n])
}

// TestMetricsOnTheirOwnListenerWithBoundedLabels sends what made /metrics
// grow without end (random methods, token paths, junk paths) and checks
// that every label value comes from a fixed set, and that the public
// listener does not serve metrics at all.
func TestMetricsOnTheirOwnListenerWithBoundedLabels(t *testing.T) {
	t.Parallel()
	w := startWeb(t, nil)
	if resp, _ := get(t, "GET", w.base+"/metrics", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /metrics on the public listener: %d, want 404", resp.StatusCode)
	}
	var junk []string
	for range 20 {
		m := randomWord(3000)
		junk = append(junk, m)
		get(t, m, w.base+"/healthz", nil)
	}
	const token = "Zm9yZ2VkVG9rZW5WYWx1ZQ"
	for _, p := range []string{"/preferences/" + token, "/confirm/" + token, "/" + randomWord(40)} {
		junk = append(junk, strings.TrimPrefix(p, "/"))
		get(t, "GET", w.base+p, nil)
	}
	get(t, "get", w.base+"/healthz", nil)
	get(t, "PROPFIND", w.base+"/", nil)
	get(t, "GET", w.base+"/api/v1/taxonomy", nil) // the last: once it is counted, so are the others

	body := w.waitMetrics(t, `route="/api/v1/taxonomy"`)
	for _, j := range append(junk, token) {
		if strings.Contains(body, j[:20]) {
			t.Errorf("metrics hold a value the client chose: %.40s…", j)
		}
	}
	seen := map[string]map[string]bool{"method": {}, "route": {}, "status": {}}
	for _, line := range strings.Split(body, "\n") {
		if !strings.HasPrefix(line, "newsdigest_http_") {
			continue
		}
		for _, m := range labelPair.FindAllStringSubmatch(line, -1) {
			if seen[m[1]] != nil {
				seen[m[1]][m[2]] = true
			}
		}
	}
	for method := range seen["method"] {
		if !slices.Contains(stdMethods, method) {
			t.Errorf("method label %.60q is not a standard method nor \"other\"", method)
		}
	}
	for route := range seen["route"] {
		if route != "unmatched" && !strings.HasPrefix(route, "/") || strings.Contains(route, token) {
			t.Errorf("route label %.60q is neither a route pattern nor \"unmatched\"", route)
		}
	}
	for status := range seen["status"] {
		if !regexp.MustCompile(`^[1-5][0-9][0-9]$`).MatchString(status) {
			t.Errorf("status label %q", status)
		}
	}
	for label, want := range map[string]string{"method": "other", "route": "/preferences/:token"} {
		if !seen[label][want] {
			t.Errorf("no %s label %q among %v", label, want, seen[label])
		}
	}
	if !seen["route"]["unmatched"] {
		t.Errorf("no route label \"unmatched\" among %v", seen["route"])
	}
}

// TestWorkerServesDefaultRegistryWhenAsked: the worker's metrics are the
// default registry's (Go and process collectors included), with its
// delivery counts. The listener answers from before the worker's
// services are made (its probes say why it is not ready yet), so the
// counts come a moment after the first answer.
func TestWorkerServesDefaultRegistryWhenAsked(t *testing.T) {
	t.Parallel()
	w := startWeb(t, nil)
	base := startWorkerListening(t, w)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, body := get(t, "GET", base+"/metrics", nil)
		if resp.StatusCode == http.StatusOK && strings.Contains(body, "go_goroutines") && strings.Contains(body, "process_") &&
			strings.Contains(body, `newsdigest_deliveries_total{status="sent"}`) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("worker metrics after 30s: %d, without the Go, process or delivery counts:\n%s", resp.StatusCode, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// startWorkerListening runs a worker beside w, with its metrics and
// probes on a listener of its own, until the test ends; it returns the
// listener's base URL.
func startWorkerListening(t *testing.T, w *webOnly) string {
	t.Helper()
	ml, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- (&app.Worker{Config: w.cfg, Log: w.log, Options: testWorkerOptions(), MetricsListener: ml}).Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("worker shutdown: %v", err)
		}
	})
	return "http://" + ml.Addr().String()
}

// TestClientIPFromTrustedProxiesOnly: X-Forwarded-For decides the IP
// recorded with consent only when the peer is in TRUSTED_PROXIES.
func TestClientIPFromTrustedProxiesOnly(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, proxies, want string
	}{
		{"none trusted", "", "127.0.0.1"},
		{"loopback trusted", "127.0.0.1/32", "203.0.113.7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := startWeb(t, map[string]string{"TRUSTED_PROXIES": tc.proxies})
			body := `{"email":"ip@example.org","countries":["CR"],"language":"en","mode":"any"}`
			req, _ := http.NewRequest("POST", w.base+"/api/v1/subscriptions", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Forwarded-For", "198.51.100.1, 203.0.113.7")
			req.Header.Set("X-Real-IP", "192.0.2.99")
			resp, err := w.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusAccepted {
				t.Fatalf("subscribe: %d", resp.StatusCode)
			}
			if got := consentIP(t, w.stack, "ip@example.org"); got != tc.want {
				t.Errorf("consent IP %q, want %q", got, tc.want)
			}
		})
	}
}

func consentIP(t *testing.T, s *stack, email string) string {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), s.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var ip string
	err = conn.QueryRow(context.Background(), `
		SELECT c.ip FROM consents c JOIN subscribers s ON s.id = c.subscriber_id
		WHERE s.email = $1 AND c.action = 'subscribe'`, email).Scan(&ip)
	if err != nil {
		t.Fatal(err)
	}
	return ip
}

// requestLine is one request's log line.
type requestLine struct {
	Msg       string `json:"msg"`
	RequestID string `json:"request_id"`
	Method    string `json:"method"`
	Route     string `json:"route"`
	Status    int    `json:"status"`
	Duration  *int64 `json:"duration"`
}

// TestRequestLog: one line per request with method, route pattern,
// status, duration and the id returned as X-Request-ID; never a token, a
// query or an email address; a client's own X-Request-ID is not taken.
func TestRequestLog(t *testing.T) {
	t.Parallel()
	w := startWeb(t, nil)
	const token = "c2VjcmV0LXRva2VuLXZhbA"
	type call struct {
		method, path, body, id string
		route                  string
		status                 int
	}
	calls := []call{
		{"GET", "/preferences/" + token + "?email=hidden.person%40example.org", "", "", "/preferences/:token", 404},
		{"POST", "/api/v1/subscriptions", `{"email":"another.person@example.org","countries":["CR"]}`, "", "/api/v1/subscriptions", 202},
		{"GET", "/nowhere/" + token, "", "", "unmatched", 404},
		{"GET", "/healthz", "", "client-chosen-id", "/healthz", 200},
		{"BREW", "/healthz", "", "", "unmatched", 405},
	}
	ids := map[string]call{}
	for _, c := range calls {
		req, _ := http.NewRequest(c.method, w.base+c.path, strings.NewReader(c.body))
		req.Header.Set("Content-Type", "application/json")
		if c.id != "" {
			req.Header.Set("X-Request-ID", c.id)
		}
		resp, err := w.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		id := resp.Header.Get("X-Request-ID")
		if !requestIDRe.MatchString(id) || id == c.id {
			t.Errorf("%s %s: X-Request-ID %q", c.method, c.path, id)
		}
		if _, dup := ids[id]; dup {
			t.Errorf("X-Request-ID %q given twice", id)
		}
		ids[id] = c
	}

	// The line is written once the answer is sent: wait for all of them.
	lines := map[string]requestLine{}
	deadline := time.Now().Add(10 * time.Second)
	for len(lines) < len(ids) && time.Now().Before(deadline) {
		for _, raw := range strings.Split(w.logs.String(), "\n") {
			var l requestLine
			if json.Unmarshal([]byte(raw), &l) == nil && l.Msg == "request" {
				if _, ok := ids[l.RequestID]; ok {
					lines[l.RequestID] = l
					if strings.Contains(raw, token) || strings.Contains(raw, "example.org") || strings.Contains(raw, "?") {
						t.Errorf("request log line holds a token, query or address: %s", raw)
					}
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	for id, c := range ids {
		l, ok := lines[id]
		if !ok {
			t.Errorf("%s %s: no log line with request_id %s in:\n%s", c.method, c.path, id, w.logs.String())
			continue
		}
		wantMethod := c.method
		if !slices.Contains(stdMethods, wantMethod) {
			wantMethod = "other"
		}
		if l.Method != wantMethod || l.Route != c.route || l.Status != c.status || l.Duration == nil {
			t.Errorf("%s %s: logged %+v, want method %s route %s status %d and a duration",
				c.method, c.path, l, wantMethod, c.route, c.status)
		}
	}
}

// TestRequestIDFromTrustedProxy: a proxy in TRUSTED_PROXIES may name the
// request, with a short plain id; anything else is replaced.
func TestRequestIDFromTrustedProxy(t *testing.T) {
	t.Parallel()
	w := startWeb(t, map[string]string{"TRUSTED_PROXIES": "127.0.0.1/32"})
	for _, tc := range []struct {
		sent string
		kept bool
	}{
		{"edge-4f1c2a9b-77d0", true},
		{"has_underscore", false},
		{"semi;colon", false},
		{strings.Repeat("a", 65), false},
	} {
		resp, _ := get(t, "GET", w.base+"/healthz", http.Header{"X-Request-Id": {tc.sent}})
		got := resp.Header.Get("X-Request-ID")
		if (got == tc.sent) != tc.kept || !requestIDRe.MatchString(got) {
			t.Errorf("sent X-Request-ID %q, got %q; kept want %v", tc.sent, got, tc.kept)
		}
	}
}
