package ops

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
	"newsdigest/internal/testenv"
	"newsdigest/internal/token"
)

const (
	adminToken = "ops-admin-token-0123456789abcdef"
	secretKey  = "7d1f0b93c2e84a6f95b03d7e1a2c4f68"
)

// bins holds web and worker, built once for the package.
var bins struct {
	web, worker string
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "newsdigest-ops-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		goBin = "go"
	}
	bins.web, bins.worker = filepath.Join(dir, "web"), filepath.Join(dir, "worker")
	// One go build for both: it compiles their shared packages once, on
	// every core.
	if b, err := exec.Command(goBin, "build", "-o", dir+string(filepath.Separator),
		"newsdigest/cmd/web", "newsdigest/cmd/worker").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build cmd/web and cmd/worker: %v\n%s", err, b)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	// testenv.Main exits; the binaries' directory goes first.
	testenv.Main(m, func() { os.RemoveAll(dir) })
}

// rig is a database with stories and readers, an SMTP relay, and the
// settings both binaries run with.
type rig struct {
	t    *testing.T
	ctx  context.Context
	env  map[string]string
	db   *postgres.DB
	smtp *testenv.SMTPServer
}

// newRig makes the rig with readers active subscribers following Costa
// Rica and three stories about it; redisURL "" gives the test a Redis of
// testenv's.
func newRig(t *testing.T, readers int, redisURL string) *rig {
	t.Helper()
	if redisURL == "" {
		redisURL = testenv.RedisURL(t)
	}
	dbURL := testenv.DatabaseURL(t)
	r := &rig{t: t, ctx: context.Background(), smtp: testenv.NewSMTPServer(t), db: testenv.Open(t, dbURL)}
	r.env = map[string]string{
		"DATABASE_URL": dbURL, "REDIS_URL": redisURL, "SMTP_URL": r.smtp.URL(), "SECRET_KEY": secretKey,
		"ADMIN_TOKEN": adminToken, "BASE_URL": "http://news.example.org", "LOG_FORMAT": "json",
		"SMTP_CONNECTIONS": "2", "SIGNUP_RATE_PER_IP": "0",
	}
	// Stories of today: an edition of new stories holds those of its period.
	y, m, d := time.Now().UTC().Date()
	for i, title := range []string{"Costa Rica opens a new migrant care centre", "Upala border crossing reopens", "Costa Rica and Panama agree on transit"} {
		it := domain.Item{PublishedOn: domain.NewDate(y, m, d), Title: title, Summary: strings.Repeat("A summary sentence. ", 10),
			URL: fmt.Sprintf("https://example.org/story/%d", i), Language: "en", Countries: []string{"CR"}, Fingerprint: "ops:" + title}
		if _, _, err := r.db.InsertItems(r.ctx, []domain.Item{it}); err != nil {
			t.Fatal(err)
		}
	}
	if readers > 0 {
		_, err := r.db.Pool().CopyFrom(r.ctx, pgx.Identifier{"subscribers"}, []string{"email", "status", "countries", "token"},
			pgx.CopyFromSlice(readers, func(i int) ([]any, error) {
				return []any{reader(i), "active", []string{"CR"}, token.New()}, nil
			}))
		if err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func reader(i int) string { return fmt.Sprintf("reader%04d@example.org", i) }

// proc is one running binary.
type proc struct {
	t       *testing.T
	cmd     *exec.Cmd
	log     *testenv.Output
	http    string // web: its public base URL
	metrics string // its metrics listener's base URL
	done    chan struct{}
	err     error
}

// start runs bin with the rig's settings and extra, on free ports, and
// waits until it answers on its metrics listener.
func (r *rig) start(bin string, extra map[string]string) *proc {
	r.t.Helper()
	p := &proc{t: r.t, log: &testenv.Output{}, done: make(chan struct{})}
	env := map[string]string{"PATH": os.Getenv("PATH")}
	for k, v := range r.env {
		env[k] = v
	}
	for k, v := range extra {
		env[k] = v
	}
	maddr := freeAddr(r.t)
	env["METRICS_ADDR"] = maddr
	p.metrics = "http://" + maddr
	if bin == bins.web {
		addr := freeAddr(r.t)
		env["HTTP_ADDR"] = addr
		p.http = "http://" + addr
	}
	p.cmd = exec.Command(bin)
	for k, v := range env {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	r.t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
		if r.t.Failed() {
			r.t.Logf("%s log:\n%s", filepath.Base(bin), p.log.String())
		}
	})
	p.waitStatus(p.metrics+"/metrics", http.StatusOK, 60*time.Second)
	return p
}

// stop sends SIGTERM and waits up to within for the process to exit,
// returning its exit code.
func (p *proc) stop(within time.Duration) int {
	p.t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	return p.wait(within)
}

func (p *proc) wait(within time.Duration) int {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(within):
		p.t.Fatalf("still running %s after SIGTERM", within)
	}
	if p.err != nil {
		if ee, ok := p.err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		p.t.Fatal(p.err)
	}
	return 0
}

