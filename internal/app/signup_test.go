package app_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"newsdigest/internal/app"
	"newsdigest/internal/testenv"
)

// signupAnswer is one answer to a sign-up.
type signupAnswer struct {
	status int
	header http.Header
	body   string
	err    apiErr
}

// postSignup posts a sign-up to the JSON API at base (one of the stack's
// web processes) with the given Content-Type and extra headers.
func (s *stack) postSignup(base, contentType string, body []byte, header map[string]string) signupAnswer {
	s.t.Helper()
	req, err := http.NewRequest("POST", base+"/api/v1/subscriptions", bytes.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := signupAnswer{status: resp.StatusCode, header: resp.Header, body: string(b)}
	if resp.StatusCode >= 400 {
		mustJSON(s.t, b, &a.err)
	}
	return a
}

func signupBody(email string) []byte {
	b, _ := json.Marshal(map[string]any{"email": email, "countries": []string{"CR"}, "language": "en", "mode": "any"})
	return b
}

// startSecondWeb runs one more web process against the stack's database
// and Redis, as a second replica behind a load balancer would, and
// returns its base URL.
func (s *stack) startSecondWeb() string {
	s.t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.t.Fatal(err)
	}
	done := make(chan error, 1)
	s.done = append(s.done, done)
	go func() {
		done <- (&app.Web{Config: s.cfg, Log: s.log, Registry: prometheus.NewRegistry(), Listener: l}).Run(s.ctx)
	}()
	base := "http://" + l.Addr().String()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("second web process not ready after 60s: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitQueuesIdle polls until no task is waiting, running or retrying, so
// that a count of mails taken then is final.
func (s *stack) waitQueuesIdle() {
	s.t.Helper()
	opt, err := app.RedisOpt(s.cfg.RedisURL)
	if err != nil {
		s.t.Fatal(err)
	}
	insp := asynq.NewInspector(opt)
	defer insp.Close()
	deadline := time.Now().Add(60 * time.Second)
	for {
		busy := 0
		queues, err := insp.Queues()
		if err != nil {
			s.t.Fatal(err)
		}
		for _, q := range queues {
			info, err := insp.GetQueueInfo(q)
			if err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
				s.t.Fatal(err)
			}
			if info != nil && q != "default" { // "default" holds the reconciler's periodic tasks
				busy += info.Pending + info.Active + info.Scheduled + info.Retry
			}
		}
		if busy == 0 {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("queues still hold %d tasks after 60s", busy)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func checkRetryAfter(t *testing.T, a signupAnswer, max int) {
	t.Helper()
	n, err := strconv.Atoi(a.header.Get("Retry-After"))
	if err != nil || n < 1 || n > max {
		t.Errorf("Retry-After = %q, want whole seconds from 1 to %d", a.header.Get("Retry-After"), max)
	}
}

// Sign-ups from one IP are limited, over every web process at once (the
// count is in Redis); past the limit the API answers 429 in its JSON error
// shape and the form a page in the reader's language, both with
// Retry-After, and no more confirmation mail goes out.
func TestSignupLimitPerIP(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"SIGNUP_RATE_PER_IP": "3"})
	second := s.startSecondWeb()
	for i, base := range []string{s.base, second, s.base} {
		if a := s.postSignup(base, "application/json", signupBody("p"+strconv.Itoa(i)+"@example.org"), nil); a.status != http.StatusAccepted {
			t.Fatalf("sign-up %d: %d %s", i+1, a.status, a.body)
		}
	}
	for _, base := range []string{second, s.base} {
		a := s.postSignup(base, "application/json", signupBody("p9@example.org"), nil)
		if a.status != http.StatusTooManyRequests || a.err.Error.Code != "rate_limited" || a.err.Error.Message == "" {
			t.Fatalf("fourth sign-up: %d %s; want 429 rate_limited", a.status, a.body)
		}
		checkRetryAfter(t, a, 60)
	}

	// The form, in Spanish.
	b := s.browser()
	tok := s.csrfToken(b, "/?lang=es")
	resp, err := b.PostForm(s.base+"/subscribe?lang=es", url.Values{
		"csrf_token": {tok}, "email": {"p10@example.org"}, "countries": {"CR"}, "language": {"es"}, "mode": {"any"},
	})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(string(page), "Demasiadas solicitudes") {
		t.Fatalf("form sign-up past the limit: %d\n%s", resp.StatusCode, page)
	}
	checkRetryAfter(t, signupAnswer{header: resp.Header}, 60)

	s.smtp.WaitFor(t, 30*time.Second, "three confirmation mails", func(m []testenv.Received) bool { return len(m) >= 3 })
	s.waitQueuesIdle()
	if n := len(s.smtp.Messages()); n != 3 {
		t.Errorf("%d confirmation mails went out; want 3", n)
	}
}

// An IPv6 client counts by its /64, and its /48 counts too: a sender who
// takes a fresh /64 for each sign-up gets a few clients' worth from one
// network, not one allowance per /64; another network is not held up.
func TestSignupLimitPerIPv6Network(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"SIGNUP_RATE_PER_IP": "2", "TRUSTED_PROXIES": "127.0.0.1/32"})
	from := func(ip string) map[string]string { return map[string]string{"X-Forwarded-For": ip} }
	for i := range 6 {
		ip := fmt.Sprintf("2001:db8:1:%x::1", 0x100+i)
		if a := s.postSignup(s.base, "application/json", signupBody(fmt.Sprintf("n%d@example.org", i)), from(ip)); a.status != http.StatusAccepted {
			t.Fatalf("sign-up %d, from %s: %d %s", i+1, ip, a.status, a.body)
		}
	}
	a := s.postSignup(s.base, "application/json", signupBody("n7@example.org"), from("2001:db8:1:200::1"))
	if a.status != http.StatusTooManyRequests || a.err.Error.Code != "rate_limited" {
		t.Fatalf("a seventh sign-up from a fresh /64 of the same /48: %d %s; want 429 rate_limited", a.status, a.body)
	}
	checkRetryAfter(t, a, 60)
	if a := s.postSignup(s.base, "application/json", signupBody("n8@example.org"), from("2001:db8:2::1")); a.status != http.StatusAccepted {
		t.Fatalf("a sign-up from another /48: %d %s", a.status, a.body)
	}
}

