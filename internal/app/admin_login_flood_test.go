//go:build linux

package app_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"newsdigest/internal/app"
	"newsdigest/internal/config"
	"newsdigest/internal/testenv"
)

// webProcessEnv, set, makes TestAdminLoginFlood the web process it
// measures: the test binary run again, alone in a process whose memory
// the kernel counts apart.
const webProcessEnv = "NEWSDIGEST_WEB_PROCESS"

// TestAdminLoginFlood: 200 logins posted at once from one client, for
// random users, keep the web process's memory under a ceiling made of what
// the test measured the process take for 200 requests at once and for as
// many password checks at once as it allows; and no more passwords are
// hashed than the client may try (read from the process: the tries
// before its first 429). Every answer is 401, 429 or 503, at once.
func TestAdminLoginFlood(t *testing.T) {
	t.Parallel()
	if os.Getenv(webProcessEnv) == "1" {
		runWebProcess(t)
		return
	}
	w := startWebProcess(t)
	jar := w.loginForm(t)

	// Warm up: a few password checks, then 200 requests at once that hash
	// nothing (the login page), so what the runtime grows once is grown.
	for i := range 3 {
		w.postLogin(t, jar, "203.0.113.1", fmt.Sprintf("warm%d@example.org", i))
	}
	// The figures are growths from the memory held at each phase's start;
	// the ceiling adds them to the most held at any start, since Go may
	// hand memory back to the system between phases.
	w.resetPeak(t)
	before := w.rss(t, "VmRSS")
	held := before
	w.flood(t, 200, func() int {
		req, _ := http.NewRequest("GET", w.base+"/admin/login", nil)
		req.Header.Set("X-Forwarded-For", "203.0.113.2")
		return w.send(req)
	})
	w.checkSent(t)
	requests := w.rss(t, "VmHWM") - before

	// As many password checks at once as the process allows, each from
	// a client of its own so none is limited, a few rounds.
	slots := int(w.metric(t, "newsdigest_console_password_check_slots"))
	if slots < 1 {
		t.Fatalf("password check slots = %d", slots)
	}
	w.resetPeak(t)
	before = w.rss(t, "VmRSS")
	held = max(held, before)
	for round := range 3 {
		var wg sync.WaitGroup
		for i := range slots {
			wg.Go(func() { w.postLogin(t, jar, fmt.Sprintf("198.18.%d.%d", round, i+1), "slot@example.org") })
		}
		wg.Wait()
	}
	w.checkSent(t)
	hashing := w.rss(t, "VmHWM") - before

	// How many tries one client has: sequential wrong passwords from a
	// fresh client until the first 429.
	limit := 0
	for ; limit < 1000; limit++ {
		if st := w.postLogin(t, jar, "192.0.2.200", "probe@example.org"); st == http.StatusTooManyRequests {
			break
		} else if st != http.StatusUnauthorized {
			t.Fatalf("probing the limit: try %d answered %d", limit+1, st)
		}
	}

	w.resetPeak(t)
	before = w.rss(t, "VmRSS")
	ceiling := max(held, before) + (requests+hashing)*3/2
	checksBefore := w.metric(t, "newsdigest_console_password_checks_total")
	stop := make(chan struct{})
	var over int64
	var watching sync.WaitGroup
	watching.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			if hwm := w.rss(t, "VmHWM"); hwm > ceiling {
				over = hwm
				w.kill() // before it takes the machine down with it
				return
			}
		}
	})
	statuses := w.flood(t, 200, func() int {
		return w.postLogin(t, jar, "198.51.100.7", "flood-"+rand.Text()+"@example.org")
	})
	close(stop)
	watching.Wait()
	if over > 0 {
		t.Fatalf("the web process reached %d MiB during the flood, over the ceiling of %d MiB "+
			"(%d MiB before, %d MiB measured for 200 requests at once, %d MiB for %d password checks at once)",
			over>>20, ceiling>>20, before>>20, requests>>20, hashing>>20, slots)
	}
	w.checkSent(t)
	peak := w.rss(t, "VmHWM")
	t.Logf("flood: peak %d MiB, ceiling %d MiB (before %d, requests %d, hashing %d MiB with %d slots); answers %v",
		peak>>20, ceiling>>20, before>>20, requests>>20, hashing>>20, slots, statuses)
	if peak > ceiling {
		t.Errorf("peak memory %d MiB over the ceiling of %d MiB", peak>>20, ceiling>>20)
	}
	hashed := int(w.metric(t, "newsdigest_console_password_checks_total") - checksBefore)
	if hashed > limit {
		t.Errorf("%d passwords hashed for one client's 200 logins, more than its %d tries", hashed, limit)
	}
	if statuses[http.StatusUnauthorized] != hashed {
		t.Errorf("%d wrong-password answers for %d passwords hashed", statuses[http.StatusUnauthorized], hashed)
	}
	for st, n := range statuses {
		switch st {
		case http.StatusUnauthorized, http.StatusTooManyRequests, http.StatusServiceUnavailable:
		default:
			t.Errorf("%d logins answered %d, want 401, 429 or 503", n, st)
		}
	}
}

