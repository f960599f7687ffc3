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

// TestReadyzSaysInTheLogWhyNotReady: while Redis refuses, /readyz
// answers 503 naming only the check, and web's log says which check
// fails and why, once however often the probe comes; when Redis is back
// and /readyz passes, the log says so. An operator whose web is kept out
// of service finds the cause where they look first.
func TestReadyzSaysInTheLogWhyNotReady(t *testing.T) {
	t.Parallel()
	proxy, redisURL := testenv.ProxyURL(t, testenv.RedisURL(t))
	proxy.Refuse()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NEWSDIGEST_TEST_RUN_WEB=1", "NEWSDIGEST_TEST_WEB_ARGS=",
		"SECRET_KEY=7d1f0a93c6e24b58a0f3d9e17c52b84e", "LOG_FORMAT=json",
		"DATABASE_URL="+testenv.DatabaseURL(t), "REDIS_URL="+redisURL,
		"HTTP_ADDR=127.0.0.1:0", "METRICS_ADDR=127.0.0.1:0", "SHUTDOWN_DRAIN_DELAY=0s")
	log := &testenv.Output{}
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr := log.WaitLogLine(t, func(l testenv.LogLine) bool { return l.Msg == "web listening" }).Addr

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
	for range 3 {
		if code := readyz(); code != http.StatusServiceUnavailable {
			t.Fatalf("/readyz with Redis refusing: %d, want 503", code)
		}
	}
	// Each probe's request line comes after its check's: once the third
	// is there, every line the probes made is.
	log.WaitLogLine(t, func(l testenv.LogLine) bool {
		return l.Msg == "request" && l.Route == "/readyz" && requests(log, l.Route) == 3
	})
	var said []testenv.LogLine
	for _, l := range log.LogLines() {
		if l.Msg == "not ready" {
			said = append(said, l)
		}
	}
	if len(said) != 1 || said[0].Check != "redis" || !strings.Contains(said[0].Err, "connection refused") {
		t.Errorf("lines saying why web is not ready: %+v, want one naming redis and its error; log:\n%s", said, log)
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
		t.Errorf("web after SIGTERM: %v, want exit 0", err)
	}
}

// requests counts the request lines for route in log.
func requests(log *testenv.Output, route string) int {
	n := 0
	for _, o := range log.LogLines() {
		if o.Msg == "request" && o.Route == route {
			n++
		}
	}
	return n
}
