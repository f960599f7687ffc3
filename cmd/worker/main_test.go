package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
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
	os.Exit(m.Run())
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