// One address may be signed up CONFIRM_MAILS_PER_DAY times a day, however
// its case is written, and the limit answers alike whether or not the
// address is subscribed. Redis holds only keyed hashes of addresses.
func TestSignupLimitPerAddressRevealsNothing(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	if status, a := s.importCSV("email,countries,topics,language\nknown@example.org,CR,,en\n"); status != http.StatusOK || a.Imported != 1 {
		t.Fatalf("import: %d %+v", status, a)
	}
	answers := map[string][]signupAnswer{}
	for _, addr := range []string{"fresh@example.org", "known@example.org"} {
		user, _, _ := strings.Cut(addr, "@")
		for _, spelled := range []string{addr, strings.ToUpper(user) + "@example.org", user + "@EXAMPLE.org", addr} {
			answers[addr] = append(answers[addr], s.postSignup(s.base, "application/json", signupBody(spelled), nil))
		}
	}
	for i := range 4 {
		fresh, known := answers["fresh@example.org"][i], answers["known@example.org"][i]
		want := http.StatusAccepted
		if i == 3 {
			want = http.StatusTooManyRequests
			// The whole window, not what is left of it: that would tell
			// when someone first signed the address up.
			for _, a := range []signupAnswer{fresh, known} {
				if got := a.header.Get("Retry-After"); got != "86400" {
					t.Errorf("Retry-After = %q, want 86400", got)
				}
			}
		}
		if fresh.status != want || known.status != want || fresh.err.Error.Code != known.err.Error.Code {
			t.Errorf("sign-up %d: new address %d %s, subscribed address %d %s; want both %d", i+1,
				fresh.status, fresh.body, known.status, known.body, want)
		}
		if fresh.body != known.body {
			t.Errorf("sign-up %d: answers differ: %s vs %s", i+1, fresh.body, known.body)
		}
	}

	opt, err := redis.ParseURL(s.cfg.RedisURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	keys, err := rdb.Keys(s.ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	counters := 0
	for _, k := range keys {
		if strings.Contains(strings.ToLower(k), "example.org") || strings.Contains(k, "fresh") || strings.Contains(k, "known") {
			t.Errorf("Redis key %q holds an address", k)
		}
		if strings.HasPrefix(k, "newsdigest:signup:address:") {
			counters++
		}
	}
	if counters != 2 {
		t.Errorf("%d per-address counters in Redis, want 2 (one per address, whatever its case): %v", counters, keys)
	}

	s.smtp.WaitFor(t, 30*time.Second, "confirmation to fresh@example.org", func([]testenv.Received) bool {
		return len(s.smtp.To("fresh@example.org")) > 0
	})
	s.waitQueuesIdle()
	// The subscribed address is reminded of its preferences, once (the
	// answers above said nothing of it).
	if n, k := len(s.smtp.To("fresh@example.org")), len(s.mailsWithSubject("known@example.org", "You are already subscribed")); n != 1 || k != 1 {
		t.Errorf("mails: %d to the new address, %d already-subscribed notices to the subscribed one; want 1 and 1", n, k)
	}
}

// The public JSON endpoint takes JSON only, and no request a browser
// makes from another site: those are what a page elsewhere can send
// without asking, side-stepping the form's CSRF protection.
func TestSubscriptionsAPIRefusesCrossSiteAndNonJSON(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	form := []byte(url.Values{"email": {"form@example.org"}, "countries": {"CR"}}.Encode())
	for _, tc := range []struct {
		name, contentType string
		body              []byte
		origin            string
		want              int
	}{
		{"text/plain", "text/plain", signupBody("plain@example.org"), "", http.StatusUnsupportedMediaType},
		{"urlencoded", "application/x-www-form-urlencoded", form, "", http.StatusUnsupportedMediaType},
		{"multipart", "multipart/form-data; boundary=x", []byte("--x--"), "", http.StatusUnsupportedMediaType},
		{"no type", "", signupBody("none@example.org"), "", http.StatusUnsupportedMediaType},
		{"other site", "application/json", signupBody("evil@example.org"), "https://evil.example", http.StatusForbidden},
		{"other port", "application/json", signupBody("port@example.org"), strings.Replace(s.base, "127.0.0.1:", "127.0.0.1:1", 1), http.StatusForbidden},
		{"opaque origin", "application/json", signupBody("null@example.org"), "null", http.StatusForbidden},
		{"own site", "application/json; charset=utf-8", signupBody("own@example.org"), s.base, http.StatusAccepted},
		{"server to server", "application/json", signupBody("server@example.org"), "", http.StatusAccepted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h map[string]string
			if tc.origin != "" {
				h = map[string]string{"Origin": tc.origin}
			}
			a := s.postSignup(s.base, tc.contentType, tc.body, h)
			if a.status != tc.want {
				t.Fatalf("%d %s; want %d", a.status, a.body, tc.want)
			}
			if tc.want >= 400 && (a.err.Error.Code == "" || a.err.Error.Message == "") {
				t.Errorf("answer %s is not the JSON error shape", a.body)
			}
		})
	}
	got := emails(s.subscribers(""))
	if len(got) != 2 || !slicesHave(got, "own@example.org") || !slicesHave(got, "server@example.org") {
		t.Errorf("stored %v; want only own@ and server@", got)
	}
}

func slicesHave(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// redisGate stands between the stack and Redis, and can cut it off: new
// connections are closed at once and the open ones dropped.
type redisGate struct {
	l      net.Listener
	target string
	mu     sync.Mutex
	closed bool
	conns  []net.Conn
}

func newRedisGate(t *testing.T, target string) *redisGate {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := &redisGate{l: l, target: target}
	t.Cleanup(func() { l.Close(); g.cut(true) })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			g.mu.Lock()
			if g.closed {
				g.mu.Unlock()
				c.Close()
				continue
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				g.mu.Unlock()
				c.Close()
				continue
			}
			g.conns = append(g.conns, c, up)
			g.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
	return g
}

// cut cuts Redis off (true) or lets it through again (false).
func (g *redisGate) cut(closed bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = closed
	if closed {
		for _, c := range g.conns {
			c.Close()
		}
		g.conns = nil
	}
}

// With Redis down a sign-up is refused with 503 (the limits cannot be
// counted, and the mail could not be queued): nothing is stored, and the
// form says so in a page.
func TestSignupFailsClosedWithoutRedis(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	gate := newRedisGate(t, u.Host)
	u.Host = gate.l.Addr().String()
	s := startStackEnv(t, map[string]string{"REDIS_URL": u.String(), "SIGNUP_RATE_PER_IP": "10"})
	// Let Redis back before the stack stops (cleanups run last-first).
	t.Cleanup(func() { gate.cut(false) })
	b := s.browser()
	tok := s.csrfToken(b, "/")

	gate.cut(true)
	a := s.postSignup(s.base, "application/json", signupBody("down@example.org"), nil)
	if a.status != http.StatusServiceUnavailable || a.err.Error.Code != "unavailable" {
		t.Errorf("API sign-up with Redis down: %d %s; want 503 unavailable", a.status, a.body)
	}
	resp, err := b.PostForm(s.base+"/subscribe", url.Values{
		"csrf_token": {tok}, "email": {"down-form@example.org"}, "countries": {"CR"}, "language": {"en"}, "mode": {"any"},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("form sign-up with Redis down: %d %s; want a 503 page", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	gate.cut(false)
	if got := emails(s.subscribers("")); len(got) != 0 {
		t.Errorf("stored %v while Redis was down; want nothing", got)
	}
}
