package ratelimit

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"newsdigest/internal/testenv"
)

func TestNetworkBucket(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"203.0.113.9":             "",
		"::ffff:203.0.113.9":      "",
		"2001:db8:5:6::1":         "2001:db8:5::/48",
		"2001:db8:5:ff06:1:2:3:4": "2001:db8:5::/48",
		"not an address":          "",
	} {
		if got := NetworkBucket(in); got != want {
			t.Errorf("NetworkBucket(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClientBucket(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"203.0.113.9":             "203.0.113.9",
		"::ffff:203.0.113.9":      "203.0.113.9",
		"2001:db8:5:6::1":         "2001:db8:5:6::/64",
		"2001:db8:5:6:ffff:1:2:3": "2001:db8:5:6::/64",
		"fe80::1%eth0":            "fe80::/64",
		"not an address":          "not an address",
	} {
		if got := ClientBucket(in); got != want {
			t.Errorf("ClientBucket(%q) = %q, want %q", in, got, want)
		}
	}
}

// Requests arriving together are each counted before any is let through:
// of 50 at once against a limit of 10, exactly 10 pass. A refund gives
// one back, never below zero.
func TestTakeIsTheGate(t *testing.T) {
	t.Parallel()
	opt, err := redis.ParseURL(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	l := New(rdb, []byte("a key for the test's hashes"))
	key := l.Key("test:client", "198.51.100.1")
	ctx := context.Background()
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			v, err := l.Take(ctx, key, 10, time.Minute)
			if err != nil {
				t.Error(err)
				return
			}
			if v.Allowed {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := allowed.Load(); n != 10 {
		t.Errorf("%d of 50 requests at once allowed, want 10", n)
	}
	if n, err := l.Count(ctx, key); err != nil || n != 50 {
		t.Errorf("count = %d, %v; want 50", n, err)
	}
	fresh := l.Key("test:client", "198.51.100.2")
	if err := l.Refund(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	if n, _ := l.Count(ctx, fresh); n != 0 {
		t.Errorf("a refund on nothing counted made %d", n)
	}
	l.Take(ctx, fresh, 10, time.Minute)
	l.Refund(ctx, fresh)
	if n, _ := l.Count(ctx, fresh); n != 0 {
		t.Errorf("after a take and its refund the count is %d", n)
	}
}
