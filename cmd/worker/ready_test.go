package main

import (
	"net/http"
	"strings"
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
	worker := testenv.StartProgram(t, 2*time.Minute, "NEWSDIGEST_TEST_RUN_WORKER=1", "NEWSDIGEST_TEST_WORKER_ARGS=",
		"SECRET_KEY=7d1f0a93c6e24b58a0f3d9e17c52b84e", "LOG_FORMAT=json",
		"DATABASE_URL="+testenv.DatabaseURL(t), "REDIS_URL="+redisURL, "METRICS_ADDR=127.0.0.1:0",
		"SMTP_TIMEOUT=1s", "SHUTDOWN_TIMEOUT=5s")
	log := worker.Log
	addr := log.WaitLogLine(t, func(l testenv.LogLine) bool { return l.Msg == "worker metrics listening" }).Addr
	if code := testenv.Readyz(t, addr); code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with Redis refusing: %d, want 503", code)
	}
	l := log.WaitLogLine(t, func(l testenv.LogLine) bool { return l.Msg == "not ready" })
	if l.Check != "redis" || !strings.Contains(l.Err, "connection refused") {
		t.Errorf("first line saying why the worker is not ready: %+v, want one naming redis and its error", l)
	}

	proxy.Accept(t)
	worker.WaitReady(t, addr, 30*time.Second)
	log.WaitLogLine(t, func(l testenv.LogLine) bool { return l.Msg == "ready again" && l.Check == "redis" })
	worker.Stop(t)
}