// webProcess is the web binary in a process of its own.
type webProcess struct {
	base, metrics string
	cmd           *exec.Cmd
	client        *http.Client
	mu            sync.Mutex
	failures      []string
}

// runWebProcess serves as the web binary until its parent closes stdin.
func runWebProcess(t *testing.T) {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ml, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("listening %s %s\n", l.Addr(), ml.Addr())
	ctx, cancel := context.WithCancel(context.Background())
	go func() { io.Copy(io.Discard, os.Stdin); cancel() }()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	err = (&app.Web{Config: cfg, Log: log, Registry: prometheus.NewRegistry(), Listener: l, MetricsListener: ml}).Run(ctx)
	if err != nil && ctx.Err() == nil {
		t.Fatal(err)
	}
}

// startWebProcess runs the web process against a database and Redis of
// the test's own, trusting X-Forwarded-For from loopback so the test can
// speak as any client.
func startWebProcess(t *testing.T) *webProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestAdminLoginFlood$")
	cmd.Env = append(os.Environ(), webProcessEnv+"=1",
		"DATABASE_URL="+testenv.DatabaseURL(t), "REDIS_URL="+testenv.RedisURL(t),
		"BASE_URL=http://127.0.0.1", "SECRET_KEY="+secretKey, "ADMIN_PASSWORD="+adminPassword,
		"TRUSTED_PROXIES=127.0.0.1/32", "SIGNUP_RATE_PER_IP=0")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &webProcess{cmd: cmd, client: &http.Client{Timeout: 2 * time.Minute,
		Transport:     &http.Transport{MaxIdleConnsPerHost: 256},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			w.kill()
			<-done
		}
	})
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if f := strings.Fields(lines.Text()); len(f) == 3 && f[0] == "listening" {
			w.base, w.metrics = "http://"+f[1], "http://"+f[2]
			break
		}
	}
	if w.base == "" {
		t.Fatal("the web process did not say where it listens")
	}
	go io.Copy(io.Discard, out)
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := w.client.Get(w.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return w
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("web process not ready after 60s: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (w *webProcess) kill() { w.cmd.Process.Signal(syscall.SIGKILL) }

// loginJar is a login form's CSRF token and the cookie it goes with.
type loginJar struct {
	token  string
	cookie []*http.Cookie
}

func (w *webProcess) loginForm(t *testing.T) loginJar {
	t.Helper()
	resp, err := w.client.Get(w.base + "/admin/login")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	m := csrfField.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("login page: %d, no csrf_token", resp.StatusCode)
	}
	return loginJar{token: string(m[1]), cookie: resp.Cookies()}
}

// postLogin posts a wrong password for user from the client ip and
// returns the status (0 when the request itself failed, which is
// recorded and fails the test at its end).
func (w *webProcess) postLogin(t *testing.T, jar loginJar, ip, user string) int {
	form := url.Values{"csrf_token": {jar.token}, "user": {user}, "password": {"not the password at all"}}
	req, _ := http.NewRequest("POST", w.base+"/admin/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", ip)
	for _, c := range jar.cookie {
		req.AddCookie(c)
	}
	return w.send(req)
}

func (w *webProcess) send(req *http.Request) int {
	resp, err := w.client.Do(req)
	if err != nil {
		w.mu.Lock()
		w.failures = append(w.failures, err.Error())
		w.mu.Unlock()
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// flood runs n requests at once and counts their statuses.
func (w *webProcess) flood(t *testing.T, n int, do func() int) map[int]int {
	t.Helper()
	start := make(chan struct{})
	results := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			<-start
			results <- do()
		})
	}
	close(start)
	wg.Wait()
	close(results)
	statuses := map[int]int{}
	for st := range results {
		statuses[st]++
	}
	return statuses
}

// checkSent fails the test if a request could not be sent or answered.
func (w *webProcess) checkSent(t *testing.T) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.failures) > 0 {
		t.Fatalf("%d requests failed, the first: %s", len(w.failures), w.failures[0])
	}
}

// rss reads a memory figure of the process (VmRSS now, VmHWM its peak
// since the last resetPeak) in bytes.
func (w *webProcess) rss(t *testing.T, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", w.cmd.Process.Pid))
	if err != nil {
		t.Errorf("read the web process's memory: %v", err)
		return 0
	}
	m := regexp.MustCompile(`(?m)^` + field + `:\s+(\d+) kB`).FindSubmatch(b)
	if m == nil {
		t.Errorf("no %s in /proc/%d/status", field, w.cmd.Process.Pid)
		return 0
	}
	kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return kb << 10
}

// resetPeak starts the process's peak memory (VmHWM) again from now.
func (w *webProcess) resetPeak(t *testing.T) {
	t.Helper()
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", w.cmd.Process.Pid), []byte("5"), 0); err != nil {
		t.Fatalf("reset the peak memory figure: %v", err)
	}
}

// metric reads one unlabelled metric of the web process.
func (w *webProcess) metric(t *testing.T, name string) float64 {
	t.Helper()
	resp, err := w.client.Get(w.metrics + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`(?m)^` + name + ` (\S+)$`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("metric %s not served", name)
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
