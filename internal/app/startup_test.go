package app_test

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	neturl "net/url"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"newsdigest/internal/app"
	"newsdigest/internal/config"
	"newsdigest/internal/testenv"
)

// startupConfig is the configuration of a web or worker started by these
// tests, with DATABASE_URL as given.
func startupConfig(t *testing.T, databaseURL string, extra map[string]string) *config.Config {
	t.Helper()
	env := map[string]string{
		"DATABASE_URL": databaseURL, "REDIS_URL": testenv.RedisURL(t), "SECRET_KEY": secretKey,
		"SMTP_URL": "smtp://127.0.0.1:1", "SHUTDOWN_DRAIN_DELAY": "0s",
	}
	for k, v := range extra {
		env[k] = v
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// waitFor polls ok until it holds, failing the test at the deadline.
func waitFor(t *testing.T, within time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", within, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// answers reports whether GET url answers 200.
func answers(url string) bool {
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// TestProgramsWaitForPostgreSQLAtStart: web and the worker started before
// PostgreSQL answers (a host booting, a compose or Kubernetes deploy that
// starts everything at once) wait for it, saying so in their log, and
// start serving once it does, rather than exiting at once and leaving it
// to a restart policy's growing back-off.
func TestProgramsWaitForPostgreSQLAtStart(t *testing.T) {
	t.Parallel()
	proxy, url := testenv.ProxyURL(t, testenv.DatabaseURL(t))
	proxy.Refuse()
	cfg := startupConfig(t, url, nil)
	logs := &testenv.Output{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("log:\n%s", logs)
		}
	})

	webL, webMetrics, workerMetrics := listenLoopback(t), listenLoopback(t), listenLoopback(t)
	ctx, cancel := context.WithCancel(context.Background())
	webDone, workerDone := make(chan error, 1), make(chan error, 1)
	go func() {
		webDone <- (&app.Web{Config: cfg, Log: log, Registry: prometheus.NewRegistry(),
			Listener: webL, MetricsListener: webMetrics}).Run(ctx)
	}()
	go func() {
		opts := testWorkerOptions()
		opts.Registry = prometheus.NewRegistry()
		workerDone <- (&app.Worker{Config: cfg, Log: log, Options: opts, MetricsListener: workerMetrics}).Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		for name, done := range map[string]chan error{"web": webDone, "worker": workerDone} {
			if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("%s stopped with %v", name, err)
			}
		}
	})

	waitFor(t, 20*time.Second, "neither program says it waits for PostgreSQL", func() bool {
		return strings.Count(logs.String(), "waiting for PostgreSQL") >= 2
	})
	for name, done := range map[string]chan error{"web": webDone, "worker": workerDone} {
		select {
		case err := <-done:
			t.Fatalf("%s gave up while PostgreSQL did not answer: %v", name, err)
		default:
		}
	}
	proxy.Accept(t)
	waitFor(t, 30*time.Second, "web is not ready once PostgreSQL answers", func() bool {
		return answers("http://" + webL.Addr().String() + "/readyz")
	})
	waitFor(t, 30*time.Second, "the worker is not ready once PostgreSQL answers", func() bool {
		return answers("http://" + workerMetrics.Addr().String() + "/readyz")
	})
}

// TestWebStopsOnAHeldPortBeforeMigrating: web that cannot listen on
// HTTP_ADDR (another program holds the port) stops with an error naming
// it before it has changed the database: migrations are for a web that
// will serve.
func TestWebStopsOnAHeldPortBeforeMigrating(t *testing.T) {
	t.Parallel()
	url := testenv.DatabaseURL(t)
	db := testenv.Open(t, url)
	ctx := context.Background()
	if _, err := db.Pool().Exec(ctx, `DROP SCHEMA public CASCADE; CREATE SCHEMA public`); err != nil {
		t.Fatal(err)
	}
	held := listenLoopback(t)
	cfg := startupConfig(t, url, map[string]string{"HTTP_ADDR": held.Addr().String(), "METRICS_ADDR": "127.0.0.1:0"})
	runCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	err := (&app.Web{Config: cfg, Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry()}).Run(runCtx)
	if err == nil || !strings.Contains(err.Error(), "HTTP_ADDR") {
		t.Fatalf("web on a held port: %v, want an error naming HTTP_ADDR", err)
	}
	var migrated bool
	if err := db.Pool().QueryRow(ctx, `SELECT to_regclass('public.goose_db_version') IS NOT NULL`).Scan(&migrated); err != nil {
		t.Fatal(err)
	}
	if migrated {
		t.Error("web migrated the database, then found it could not listen")
	}
}

