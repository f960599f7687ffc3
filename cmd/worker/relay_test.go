package main

import (
	"strconv"
	"testing"
	"time"

	"newsdigest/internal/testenv"
)

// TestStartSaysWhenTheRelayDoesNotAnswer: a worker whose SMTP_URL names
// something that is not a relay (here a server that hangs up at once)
// says so in its log at start, naming the relay, before any mail is
// tried; it starts all the same, and keeps trying each mail.
func TestStartSaysWhenTheRelayDoesNotAnswer(t *testing.T) {
	t.Parallel()
	relay := "127.0.0.1:" + strconv.Itoa(testenv.HangUp(t))
	worker := testenv.StartProgram(t, 2*time.Minute, "NEWSDIGEST_TEST_RUN_WORKER=1", "NEWSDIGEST_TEST_WORKER_ARGS=",
		"SECRET_KEY=7d1f0a93c6e24b58a0f3d9e17c52b84e", "LOG_FORMAT=json",
		"DATABASE_URL="+testenv.DatabaseURL(t), "REDIS_URL="+testenv.RedisURL(t), "METRICS_ADDR=127.0.0.1:0",
		"SMTP_URL=smtp://"+relay+"?tls=none", "SMTP_TIMEOUT=1s", "SHUTDOWN_TIMEOUT=5s")
	worker.Log.WaitLogLine(t, func(l testenv.LogLine) bool {
		return l.Msg == "SMTP_URL: the relay does not answer; mail waits and is tried again until it does"
	})
	worker.Stop(t)
}