func (p *proc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// waitStatus polls url until it answers status.
func (p *proc) waitStatus(url string, status int, within time.Duration) {
	p.t.Helper()
	c := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(within)
	last := "no answer"
	for {
		if !p.running() {
			p.t.Fatalf("the process exited (%v) while waiting for %s to answer %d", p.err, url, status)
		}
		resp, err := c.Get(url)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == status {
				return
			}
			last = fmt.Sprintf("%d %s", resp.StatusCode, b)
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s: waited %s for %d; last: %s", url, within, status, last)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// api calls the web's JSON API as the admin and decodes the answer.
func (r *rig) api(web *proc, method, path string, body any, out any) int {
	r.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, web.http+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			r.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode
}

// startEdition asks web for an edition of everything new.
func (r *rig) startEdition(web *proc) int64 {
	r.t.Helper()
	var e struct {
		ID int64 `json:"id"`
	}
	if code := r.api(web, "POST", "/api/v1/editions", map[string]any{}, &e); code != http.StatusAccepted {
		r.t.Fatalf("create edition: %d", code)
	}
	return e.ID
}

// waitEdition polls the edition until cond holds.
func (r *rig) waitEdition(id int64, within time.Duration, what string, cond func(domain.Edition) bool) domain.Edition {
	r.t.Helper()
	deadline := time.Now().Add(within)
	for {
		e, err := r.db.Edition(r.ctx, id)
		if err == nil && cond(e) {
			return e
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("edition %d: waited %s for %s; now %+v (%v)", id, within, what, e, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// claimed counts the edition's deliveries a worker holds.
func (r *rig) claimed(id int64) int {
	r.t.Helper()
	var n int
	if err := r.db.Pool().QueryRow(r.ctx, `SELECT count(*) FROM deliveries WHERE edition_id = $1 AND status = 'sending'`, id).Scan(&n); err != nil {
		r.t.Fatal(err)
	}
	return n
}

// checkOnePerReader: the edition is done and every reader was mailed
// exactly once, and recorded sent.
func (r *rig) checkOnePerReader(id int64, readers int) {
	r.t.Helper()
	e := r.waitEdition(id, 2*time.Minute, "done", func(e domain.Edition) bool { return e.Status.Finished() })
	if e.Status != domain.EditionDone || e.Sent != readers {
		r.t.Fatalf("edition %d ended %s with %d sent of %d (%s)", id, e.Status, e.Sent, readers, e.Reason)
	}
	per := map[string]int{}
	for _, m := range r.smtp.Messages() {
		for _, to := range m.To {
			per[to]++
		}
	}
	for i := range readers {
		if n := per[reader(i)]; n != 1 {
			r.t.Errorf("%s got %d digests, want exactly 1", reader(i), n)
		}
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// redisServer is a redis-server of the test's own, which it may stop and
// start again on the same port.
type redisServer struct {
	t    *testing.T
	port int
	cmd  *exec.Cmd
	done chan struct{}
}

func startRedis(t *testing.T) *redisServer {
	t.Helper()
	_, p, _ := net.SplitHostPort(freeAddr(t))
	port, _ := strconv.Atoi(p)
	s := &redisServer{t: t, port: port}
	s.start()
	t.Cleanup(s.stop)
	return s
}

func (s *redisServer) url() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", s.port) }

func (s *redisServer) start() {
	s.t.Helper()
	s.cmd = exec.Command("redis-server", "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", s.t.TempDir())
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("start redis-server: %v (scripts/services.sh --with-redis-server installs it)", err)
	}
	s.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { cmd.Wait(); close(done) }(s.cmd, s.done)
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", s.port))
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("redis-server on %d does not answer: %v", s.port, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *redisServer) stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// syscallTERM is the signal an orchestrator stops a program with.
var syscallTERM = syscall.SIGTERM

// adminConn is a connection to the server's maintenance database, closed
// when the test ends; the tests use it on their own database only.
func adminConn(t *testing.T) *pgx.Conn {
	t.Helper()
	url := os.Getenv("TEST_DATABASE_URL")
	if url == "" {
		url = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	c, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}
