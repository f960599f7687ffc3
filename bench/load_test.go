package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"newsdigest/internal/postgres"
	"newsdigest/internal/testenv"
)

// loadTarget is one address of the public surface under load.
type loadTarget struct {
	name     string
	targeter func(base string) vegeta.Targeter
}

// loadTargets are what the public asks of web most: the sign-up form, the
// JSON sign-up (a new address each time, so that every request stores a
// subscriber and queues a confirmation mail), the archive's first page
// and a country's feed.
var loadTargets = []loadTarget{
	{"form page", get("/")},
	{"sign-up (JSON)", signUps},
	{"archive", get("/archive")},
	{"feed (MX)", get("/feeds/country/MX.xml")},
}

func get(path string) func(string) vegeta.Targeter {
	return func(base string) vegeta.Targeter {
		return vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodGet, URL: base + path})
	}
}

func signUps(base string) vegeta.Targeter {
	var n atomic.Int64
	run := time.Now().UnixNano()
	header := http.Header{"Content-Type": {"application/json"}}
	return func(t *vegeta.Target) error {
		t.Method, t.URL, t.Header = http.MethodPost, base+"/api/v1/subscriptions", header
		t.Body = fmt.Appendf(nil, `{"email":"load.%d.%d@example.org","countries":["MX","GT"],"topics":["labour-migration"],"language":"en","mode":"any"}`,
			run, n.Add(1))
		return nil
	}
}

// BenchmarkPublicLoad puts web under load on loopback, one target at a
// time: BENCH_LOAD_CLIENTS clients (default 32) each send their next
// request as soon as the last is answered, for BENCH_LOAD_SECONDS
// (default 10) after a second's warm-up, against a web with its sign-up
// limits off and BENCH_ARCHIVE stories (default 100000) in its archive.
// The load generator shares the machine's cores with web, PostgreSQL and
// Redis. It prints requests per second, the latencies' median and 99th
// percentile, and the functions web spent its CPU in during each run
// (BENCH_PROFILE_DIR keeps the profiles; `go tool pprof` reads them).
func BenchmarkPublicLoad(b *testing.B) {
	clients := envInt(b, "BENCH_LOAD_CLIENTS", 32)
	seconds := envInt(b, "BENCH_LOAD_SECONDS", 10)
	stories := envInt(b, "BENCH_ARCHIVE", 100000)
	profiles := profileDir(b)
	ctx := context.Background()
	dbURL, db := migratedDB(ctx, b)
	seeded := time.Now()
	if err := seedArchive(ctx, db, stories, rand.New(rand.NewPCG(7, uint64(stories)))); err != nil {
		b.Fatal(err)
	}
	// Only what was seeded, as autovacuum would: subscribers analysed
	// while empty would have each backend plan the consent's foreign-key
	// check as a scan of the table, which then grows with every sign-up
	// of the run (a scan a sign-up, until autovacuum analyses the table
	// again) and made the sign-up's database cost rise from 0.1 ms to
	// over 1 ms a request within seconds. Autovacuum analyses a table
	// only once enough of its rows have changed, so an installation's
	// subscribers is not analysed empty unless someone asks.
	if _, err := db.Pool().Exec(ctx, "ANALYZE items, editions, edition_items"); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d archived stories in %.1fs", stories, time.Since(seeded).Seconds())

	w := startWeb(b, profiles, map[string]string{
		"DATABASE_URL":       dbURL,
		"REDIS_URL":          testenv.RedisURL(b),
		"SECRET_KEY":         "e83b15c7a69f24d0b7e2c41a5f93d68c",
		"SMTP_URL":           "smtp://127.0.0.1:2525", // web sends nothing itself
		"ORG_POSTAL_ADDRESS": "Apartado 123-1000, San José, Costa Rica",
		"SIGNUP_RATE_PER_IP": "0",
	})

	lines := []string{fmt.Sprintf("load: %d clients, %ds a target, %d stories archived, generator on the same cores (%s)",
		clients, seconds, stories, loadAvgNote())}
	lines = append(lines, fmt.Sprintf("load: %-16s %8s %10s %10s %7s   %s", "target", "req/s", "p50", "p99", "ok",
		"CPU seconds: web, postgres, redis, generator; not ours; CPU ms a request: web, postgres, redis, all four"))
	dbName := db.Pool().Config().ConnConfig.Database
	b.ResetTimer()
	for _, target := range loadTargets {
		attack(w.base, target, clients, time.Second) // warm-up: connections, caches, plans
		profile := filepath.Join(profiles, strings.NewReplacer(" ", "-", "(", "", ")", "").Replace(target.name)+".pprof")
		done := w.profile(b, profile, seconds)
		before := takeCPU(w.cmd.Process.Pid, dbName)
		m := attack(w.base, target, clients, time.Duration(seconds)*time.Second)
		cpu := phaseCPU(target.name, before, takeCPU(w.cmd.Process.Pid, dbName))
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		if m.Success < 0.99 {
			b.Errorf("%s: %.1f%% answered 2xx or 3xx (%v); errors %v", target.name, 100*m.Success, m.StatusCodes, m.Errors)
		}
		// CPU a request moves less with the machine's other work than the
		// rates do, which fall as other programs take the cores.
		perReq := func(sec float64) float64 { return 1000 * max(0, sec) / float64(max(1, m.Requests)) }
		lines = append(lines, fmt.Sprintf("load: %-16s %8.0f %10s %10s %6.1f%%   %.1f, %.1f, %.1f, %.1f; %.1f; %.3f, %.3f, %.3f, %.3f",
			target.name, m.Throughput, ms(m.Latencies.P50), ms(m.Latencies.P99), 100*m.Success,
			cpu.worker, cpu.postgres, max(0, cpu.redis), cpu.bench, cpu.pgOther+cpu.elsewhere,
			perReq(cpu.worker), perReq(cpu.postgres), perReq(cpu.redis), perReq(cpu.worker+cpu.postgres+max(0, cpu.redis)+cpu.bench)))
		// Printed, not logged: the testing package cuts a benchmark's log short.
		fmt.Printf("load: where web's CPU went for %s (%d requests; %s):\n%s\n",
			target.name, m.Requests, profile, topFunctions(b, w.bin, profile))
	}
	b.StopTimer()
	loadSummary = append(loadSummary, lines...)
}

