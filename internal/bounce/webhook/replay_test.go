package webhook

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"newsdigest/internal/testenv"
)

func TestMemoryGuard(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	g := NewMemoryGuard(2)
	g.now = func() time.Time { return now }
	ctx := t.Context()
	claim := func(key string, want bool, wantErr error) {
		t.Helper()
		ok, err := g.Claim(ctx, key, time.Minute)
		if ok != want || !errors.Is(err, wantErr) {
			t.Fatalf("Claim(%s) = %v, %v; want %v, %v", key, ok, err, want, wantErr)
		}
	}
	claim("a", true, nil)
	claim("a", false, nil)
	claim("b", true, nil)
	claim("c", false, ErrGuardFull) // full, nothing expired: refused, not taken unguarded
	if Status(ErrGuardFull) != http.StatusServiceUnavailable {
		t.Error("a full guard should answer 503")
	}
	g.Release(ctx, "a")
	claim("a", true, nil)
	now = now.Add(2 * time.Minute) // everything expired
	claim("c", true, nil)
	claim("a", true, nil)
}

func TestRedisGuard(t *testing.T) {
	t.Parallel()
	opt, err := redis.ParseURL(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	ctx := t.Context()
	g := NewRedisGuard(rdb, "test:webhook:")
	other := NewRedisGuard(rdb, "test:webhook:") // a second web process
	if ok, err := g.Claim(ctx, "mailgun:tok", time.Hour); !ok || err != nil {
		t.Fatalf("first claim: %v, %v", ok, err)
	}
	if ok, err := other.Claim(ctx, "mailgun:tok", time.Hour); ok || err != nil {
		t.Fatalf("claim from another process: %v, %v; want refused", ok, err)
	}
	keys, err := rdb.Keys(ctx, "test:webhook:*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys %q, %v", keys, err)
	}
	if ttl, err := rdb.PTTL(ctx, keys[0]).Result(); err != nil || ttl <= 0 || ttl > time.Hour {
		t.Errorf("key TTL %s, %v; want at most an hour", ttl, err)
	}
	if err := other.Release(ctx, "mailgun:tok"); err != nil {
		t.Fatal(err)
	}
	if ok, err := g.Claim(ctx, "mailgun:tok", time.Hour); !ok || err != nil {
		t.Errorf("claim after release: %v, %v", ok, err)
	}
}
