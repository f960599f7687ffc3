package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"

	"newsdigest/internal/app"
	"newsdigest/internal/config"
	"newsdigest/internal/testenv"
	"newsdigest/internal/worker"
)

// requestTimeout bounds one request of a test's clients. It is a net for
// a server that never answers, not a measure of speed: tests run in
// parallel under the race detector, on machines busy with other work, and
// a big import there can take most of a minute.
const requestTimeout = 3 * time.Minute

const (
	adminToken = "test-admin-token-0123456789"
	secretKey  = "5c2e9a71d04fb836e7a1c53d92b6f08a"
	// adminPassword is the console owner's (user "admin").
	adminPassword = "owner passphrase 4f9c1e77b2"
)

// stack is web and worker running against their own database, Redis DB
// and SMTP server.
type stack struct {
	t    *testing.T
	base string
	smtp *testenv.SMTPServer
	http *http.Client
	cfg  *config.Config
	ctx  context.Context
	log  *slog.Logger
	done []chan error
}

// testWorkerOptions are quick timings so tests wait little.
func testWorkerOptions() worker.Options {
	return worker.Options{
		DelayedTaskCheck: 100 * time.Millisecond, ReconcileEvery: time.Second,
		FirstRetryDelay: 100 * time.Millisecond, MaxRetryDelay: time.Second, DisableScheduling: true,
	}
}

// startWorker runs one more worker process against the stack.
func (s *stack) startWorker(opts worker.Options) {
	done := make(chan error, 1)
	s.done = append(s.done, done)
	go func() { done <- (&app.Worker{Config: s.cfg, Log: s.log, Options: opts}).Run(s.ctx) }()
}

// runWorker runs a worker with cfg (the stack's, or a copy with a setting
// changed) until the returned stop is called, or the test ends.
func (s *stack) runWorker(cfg *config.Config, opts worker.Options) (stop func()) {
	ctx, cancel := context.WithCancel(s.ctx)
	done := make(chan error, 1)
	go func() { done <- (&app.Worker{Config: cfg, Log: s.log, Options: opts}).Run(ctx) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			s.t.Errorf("worker: %v", err)
		}
	}
	s.t.Cleanup(stop)
	return stop
}

func startStack(t *testing.T) *stack {
	t.Helper()
	return startStackEnv(t, nil)
}

// startStackEnv starts the stack with some settings changed; an empty value
// unsets one.
func startStackEnv(t *testing.T, overrides map[string]string) *stack {
	t.Helper()
	return startStackLogged(t, overrides, nil)
}

// startStackLogged is startStackEnv with web's and the worker's log, from
// the info level up, written to logs as JSON lines (nil: warnings and
// errors to stderr).
func startStackLogged(t *testing.T, overrides map[string]string, logs io.Writer) *stack {
	t.Helper()
	s := startStackWeb(t, overrides, logs)
	s.startWorker(testWorkerOptions())
	return s
}

// startStackBare starts web alone, with its database, Redis and SMTP
// server: the test starts the workers it wants.
func startStackBare(t *testing.T, overrides map[string]string) *stack {
	t.Helper()
	return startStackWeb(t, overrides, nil)
}

