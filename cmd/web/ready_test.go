package main

import (
	"net/http"
	"strings"
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
	web := testenv.StartProgram(t, 2*time.Minute, "NEWSDIGEST_TEST_RUN_WEB=1", "NEWSDIGEST_TEST_WEB_ARGS=",
		"SECRET_KEY=7d1f0a93c6e24b58a0f3d9e17c52b84e", "LOG_FORMAT=json",
		"DATABASE_URL="+testenv.DatabaseURL(t), "REDIS_URL="+redisURL,
		"HTTP_ADDR=127.0.0.1:0", "METRICS_ADDR=127.0.0.1:0", "SHUTDOWN_DRAIN_DELAY=0s")
	log := web.Log
	addr := log.WaitLogLine(t, func(l testenv.LogLine) bool { return l.Msg == "web listening" }).Addr

	for range 3 {
		if code := testenv.Readyz(t, addr); code != http.StatusServiceUnavailable {
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
	web.WaitReady(t, addr, 30*time.Second)
	log.WaitLogLine(t, func(l testenv.LogLine) bool { return l.Msg == "ready again" && l.Check == "redis" })
	web.Stop(t)
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
