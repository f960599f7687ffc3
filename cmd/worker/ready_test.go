package main

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"newsdigest/internal/testenv"
)

// TestReadyzSaysInTheLogWhyNotReady: while Redis refuses, the worker's
// /readyz answers 503 naming only the check, and its log says which
// check fails and why; when Redis is back and /readyz passes, the log
// says so.
func TestReadyzSaysInTheLogWhyNotReady(t *testing.T) {
	t.Parallel()
	proxy, redisURL := testenv.ProxyURL(t, testenv.RedisURL(t))
	proxy.Refuse()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NEWSDIGEST_TEST_RUN_WORKER=1", "NEWSDIGEST_TEST_WORKER_ARGS=",
		"SECRET_KEY=7d1f0a93c6e24b58a0f3d9e17c52b84e", "LOG_FORMAT=json",
		"DATABASE_URL="+testenv.DatabaseURL(t), "REDIS_URL="+redisURL, "METRICS_ADDR=127.0.0.1:0",
		"SMTP_TIMEOUT=1s", "SHUTDOWN_TIMEOUT=5s")
	log := &testenv.Output{}
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr := log.WaitLogLine(t, func(l testenv.LogLine) bool { return l.Msg == "worker metrics listening" }).Addr
	c := http.Client{Timeout: 30 * time.Second}
	readyz := func() int {
		t.Helper()
		resp, err := c.Get("http://" + addr + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := readyz(); code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with Redis refusing: %d, want 503", code)
	}
	l := log.WaitLogLine(t, func(l testenv.LogLine) bool { return l.Msg == "not ready" })
	if l.Check != "redis" || !strings.Contains(l.Err, "connection refused") {
		t.Errorf("first line saying why the worker is not ready: %+v, want one naming redis and its error", l)
	}

	proxy.Accept(t)
	deadline := time.Now().Add(30 * time.Second)
	for readyz() != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatalf("/readyz still failing 30s after Redis came back; log:\n%s", log)
		}
		time.Sleep(100 * time.Millisecond)
	}
	log.WaitLogLine(t, func(l testenv.LogLine) bool { return l.Msg == "ready again" && l.Check == "redis" })

	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("worker after SIGTERM: %v, want exit 0", err)
	}
}