func listenLoopback(t *testing.T) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// TestLoadConfigReadsDatabaseURLAsThePoolWill: the programs' settings
// refuse a DATABASE_URL the pool cannot read, with the others' errors.
func TestLoadConfigReadsDatabaseURLAsThePoolWill(t *testing.T) {
	env := map[string]string{"SECRET_KEY": "7d1f0a93c6e24b58a0f3d9e17c52b84e",
		"DATABASE_URL": "postgres://newsdigest@db.internal/newsdigest?sslmode=bogus"}
	if _, err := app.LoadConfig(func(k string) string { return env[k] }); err == nil || !strings.HasPrefix(err.Error(), "DATABASE_URL:") {
		t.Errorf("err = %v, want DATABASE_URL refused", err)
	}
}

// TestWebStoppedWhileWaitingForPostgreSQLStopsAtOnce: a stop signal that
// comes while web waits for PostgreSQL ends it then, not after the drain
// delay, which is for a load balancer to stop sending requests that web,
// serving nothing yet, has none of.
func TestWebStoppedWhileWaitingForPostgreSQLStopsAtOnce(t *testing.T) {
	t.Parallel()
	cfg := startupConfig(t, "postgres://postgres@127.0.0.1:1/none?sslmode=disable",
		map[string]string{"HTTP_ADDR": "127.0.0.1:0", "METRICS_ADDR": "127.0.0.1:0"})
	draining := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		// Its ctx never ends: only the signal (draining) can stop it.
		done <- (&app.Web{Config: cfg, Log: slog.New(slog.DiscardHandler), Draining: draining}).Run(context.Background())
	}()
	close(draining)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("web stopped with %v, want nil: nothing had started", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("web went on waiting for PostgreSQL after the stop signal")
	}
}

// TestProgramsStopOnARefusalWaitingWillNotMend: web and the worker whose
// DATABASE_URL names a database or a role that does not exist stop at
// once with PostgreSQL's refusal, as docs/operations.md says (exit 1 in
// the binaries), rather than wait, or stop as if told to.
func TestProgramsStopOnARefusalWaitingWillNotMend(t *testing.T) {
	t.Parallel()
	u, err := neturl.Parse(testenv.DatabaseURL(t))
	if err != nil {
		t.Fatal(err)
	}
	noDatabase, noRole := *u, *u
	noDatabase.Path += "_absent"
	noRole.User = neturl.User("ndtest_no_such_role")
	for _, tc := range []struct{ what, url, want string }{
		{"no such database", noDatabase.String(), "does not exist"},
		{"no such role", noRole.String(), `role "ndtest_no_such_role" does not exist`},
	} {
		cfg := startupConfig(t, tc.url, map[string]string{"HTTP_ADDR": "127.0.0.1:0", "METRICS_ADDR": "127.0.0.1:0"})
		run := map[string]func(context.Context) error{
			"web": func(ctx context.Context) error {
				return (&app.Web{Config: cfg, Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
					Draining: make(chan struct{})}).Run(ctx)
			},
			"worker": func(ctx context.Context) error {
				opts := testWorkerOptions()
				opts.Registry = prometheus.NewRegistry()
				return (&app.Worker{Config: cfg, Log: slog.New(slog.DiscardHandler), Options: opts}).Run(ctx)
			},
		}
		for name, run := range run {
			t.Run(tc.what+"/"+name, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				err := run(ctx)
				if ctx.Err() != nil {
					t.Fatalf("%s waited for a database that refuses it", name)
				}
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("%s stopped with %v, want PostgreSQL's refusal (%q)", name, err, tc.want)
				}
			})
		}
	}
}
