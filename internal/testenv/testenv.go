// Package testenv gives tests their own real services, so that
// `go test ./...` can run packages in parallel processes without them
// meeting and without touching data the suite did not create:
//
//   - PostgreSQL: a throwaway database per test (DatabaseURL, Database),
//     created through TEST_DATABASE_URL as a copy of a template the
//     process migrated once, and dropped at the end.
//   - Redis: a redis-server of the test's own on a free loopback port,
//     killed at the end (RedisURL). With TEST_REDIS_URL set, that one
//     database instead, handed to one test at a time and emptied by them.
//   - SMTP: an in-process relay on loopback that keeps what it accepts and
//     records how each message arrived (NewSMTPServer).
//
// A service a test cannot reach fails it with a message saying how to get
// the service (scripts/services.sh); nothing is skipped silently.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log"
	"net/url"
	"strings"
	"testing"
	"time"
)

const (
	defaultAdminDB = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	startHint      = "start the services with `scripts/services.sh` (or `make test`, which does it)"
)

// DatabaseURL creates a database for the test, with every migration
// applied, and drops it when the test ends. TEST_DATABASE_URL names a
// connection allowed to create databases. The database is a copy of one
// the process migrated once (see pgProcess).
func DatabaseURL(t testing.TB) string {
	t.Helper()
	if err := pgProc.start(); err != nil {
		t.Fatalf("testenv: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	name, err := pgProc.create(ctx)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	t.Cleanup(func() { pgProc.dropLater(name, log.Printf) })
	return pgProc.url(name)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return strings.Replace(u.Redacted(), "xxxxx", "***", 1)
}
