package mail

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// RateLimiter paces sends to a rate shared by every worker, through one
// Redis key holding the earliest time the next message may go (a virtual
// schedule: each caller books the next slot and waits for it). Redis's own
// clock decides, so workers on hosts with skewed clocks still agree.
type RateLimiter struct {
	rdb      redis.UniversalClient
	key      string
	interval time.Duration
}

// reserve books the next slot and returns how long to wait for it, in
// microseconds.
var reserve = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < now then slot = now end
redis.call('SET', KEYS[1], slot + interval, 'PX', math.floor((slot + interval - now) / 1000) + 1000)
return slot - now
`)

// NewRateLimiter paces to perSecond messages per second across everyone
// using the same Redis and key.
func NewRateLimiter(rdb redis.UniversalClient, key string, perSecond float64) (*RateLimiter, error) {
	if perSecond <= 0 {
		return nil, fmt.Errorf("SEND_RATE: must be positive to limit")
	}
	return &RateLimiter{rdb: rdb, key: key, interval: time.Duration(float64(time.Second) / perSecond)}, nil
}

// Wait blocks until this caller's slot comes.
func (l *RateLimiter) Wait(ctx context.Context) error {
	us, err := reserve.Run(ctx, l.rdb, []string{l.key}, l.interval.Microseconds()).Int64()
	if err != nil {
		return fmt.Errorf("rate limiter: %w", err)
	}
	if us <= 0 {
		return nil
	}
	t := time.NewTimer(time.Duration(us) * time.Microsecond)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
