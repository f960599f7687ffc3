// Package testenv gives tests their own real services, so that
// `go test ./...` can run packages in parallel processes without them
// meeting and without touching data the suite did not create:
//
//   - PostgreSQL: a throwaway database per test (DatabaseURL, Database),
//     created through TEST_DATABASE_URL and dropped at the end.
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
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	defaultAdminDB = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	startHint      = "start the services with `scripts/services.sh` (or `make test`, which does it)"
)

// DatabaseURL creates an empty database for the test and drops it when the
// test ends. TEST_DATABASE_URL names a connection allowed to create
// databases.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("TEST_DATABASE_URL")
	if admin == "" {
		admin = defaultAdminDB
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("testenv: cannot reach PostgreSQL at %s: %v; %s", redact(admin), err, startHint)
	}
	defer conn.Close(ctx)
	name := "newsdigest_test_" + randomHex(6)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("testenv: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Logf("testenv: drop %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("testenv: drop %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("testenv: TEST_DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
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
