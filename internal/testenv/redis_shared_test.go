package testenv

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// sharedServer is a redis-server standing in for the one TEST_REDIS_URL
// would name.
func sharedServer(t *testing.T) (url string, opt *redis.Options) {
	t.Helper()
	srv, err := startRedisServer()
	if err != nil {
		t.Fatalf("%v; %s", err, redisServerHint)
	}
	t.Cleanup(srv.stop)
	url = srv.url[:len(srv.url)-1] + "7" // a database other than 0
	opt, err = redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	return url, opt
}

// TestTurnsAcrossProcesses plays two processes taking turns at one
// database: the second waits while the first holds it, even after the
// first's test empties it, lock key and all.
func TestTurnsAcrossProcesses(t *testing.T) {
	_, opt := sharedServer(t)
	ctx := context.Background()
	c := redis.NewClient(opt)
	defer c.Close()
	c.Set(ctx, "left:by:a:crashed:test", "x", 0)

	first, err := tryTurn(ctx, opt)
	if err != nil || first == nil {
		t.Fatalf("first turn: %v, %v", first, err)
	}
	if n, _ := c.Exists(ctx, "left:by:a:crashed:test").Result(); n != 0 {
		t.Errorf("a turn began without emptying the database")
	}
	if second, err := tryTurn(ctx, opt); second != nil || err != nil {
		t.Fatalf("second turn while the first is held: %v, %v", second, err)
	}

	// The holder's test empties the database, as the fault tests do.
	if err := c.FlushDB(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	if second, err := tryTurn(ctx, opt); second != nil || err != nil {
		t.Fatalf("second turn after the holder emptied the database: %v, %v", second, err)
	}
	// and its renewal puts the key back.
	deadline := time.Now().Add(3 * turnRenew)
	for c.Get(ctx, turnKey).Val() != first.owner {
		if time.Now().After(deadline) {
			t.Fatalf("the lock key was not renewed within %s", 3*turnRenew)
		}
		time.Sleep(50 * time.Millisecond)
	}

	c.Set(ctx, "made:by:the:first", "x", 0)
	if err := first.end(); err != nil {
		t.Fatalf("end of the first turn: %v", err)
	}
	if keys := c.Keys(ctx, "*").Val(); len(keys) != 0 {
		t.Errorf("keys left after a turn: %q", keys)
	}
	second, err := tryTurn(ctx, opt)
	if err != nil || second == nil {
		t.Fatalf("second turn after the first ended: %v, %v", second, err)
	}
	if err := second.end(); err != nil {
		t.Error(err)
	}
}

// TestTurnsWithinAProcess: tests running in parallel in one process wait for
// each other; a subtest shares its parent's turn.
func TestTurnsWithinAProcess(t *testing.T) {
	url, opt := sharedServer(t)
	var mu sync.Mutex
	var holding int
	t.Run("group", func(t *testing.T) {
		for _, name := range []string{"a", "b", "c"} {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				if got := sharedRedisURL(t, url); got != url {
					t.Errorf("URL = %q, want %q", got, url)
				}
				mu.Lock()
				holding++
				if holding > 1 {
					t.Errorf("%d tests hold the database at once", holding)
				}
				mu.Unlock()
				c := redisClient(t, url)
				ctx := context.Background()
				if keys := c.Keys(ctx, "test:*").Val(); len(keys) != 0 {
					t.Errorf("the database holds another test's keys: %q", keys)
				}
				c.Set(ctx, "test:"+name, "x", 0)
				t.Run("subtest", func(t *testing.T) {
					if got := sharedRedisURL(t, url); got != url {
						t.Errorf("URL = %q, want %q", got, url)
					}
				})
				mu.Lock()
				holding--
				mu.Unlock()
			})
		}
	})
	c := redis.NewClient(opt)
	defer c.Close()
	if keys := c.Keys(context.Background(), "*").Val(); len(keys) != 0 {
		t.Errorf("keys left after the tests: %q", keys)
	}
}