// startStackWeb starts web with its own database, Redis and SMTP server, and
// its log written to logs as startStackLogged says.
func startStackWeb(t *testing.T, overrides map[string]string, logs io.Writer) *stack {
	t.Helper()
	smtp := testenv.NewSMTPServer(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + l.Addr().String()
	env := map[string]string{
		"DATABASE_URL":       testenv.DatabaseURL(t),
		"REDIS_URL":          testenv.RedisURL(t),
		"SMTP_URL":           smtp.URL(),
		"MAIL_FROM":          "News Digest <digest@example.org>",
		"BASE_URL":           base,
		"ADMIN_TOKEN":        adminToken,
		"ADMIN_PASSWORD":     adminPassword,
		"SECRET_KEY":         secretKey,
		"ORG_POSTAL_ADDRESS": "Apartado 123, San José, Costa Rica",
		"SMTP_CONNECTIONS":   "2",
		"SIGNUP_RATE_PER_IP": "0",
		"METRICS_ADDR":       "127.0.0.1:0",
	}
	for k, v := range overrides {
		env[k] = v
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	// The stack's log, a line per request and per task, is the test's
	// own: shown with the test's output only if it fails, where it says
	// what the server was doing (a request that took a minute, a task
	// that kept failing), rather than mixed into every test's stderr.
	var log *slog.Logger
	if logs != nil {
		log = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	} else {
		own := &testenv.Output{}
		log = slog.New(slog.NewTextHandler(own, &slog.HandlerOptions{Level: slog.LevelInfo}))
		t.Cleanup(func() { // after the stack has stopped: cleanups run last first
			if t.Failed() {
				t.Logf("the stack's log:\n%s", own)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	webDone := make(chan error, 1)
	go func() {
		webDone <- (&app.Web{Config: cfg, Log: log, Registry: prometheus.NewRegistry(), Listener: l}).Run(ctx)
	}()
	s := &stack{t: t, base: base, smtp: smtp, http: &http.Client{Timeout: requestTimeout},
		cfg: cfg, ctx: ctx, log: log, done: []chan error{webDone}}
	s.waitReady()
	t.Cleanup(func() {
		cancel()
		for _, c := range s.done {
			// Stopping before startup finished ends it with a canceled context.
			if err := <-c; err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("shutdown: %v", err)
			}
		}
	})
	return s
}

func (s *stack) waitReady() {
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("web not ready after 60s: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// do sends a request and returns status and body.
func (s *stack) do(method, path, contentType string, body []byte, admin bool) (int, []byte) {
	s.t.Helper()
	status, b, err := s.send(method, path, contentType, body, admin)
	if err != nil {
		s.t.Fatal(err)
	}
	return status, b
}

// send is do for a goroutine of the test's own, which must not call
// t.Fatal: it returns what went wrong instead.
func (s *stack) send(method, path, contentType string, body []byte, admin bool) (int, []byte, error) {
	req, err := http.NewRequest(method, s.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if admin {
		req.Header.Set("Authorization", "Bearer "+adminToken)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, nil
}

// jsonCall sends v as JSON (nil: no body) and decodes the answer into out.
func (s *stack) jsonCall(method, path string, v any, out any, wantStatus int) {
	s.t.Helper()
	var body []byte
	if v != nil {
		body, _ = json.Marshal(v)
	}
	status, b := s.do(method, path, "application/json", body, true)
	if status != wantStatus {
		s.t.Fatalf("%s %s: status %d, want %d: %s", method, path, status, wantStatus, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			s.t.Fatalf("%s %s: decode %s: %v", method, path, b, err)
		}
	}
}

// dbConn is a connection to the stack's database, for a test to look at
// or set up rows the API does not reach; it closes when the test ends.
func (s *stack) dbConn() *pgx.Conn {
	s.t.Helper()
	conn, err := pgx.Connect(context.Background(), s.cfg.DatabaseURL)
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// browser is a client with cookies, as a person's browser would be.
func (s *stack) browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: requestTimeout, Transport: asksForPages{http.DefaultTransport}}
}

// asksForPages sends what a browser's Accept says, unless the request
// says otherwise: pages are what it asks for.
type asksForPages struct{ next http.RoundTripper }

func (a asksForPages) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get("Accept") == "" {
		r = r.Clone(r.Context())
		r.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	}
	return a.next.RoundTrip(r)
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrfToken GETs a page with the browser and returns its form's token.
func (s *stack) csrfToken(b *http.Client, path string) string {
	s.t.Helper()
	resp, err := b.Get(s.base + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("GET %s: %d: %s", path, resp.StatusCode, page)
	}
	m := csrfField.FindSubmatch(page)
	if m == nil {
		s.t.Fatalf("GET %s: no csrf_token field in the page", path)
	}
	return string(m[1])
}

// waitEdition polls an edition until it is done.
func (s *stack) waitEdition(id int64) edition {
	s.t.Helper()
	return s.waitEditionWithin(id, 60*time.Second, nil)
}

// waitEditionWithin is waitEdition with its own bound; explain, when set,
// adds to the failure what the test knows of why (its processes' logs).
func (s *stack) waitEditionWithin(id int64, within time.Duration, explain func() string) edition {
	s.t.Helper()
	deadline := time.Now().Add(within)
	for {
		var e edition
		s.jsonCall("GET", "/api/v1/editions/"+itoa(id), nil, &e, http.StatusOK)
		if e.Status == "done" || e.Status == "failed" {
			return e
		}
		if time.Now().After(deadline) {
			more := ""
			if explain != nil {
				more = "\n" + explain()
			}
			s.t.Fatalf("edition %d still %s after %s%s", id, e.Status, within, more)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type edition struct {
	ID      int64  `json:"id"`
	Status  string `json:"status"`
	Reason  string `json:"reason"`
	Items   int    `json:"items"`
	Total   int    `json:"total"`
	Sent    int    `json:"sent"`
	Failed  int    `json:"failed"`
	Skipped int    `json:"skipped"`
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// bodies returns the decoded text and HTML parts of a message.
func bodies(t *testing.T, raw []byte) (text, html string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") {
		t.Fatalf("Content-Type %q: want multipart", msg.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var r io.Reader = p
		if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			r = quotedprintable.NewReader(p)
		}
		b, _ := io.ReadAll(r)
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		switch ct {
		case "text/plain":
			text = string(b)
		case "text/html":
			html = string(b)
		}
	}
	return text, html
}

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}
