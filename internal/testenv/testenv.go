// Package testenv gives tests their own real services: a throwaway
// Postgres database and a Redis database number of their own, so that
// `go test ./...` can run packages in parallel without them meeting.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
)

const (
	defaultAdminDB = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	defaultRedis   = "redis://127.0.0.1:6379/0"
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

// RedisURL reserves one of Redis's numbered databases (1 to 15) for the
// test, empties it, and frees it when the test ends. The reservation is a
// key in database 0 that expires, so a crashed test does not hold it long.
func RedisURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEST_REDIS_URL")
	if base == "" {
		base = defaultRedis
	}
	opt, err := redis.ParseURL(base)
	if err != nil {
		t.Fatalf("testenv: TEST_REDIS_URL: %v", err)
	}
	opt.DB = 0
	ctl := redis.NewClient(opt)
	defer ctl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := ctl.Ping(ctx).Err(); err != nil {
		t.Fatalf("testenv: cannot reach Redis at %s: %v; %s", opt.Addr, err, startHint)
	}
	owner := randomHex(8)
	for {
		for n := 1; n <= 15; n++ {
			key := fmt.Sprintf("newsdigest:testenv:db:%d", n)
			ok, err := ctl.SetNX(ctx, key, owner, 30*time.Minute).Result()
			if err != nil {
				t.Fatalf("testenv: reserve Redis DB: %v", err)
			}
			if !ok {
				continue
			}
			dbOpt := *opt
			dbOpt.DB = n
			c := redis.NewClient(&dbOpt)
			err = c.FlushDB(ctx).Err()
			c.Close()
			if err != nil {
				t.Fatalf("testenv: flush Redis DB %d: %v", n, err)
			}
			t.Cleanup(func() { release(opt, n, key, owner) })
			return fmt.Sprintf("redis://%s/%d", opt.Addr, n)
		}
		// Every database is taken by tests running in parallel: wait for one.
		select {
		case <-ctx.Done():
			t.Fatalf("testenv: no free Redis database among 1-15 after waiting")
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func release(opt *redis.Options, n int, key, owner string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	dbOpt := *opt
	dbOpt.DB = n
	c := redis.NewClient(&dbOpt)
	c.FlushDB(ctx)
	c.Close()
	ctl := redis.NewClient(opt)
	defer ctl.Close()
	if v, _ := ctl.Get(ctx, key).Result(); v == owner {
		ctl.Del(ctx, key)
	}
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
