package admin

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/hibiken/asynq"
	dto "github.com/prometheus/client_model/go"
	"github.com/redis/go-redis/v9"

	"newsdigest/internal/config"
	"newsdigest/internal/domain"
	"newsdigest/internal/staff"
	"newsdigest/internal/testenv"
)

const (
	testOwnerPassword  = "c2b7e94a0f15d83b6e2a9c40d71f5e83"
	testEditor         = "desk@example.org"
	testEditorPassword = "lantern orchard velvet harbour quietly"
)

// loginRig is the console's login on a database and Redis of the test's
// own, with one editor, spoken to in process as clients at any address.
type loginRig struct {
	t       *testing.T
	console *Console
	router  *gin.Engine
}

func newLoginRig(t *testing.T) *loginRig {
	t.Helper()
	deps := testDeps(t)
	deps.Staff = staff.New(testenv.Database(t), deps.Log)
	if _, err := deps.Staff.AddEditor(context.Background(), domain.OwnerAccount, testEditor, testEditorPassword, domain.Roles{Edit: true}); err != nil {
		t.Fatal(err)
	}
	con, err := New(deps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { con.Close() })
	r := gin.New()
	if err := r.SetTrustedProxies(nil); err != nil { // the peer is the client
		t.Fatal(err)
	}
	con.Mount(r)
	return &loginRig{t: t, console: con, router: r}
}

// login posts the login form from a client at ip and returns the answer.
func (lr *loginRig) login(ip, user, password string) *httptest.ResponseRecorder {
	form := url.Values{"user": {user}, "password": {password}}
	req := httptest.NewRequest(http.MethodPost, "/admin/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = netJoin(ip)
	w := httptest.NewRecorder()
	lr.router.ServeHTTP(w, req)
	return w
}

// testDeps is what every console these tests start in process is given:
// a configuration with the owner's password, a Redis of the test's own,
// a quiet log and no CSRF check. The rest is each test's.
func testDeps(t *testing.T) Deps {
	t.Helper()
	gin.SetMode(gin.ReleaseMode)
	redisURL := testenv.RedisURL(t)
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"DATABASE_URL": "postgres://unused", "REDIS_URL": redisURL, "BASE_URL": "http://127.0.0.1",
			"SECRET_KEY": "3f0c9a5e7b1d4c2a8e6f0b9d7c5a3e1f", "ADMIN_PASSWORD": testOwnerPassword}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	opt, err := asynq.ParseRedisURI(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	return Deps{Config: cfg, Redis: redisClient(t, redisURL), RedisOpt: opt,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), CSRF: func(c *gin.Context) { c.Next() }}
}

func redisClient(t *testing.T, raw string) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(raw)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	return c
}

func netJoin(ip string) string {
	if strings.Contains(ip, ":") {
		return "[" + ip + "]:40000"
	}
	return ip + ":40000"
}

// hashed is how many passwords the console has hashed.
func (lr *loginRig) hashed() int {
	var m dto.Metric
	if err := lr.console.checks.run.Write(&m); err != nil {
		lr.t.Fatal(err)
	}
	return int(m.GetCounter().GetValue())
}

