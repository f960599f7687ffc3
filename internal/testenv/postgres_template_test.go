package testenv

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func adminConn(t *testing.T) *pgx.Conn {
	t.Helper()
	admin := os.Getenv("TEST_DATABASE_URL")
	if admin == "" {
		admin = defaultAdminDB
	}
	ctx := context.Background()
	c, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("cannot reach PostgreSQL at %s: %v; %s", redact(admin), err, startHint)
	}
	t.Cleanup(func() { c.Close(ctx) })
	return c
}

func databaseExists(t *testing.T, c *pgx.Conn, name string) bool {
	t.Helper()
	var n int
	if err := c.QueryRow(context.Background(), `SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// TestDatabaseURLIsAMigratedCopy: a test's database has every migration
// before the test touches it, is its own (a write in one is not in
// another), and is dropped once the test has ended.
func TestDatabaseURLIsAMigratedCopy(t *testing.T) {
	ctx := context.Background()
	var name string
	t.Run("user", func(t *testing.T) {
		url := DatabaseURL(t)
		c, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		if err := c.QueryRow(ctx, `SELECT current_database()`).Scan(&name); err != nil {
			t.Fatal(err)
		}
		var version int64
		if err := c.QueryRow(ctx, `SELECT max(version_id) FROM goose_db_version`).Scan(&version); err != nil || version < 18 {
			t.Fatalf("latest migration applied = %d, %v; want every migration", version, err)
		}
		if _, err := c.Exec(ctx, `CREATE TABLE mine (x int)`); err != nil {
			t.Fatal(err)
		}
		other, err := pgx.Connect(ctx, DatabaseURL(t))
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close(ctx)
		var exists bool
		if err := other.QueryRow(ctx, `SELECT to_regclass('mine') IS NOT NULL`).Scan(&exists); err != nil || exists {
			t.Errorf("a table made in one test database is in another: %v, %v", exists, err)
		}
	})
	pgProc.dropping.Wait() // the drop runs after the test, in the background
	if databaseExists(t, adminConn(t), name) {
		t.Errorf("database %s is still there after its test", name)
	}
}

// TestDatabasesOfAGoneProcessAreDropped: databases named after a process
// that no longer holds its lock (it crashed before its cleanups) are
// dropped by the next process; those of a process that holds it stay.
func TestDatabasesOfAGoneProcessAreDropped(t *testing.T) {
	if err := pgProc.start(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	admin := adminConn(t)
	gone := fmt.Sprintf("ndtest_%d_%s", 1<<22+1, randomHex(4))
	alive := fmt.Sprintf("ndtest_%d_%s", 1<<22+2, randomHex(4))
	// Locked before its databases exist, as a process does, so that the
	// sweep of a test process running alongside leaves them too.
	holder := adminConn(t)
	if _, err := holder.Exec(ctx, `SELECT pg_advisory_lock(hashtextextended($1, 0))`, alive); err != nil {
		t.Fatal(err)
	}
	var made []string
	for _, prefix := range []string{gone, alive} {
		for _, suffix := range []string{"_tpl", "_1", "_2"} {
			if _, err := admin.Exec(ctx, "CREATE DATABASE "+prefix+suffix); err != nil {
				t.Fatal(err)
			}
			made = append(made, prefix+suffix)
		}
	}
	t.Cleanup(func() {
		for _, n := range made {
			admin.Exec(ctx, "DROP DATABASE IF EXISTS "+n+" WITH (FORCE)")
		}
	})

	// Another test process starting meanwhile may be sweeping the gone
	// process's databases itself (it holds their lock while it drops
	// them, and this sweep then leaves them to it): they are gone once
	// either has finished.
	deadline := time.Now().Add(time.Minute)
	for {
		if err := pgProc.sweep(ctx); err != nil {
			t.Fatal(err)
		}
		left := 0
		for _, n := range made {
			if n[:len(gone)] == gone && databaseExists(t, admin, n) {
				left++
			}
		}
		if left == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, n := range made {
		want := n[:len(alive)] == alive
		if got := databaseExists(t, admin, n); got != want {
			t.Errorf("after the sweep, %s exists: %v, want %v", n, got, want)
		}
	}
	if !databaseExists(t, admin, pgProc.template()) {
		t.Errorf("the sweep dropped this process's own template %s", pgProc.template())
	}
}
