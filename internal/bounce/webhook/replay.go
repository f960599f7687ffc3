package webhook

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// ReplayGuard remembers the signed requests already acted on. A provider
// that sends a request again (after a lost reply) gets its 200 and
// nothing is recorded twice; someone who captured a signed request cannot
// use its signature again, which matters where the signature does not
// cover the whole body (Mailgun signs only a timestamp and a token).
type ReplayGuard interface {
	// Claim marks key as used for ttl; it reports false if it already was.
	Claim(ctx context.Context, key string, ttl time.Duration) (bool, error)
	// Release forgets key, so that a request whose events could not be
	// recorded is taken when it comes again.
	Release(ctx context.Context, key string) error
}

// ErrGuardFull is what MemoryGuard.Claim returns when it holds as many
// keys as it may and none has expired: the request is refused for now
// (503), not taken unguarded.
var ErrGuardFull = errors.New("webhook: replay guard full")

// MemoryGuard is a ReplayGuard in this process's memory: for a single web
// process, and for tests. With several, use RedisGuard, or a request
// replayed to another process would be taken there.
type MemoryGuard struct {
	max int
	now func() time.Time

	mu   sync.Mutex
	keys map[string]time.Time // key → when it may be forgotten
}

// NewMemoryGuard returns a guard that holds at most size keys (at least 1).
func NewMemoryGuard(size int) *MemoryGuard {
	return &MemoryGuard{max: max(size, 1), now: time.Now, keys: map[string]time.Time{}}
}

// Claim implements ReplayGuard.
func (g *MemoryGuard) Claim(_ context.Context, key string, ttl time.Duration) (bool, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	if until, ok := g.keys[key]; ok && now.Before(until) {
		return false, nil
	}
	if len(g.keys) >= g.max {
		for k, until := range g.keys {
			if !now.Before(until) {
				delete(g.keys, k)
			}
		}
		if len(g.keys) >= g.max {
			return false, ErrGuardFull
		}
	}
	g.keys[key] = now.Add(ttl)
	return true, nil
}

// Release implements ReplayGuard.
func (g *MemoryGuard) Release(_ context.Context, key string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.keys, key)
	return nil
}

// RedisGuard is a ReplayGuard in Redis, shared by every web process: a
// key is claimed with SET NX and expires with its TTL.
type RedisGuard struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewRedisGuard returns a guard keeping its keys under prefix (such as
// "newsdigest:webhook:").
func NewRedisGuard(rdb redis.UniversalClient, prefix string) *RedisGuard {
	return &RedisGuard{rdb: rdb, prefix: prefix}
}

// redisKey hashes a key: provider tokens are of any length and alphabet,
// and Redis keys are better short and plain.
func (g *RedisGuard) redisKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return g.prefix + hex.EncodeToString(sum[:16])
}

// Claim implements ReplayGuard.
func (g *RedisGuard) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if ttl < time.Millisecond {
		ttl = time.Millisecond
	}
	ok, err := g.rdb.SetNX(ctx, g.redisKey(key), 1, ttl).Result()
	if err != nil {
		return false, fmt.Errorf("webhook: claiming a replay key: %w", err)
	}
	return ok, nil
}

// Release implements ReplayGuard.
func (g *RedisGuard) Release(ctx context.Context, key string) error {
	if err := g.rdb.Del(ctx, g.redisKey(key)).Err(); err != nil {
		return fmt.Errorf("webhook: releasing a replay key: %w", err)
	}
	return nil
}