// ms writes a latency in milliseconds.
func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// loadSummary holds BenchmarkPublicLoad's table and BenchmarkConsolePages'
// lines, in the order they ran, printed again last by TestMain so that
// `make bench` can repeat them. Each appends: neither may drop the other's.
var loadSummary []string

// attack runs clients closed-loop clients against target for d.
func attack(base string, target loadTarget, clients int, d time.Duration) vegeta.Metrics {
	a := vegeta.NewAttacker(vegeta.Workers(uint64(clients)), vegeta.MaxWorkers(uint64(clients)),
		vegeta.Connections(clients), vegeta.KeepAlive(true), vegeta.Timeout(time.Minute), vegeta.Redirects(vegeta.NoFollow))
	var m vegeta.Metrics
	for res := range a.Attack(target.targeter(base), vegeta.Rate{Freq: 0}, d, target.name) {
		m.Add(res)
	}
	m.Close()
	return m
}

// webProc is the web under load.
type webProc struct {
	bin, base, pprof string
	cmd              *exec.Cmd
}

// startWeb builds bench/webprof (cmd/web with a profiler) into dir and
// runs it on free loopback ports until the benchmark ends.
func startWeb(b *testing.B, dir string, env map[string]string) *webProc {
	b.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		b.Fatalf("bench: go tool not found on PATH: %v", err)
	}
	bin := filepath.Join(dir, "webprof")
	build := exec.Command(goBin, "build", "-o", bin, "./bench/webprof")
	build.Dir = repoRoot(b)
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("bench: go build ./bench/webprof: %v\n%s", err, out)
	}
	addr, metrics, pprofAddr := freeLoopback(b), freeLoopback(b), freeLoopback(b)
	w := &webProc{bin: bin, base: "http://" + addr, pprof: "http://" + pprofAddr}
	env["HTTP_ADDR"], env["METRICS_ADDR"], env["BENCH_PPROF_ADDR"], env["BASE_URL"] = addr, metrics, pprofAddr, w.base
	logFile, err := os.Create(filepath.Join(dir, "web.log"))
	if err != nil {
		b.Fatal(err)
	}
	w.cmd = exec.Command(bin)
	w.cmd.Env = os.Environ()
	for k, v := range env {
		w.cmd.Env = append(w.cmd.Env, k+"="+v)
	}
	w.cmd.Stdout, w.cmd.Stderr = logFile, logFile
	if err := w.cmd.Start(); err != nil {
		b.Fatal(err)
	}
	// exited is closed when web has exited, with its error in exitErr:
	// closed rather than sent on, so that the cleanup does not wait for
	// an exit the start-up check has already seen.
	exited := make(chan struct{})
	var exitErr error
	go func() { exitErr = w.cmd.Wait(); logFile.Close(); close(exited) }()
	b.Cleanup(func() {
		w.cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			w.cmd.Process.Kill()
			<-exited
		}
	})
	deadline := time.Now().Add(time.Minute)
	for {
		select {
		case <-exited:
			log, _ := os.ReadFile(logFile.Name())
			b.Fatalf("bench: web exited: %v\n%s", exitErr, log)
		default:
		}
		if resp, err := http.Get(w.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return w
			}
		}
		if time.Now().After(deadline) {
			b.Fatalf("bench: web not ready within a minute; see %s", logFile.Name())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// profile records web's CPU for seconds into path, in the background.
func (w *webProc) profile(b *testing.B, path string, seconds int) <-chan error {
	done := make(chan error, 1)
	go func() {
		resp, err := http.Get(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", w.pprof, seconds))
		if err != nil {
			done <- fmt.Errorf("cpu profile: %w", err)
			return
		}
		defer resp.Body.Close()
		f, err := os.Create(path)
		if err == nil {
			_, err = io.Copy(f, resp.Body)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		done <- err
	}()
	return done
}

// topFunctions is `go tool pprof -top` of a profile: the functions web
// spent the most CPU in on their own, then newsdigest's own functions by
// the CPU spent in them and what they called (the request's path, from
// the middleware down).
func topFunctions(b *testing.B, bin, profile string) string {
	b.Helper()
	var out []string
	for _, args := range [][]string{{"-flat", "-nodecount=12"}, {"-cum", "-show=^newsdigest/", "-nodecount=16"}} {
		cmd := exec.Command("go", append(append([]string{"tool", "pprof", "-top"}, args...), bin, profile)...)
		raw, err := cmd.Output()
		if err != nil {
			return fmt.Sprintf("  (go tool pprof: %v)", err)
		}
		for _, l := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
			if strings.HasPrefix(l, "File:") || strings.HasPrefix(l, "Type:") || strings.HasPrefix(l, "Time:") ||
				strings.HasPrefix(l, "Build ID:") || strings.HasPrefix(l, "Showing") || strings.HasPrefix(l, "Dropped") ||
				strings.HasPrefix(l, "Active filters") || strings.HasPrefix(l, "   show=") {
				continue
			}
			out = append(out, "  "+l)
		}
	}
	return strings.Join(out, "\n")
}

// freeLoopback returns a loopback address that was free a moment ago.
func freeLoopback(b *testing.B) string {
	b.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func loadAvgNote() string { return "load average " + loadAvg() }

// profileDir is BENCH_PROFILE_DIR, made if missing, or a directory of the
// benchmark's own that goes with it.
func profileDir(b *testing.B) string {
	dir := os.Getenv("BENCH_PROFILE_DIR")
	if dir == "" {
		return b.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	return dir
}

// migratedDB is a throwaway database of the benchmark's, migrated, and
// its URL.
func migratedDB(ctx context.Context, b *testing.B) (string, *postgres.DB) {
	url := testenv.DatabaseURL(b)
	db, err := postgres.Open(ctx, url, testenv.ErasureKey)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(db.Close)
	if err := db.Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		b.Fatal(err)
	}
	return url, db
}
