package main

import (
	"context"
	"encoding/json"
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
	addr := waitLine(t, log, func(l logLine) bool { return l.Msg == "web listening" }).Addr

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
	waitLine(t, log, func(l logLine) bool { return l.Msg == "request" && l.Route == "/readyz" && l.count(log) == 3 })
	var said []logLine
	for _, l := range lines(log) {
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
	waitLine(t, log, func(l logLine) bool { return l.Msg == "ready again" && l.Check == "redis" })

	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("web after SIGTERM: %v, want exit 0", err)
	}
}

// logLine is what the test reads of one of web's JSON log lines.
type logLine struct {
	Msg, Addr, Route, Check, Err string
}

// count is how many request lines for this line's route the log holds.
func (l logLine) count(log *testenv.Output) int {
	n := 0
	for _, o := range lines(log) {
		if o.Msg == "request" && o.Route == l.Route {
			n++
		}
	}
	return n
}

func lines(log *testenv.Output) []logLine {
	var out []logLine
	for line := range strings.Lines(log.String()) {
		var l logLine
		if json.Unmarshal([]byte(line), &l) == nil {
			out = append(out, l)
		}
	}
	return out
}

// waitLine returns the first line of log that ok accepts, waiting up to
// 30 s for it to be written.
func waitLine(t *testing.T, log *testenv.Output, ok func(logLine) bool) logLine {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		for _, l := range lines(log) {
			if ok(l) {
				return l
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no such line within 30s; log:\n%s", log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
