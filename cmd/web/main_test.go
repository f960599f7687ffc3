package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"newsdigest/internal/testenv"
)

// TestMain runs web's own main when the test asks for it in a child
// process, so the test sees what an operator sees: the exit status and
// stderr.
func TestMain(m *testing.M) {
	if os.Getenv("NEWSDIGEST_TEST_RUN_WEB") == "1" {
		os.Args = append([]string{"web"}, strings.Fields(os.Getenv("NEWSDIGEST_TEST_WEB_ARGS"))...)
		main()
		os.Exit(0)
	}
	testenv.Main(m)
}

// TestUnknownCommandIsRefused: a mistyped command, or a right one with
// words after it (`web migrate now`), stops at once with the usage, exit
// 2, before anything reaches the database.
func TestUnknownCommandIsRefused(t *testing.T) {
	for _, args := range []string{"migrat", "help", "migrate now", "serve --port 80"} {
		t.Run(args, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "NEWSDIGEST_TEST_RUN_WEB=1", "NEWSDIGEST_TEST_WEB_ARGS="+args,
				"SECRET_KEY=7d1f0a93c6e24b58a0f3d9e17c52b84e", "ADMIN_PASSWORD=correct horse battery",
				// Nothing listens there: a web that went on would wait for it.
				"DATABASE_URL=postgres://postgres@127.0.0.1:1/none?sslmode=disable", "REDIS_URL=redis://127.0.0.1:1/0",
				"HTTP_ADDR=127.0.0.1:0", "METRICS_ADDR=")
			out, err := cmd.CombinedOutput()
			if ctx.Err() != nil {
				t.Fatalf("web %s ran on:\n%s", args, out)
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), "usage: web [serve|migrate]") {
				t.Fatalf("web %s: %v, output:\n%s\nwant exit 2 with the usage", args, err, out)
			}
		})
	}
}

// TestMigrateStopsAtOnceWhileWaiting: `web migrate` started before
// PostgreSQL answers waits for it, and a SIGTERM meanwhile ends it at
// once with exit 0, not after SHUTDOWN_DRAIN_DELAY: it serves nothing a
// load balancer must be given time to stop sending to.
func TestMigrateStopsAtOnceWhileWaiting(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NEWSDIGEST_TEST_RUN_WEB=1", "NEWSDIGEST_TEST_WEB_ARGS=migrate",
		"SECRET_KEY=7d1f0a93c6e24b58a0f3d9e17c52b84e", "ADMIN_PASSWORD=correct horse battery",
		"DATABASE_URL=postgres://postgres@127.0.0.1:1/none?sslmode=disable", "REDIS_URL=redis://127.0.0.1:1/0",
		"SHUTDOWN_DRAIN_DELAY=10m", "METRICS_ADDR=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Once it says it waits, it has its signal handler.
	lines := bufio.NewScanner(stderr)
	for lines.Scan() && !strings.Contains(lines.Text(), "waiting for PostgreSQL") {
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, stderr)
	if err := cmd.Wait(); err != nil || ctx.Err() != nil {
		t.Fatalf("web migrate after SIGTERM: %v (%v), want exit 0 at once", err, ctx.Err())
	}
}

// TestLogsJSONWhileRedisIsDown: web with LOG_FORMAT=json and Redis not
// answering writes only JSON lines on stderr while /readyz finds Redis
// down: go-redis's messages go through web's logger rather than out as
// plain text of their own.
func TestLogsJSONWhileRedisIsDown(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NEWSDIGEST_TEST_RUN_WEB=1", "NEWSDIGEST_TEST_WEB_ARGS=",
		"SECRET_KEY=7d1f0a93c6e24b58a0f3d9e17c52b84e", "LOG_FORMAT=json",
		"DATABASE_URL="+testenv.DatabaseURL(t), "REDIS_URL=redis://127.0.0.1:1/0",
		"HTTP_ADDR=127.0.0.1:0", "METRICS_ADDR=127.0.0.1:0", "SHUTDOWN_DRAIN_DELAY=0s")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	var addr string
	scan := bufio.NewScanner(stderr)
	for addr == "" && scan.Scan() {
		lines = append(lines, scan.Text())
		var v struct{ Msg, Addr string }
		if json.Unmarshal(scan.Bytes(), &v) == nil && v.Msg == "web listening" {
			addr = v.Addr
		}
	}
	if addr == "" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("web never said it listens:\n%s", strings.Join(lines, "\n"))
	}
	// /readyz asks Redis, through go-redis, which fails to dial it.
	c := http.Client{Timeout: 30 * time.Second}
	resp, err := c.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz with Redis down: %d, want 503", resp.StatusCode)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for scan.Scan() {
		lines = append(lines, scan.Text())
	}
	if err := cmd.Wait(); err != nil || ctx.Err() != nil {
		t.Errorf("web after SIGTERM: %v (%v), want exit 0", err, ctx.Err())
	}
	for _, line := range lines {
		if !json.Valid([]byte(line)) {
			t.Errorf("not a JSON line: %q", line)
		}
	}
}

// TestStartStopsWhenRedisRefusesItsURL: a REDIS_URL that Redis answers
// with a refusal no wait will mend (here a database number past those
// the server has) stops web at start with an error naming REDIS_URL,
// rather than web listening and failing /readyz for ever.
func TestStartStopsWhenRedisRefusesItsURL(t *testing.T) {
	t.Parallel()
	url := testenv.RedisURL(t)
	refused := url[:strings.LastIndex(url, "/")] + "/100000"
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NEWSDIGEST_TEST_RUN_WEB=1", "NEWSDIGEST_TEST_WEB_ARGS=",
		"SECRET_KEY=7d1f0a93c6e24b58a0f3d9e17c52b84e",
		"DATABASE_URL="+testenv.DatabaseURL(t), "REDIS_URL="+refused,
		"HTTP_ADDR=127.0.0.1:0", "METRICS_ADDR=127.0.0.1:0", "SHUTDOWN_DRAIN_DELAY=0s")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Fatalf("web with REDIS_URL=%s: %v, want a non-zero exit:\n%s", refused, err, out)
	}
	if !strings.Contains(string(out), "REDIS_URL: Redis refuses it") || strings.Contains(string(out), "web listening") {
		t.Errorf("web with REDIS_URL=%s said:\n%s", refused, out)
	}
}
