package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/testenv"
)

// TestMain runs the worker's own main when the test asks for it in a
// child process (runWorker), so the test sees what an operator sees: the
// exit status and stderr.
func TestMain(m *testing.M) {
	if os.Getenv("NEWSDIGEST_TEST_RUN_WORKER") == "1" {
		os.Args = append([]string{"worker"}, strings.Fields(os.Getenv("NEWSDIGEST_TEST_WORKER_ARGS"))...)
		main()
		os.Exit(0)
	}
	testenv.Main(m)
}

// TestUnknownCommandIsRefused: `worker chek` (a health check typed wrong,
// or `worker help`) must not start a worker that takes tasks and sends
// mail: it stops at once with the usage, exit 2, as web does.
func TestUnknownCommandIsRefused(t *testing.T) {
	for _, args := range []string{"chek", "help", "check now"} {
		t.Run(args, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "NEWSDIGEST_TEST_RUN_WORKER=1", "NEWSDIGEST_TEST_WORKER_ARGS="+args,
				"SECRET_KEY=7d1f0a93c6e24b58a0f3d9e17c52b84e",
				// Nothing listens there: a worker that started would wait.
				"DATABASE_URL=postgres://postgres@127.0.0.1:1/none?sslmode=disable", "REDIS_URL=redis://127.0.0.1:1/0",
				"METRICS_ADDR=")
			out, err := cmd.CombinedOutput()
			if ctx.Err() != nil {
				t.Fatalf("worker %s ran on as a worker:\n%s", args, out)
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), "usage: worker [check]") {
				t.Fatalf("worker %s: %v, output:\n%s\nwant exit 2 with the usage", args, err, out)
			}
		})
	}
}

// TestCheckLogsJSONWhileRedisIsDown: `worker check` with LOG_FORMAT=json
// and Redis not answering writes only JSON lines on stderr, its own
// failure included: go-redis's messages go through the program's logger
// rather than out as plain text of their own.
func TestCheckLogsJSONWhileRedisIsDown(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NEWSDIGEST_TEST_RUN_WORKER=1", "NEWSDIGEST_TEST_WORKER_ARGS=check",
		"SECRET_KEY=7d1f0a93c6e24b58a0f3d9e17c52b84e", "LOG_FORMAT=json",
		"DATABASE_URL="+testenv.DatabaseURL(t), "REDIS_URL=redis://127.0.0.1:1/0", "METRICS_ADDR=")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("worker check with Redis down: %v, want exit 1; stderr:\n%s", err, stderr.String())
	}
	var failed bool
	for line := range strings.Lines(stderr.String()) {
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Errorf("not a JSON line: %q", line)
			continue
		}
		if v["msg"] == "check failed" && strings.Contains(v["err"].(string), "redis") {
			failed = true
		}
	}
	if !failed {
		t.Errorf("no line says the check failed on Redis; stderr:\n%s", stderr.String())
	}
}