// TestOwnerLogsInThroughAFloodOfMadeUpNames: strangers posting made-up
// editor names cannot keep the owner out. The owner's password takes no
// hashing slot, so it is checked while every slot is busy; clients
// taking a fresh IPv6 /64 for each try are counted by their /48 too; and
// made-up names, each tried once, put the editors' accounts under attack
// together, after which each client has three tries at them, while the
// owner and an editor still log in.
func TestOwnerLogsInThroughAFloodOfMadeUpNames(t *testing.T) {
	t.Parallel()
	lr := newLoginRig(t)

	// Every hashing slot busy: an editor is told to retry, the owner is
	// let in.
	for range cap(lr.console.checks.slots) {
		lr.console.checks.slots <- struct{}{}
	}
	if w := lr.login("192.0.2.1", testEditor, testEditorPassword); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("an editor with every hashing slot busy: %d, want 503", w.Code)
	}
	if w := lr.login("192.0.2.1", domain.OwnerAccount, testOwnerPassword); w.Code != http.StatusSeeOther {
		t.Fatalf("the owner with every hashing slot busy: %d, want 303: %.300s", w.Code, w.Body)
	}
	if w := lr.login("192.0.2.1", domain.OwnerAccount, "not the password"); w.Code != http.StatusUnauthorized {
		t.Errorf("a wrong owner password with every hashing slot busy: %d, want 401", w.Code)
	}
	for range cap(lr.console.checks.slots) {
		<-lr.console.checks.slots
	}

	// A flood from one /48, each request from a /64 of its own, 32 at
	// once, while the owner logs in again and again from elsewhere.
	before := lr.hashed()
	statuses := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int)
	for range 32 {
		wg.Go(func() {
			for i := range next {
				w := lr.login(fmt.Sprintf("2001:db8:77:%x::1", i), strings.ToLower(rand.Text())+"@example.org", "a guess")
				mu.Lock()
				statuses[w.Code]++
				mu.Unlock()
			}
		})
	}
	owner := 0
	wg.Go(func() {
		for range 40 {
			if w := lr.login("192.0.2.2", domain.OwnerAccount, testOwnerPassword); w.Code == http.StatusSeeOther {
				owner++
			}
		}
	})
	for i := range 200 {
		next <- i
	}
	close(next)
	wg.Wait()
	if owner != 40 {
		t.Errorf("the owner logged in %d times of 40 during the flood", owner)
	}
	hashed := lr.hashed() - before
	t.Logf("flood of 200 from one /48: %v; %d passwords hashed", statuses, hashed)
	if statuses[http.StatusUnauthorized] > loginTriesPerNetwork || hashed > loginTriesPerNetwork {
		t.Errorf("the flood from one /48 had %d passwords checked (%d hashed); want at most %d a minute",
			statuses[http.StatusUnauthorized], hashed, loginTriesPerNetwork)
	}
	for st, n := range statuses {
		if st != http.StatusUnauthorized && st != http.StatusTooManyRequests && st != http.StatusServiceUnavailable {
			t.Errorf("%d flood logins answered %d, want 401, 429 or 503", n, st)
		}
	}
	w := lr.login("2001:db8:77:ffff::1", strings.ToLower(rand.Text())+"@example.org", "a guess")
	if secs, _ := strconv.Atoi(w.Header().Get("Retry-After")); w.Code != http.StatusTooManyRequests || secs < 1 || secs > 60 {
		t.Errorf("one more /64 of the flood's /48: %d, Retry-After %q; want 429 and 1..60 seconds", w.Code, w.Header().Get("Retry-After"))
	}
	if w := lr.login("2001:db8:78::1", testEditor, testEditorPassword); w.Code != http.StatusSeeOther {
		t.Errorf("an editor from the next /48: %d, want 303", w.Code)
	}

	// Made-up names from many clients, one each: none is tried twice,
	// yet together they put the editors' accounts under attack.
	for i := range editorsAttackFailures {
		if w := lr.login("198.51.100."+strconv.Itoa(i+1), strings.ToLower(rand.Text())+"@example.org", "a guess"); w.Code != http.StatusUnauthorized {
			t.Fatalf("made-up name %d: %d, want 401", i+1, w.Code)
		}
	}
	const guesser = "203.0.113.5"
	for i := 1; i <= attackTriesPerClient; i++ {
		if w := lr.login(guesser, strings.ToLower(rand.Text())+"@example.org", "a guess"); w.Code != http.StatusUnauthorized {
			t.Fatalf("a client's try %d at editor names under attack: %d, want 401", i, w.Code)
		}
	}
	w = lr.login(guesser, strings.ToLower(rand.Text())+"@example.org", "a guess")
	if secs, _ := strconv.Atoi(w.Header().Get("Retry-After")); w.Code != http.StatusTooManyRequests || secs < 60 || secs > 900 {
		t.Errorf("a client's try %d at editor names under attack: %d, Retry-After %q; want 429 and 60..900 seconds",
			attackTriesPerClient+1, w.Code, w.Header().Get("Retry-After"))
	}
	if w := lr.login(guesser, domain.OwnerAccount, testOwnerPassword); w.Code != http.StatusSeeOther {
		t.Errorf("the owner from that client: %d, want 303", w.Code)
	}
	if w := lr.login("203.0.113.6", testEditor, testEditorPassword); w.Code != http.StatusSeeOther {
		t.Errorf("an editor from their own client while editors are under attack: %d, want 303", w.Code)
	}
}
