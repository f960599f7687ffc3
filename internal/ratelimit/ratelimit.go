// Package ratelimit counts requests in fixed windows kept in Redis, so
// every web process shares the counts, and says who one client is: the
// sign-up form, the estimate and the console's login all count a client
// by the same rule (ClientBucket).
//
// A counter is the gate: Take adds one before the caller does the work it
// guards, in one step with the check, so that requests arriving together
// cannot all slip under the limit before any of them is counted.
package ratelimit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"time"

	"github.com/redis/go-redis/v9"

	"newsdigest/internal/errs"
)

// Limiter keeps counters in Redis under keyed hashes (HMAC with the app's
// SECRET_KEY) of what they count, never the value itself: Redis is not
// where IPs and addresses are kept, and without the key a hash cannot be
// reversed by trying values.
//
// It fails closed: when Redis does not answer, Take is an errs.Unavailable
// error, never a pass, since failing open would let a flood through
// exactly when the counters are gone.
type Limiter struct {
	rdb    redis.UniversalClient
	secret []byte
}

// New counts through rdb, hashing keys with secret.
func New(rdb redis.UniversalClient, secret []byte) *Limiter {
	return &Limiter{rdb: rdb, secret: secret}
}

// Key names the counter of value in a family of counters (kind, such as
// "signup:ip"): the kind in the clear, the value as its keyed hash.
func (l *Limiter) Key(kind, value string) string {
	m := hmac.New(sha256.New, l.secret)
	m.Write([]byte("newsdigest " + kind + "\x00" + value))
	return "newsdigest:" + kind + ":" + hex.EncodeToString(m.Sum(nil)[:16])
}

// Verdict is the answer of Take.
type Verdict struct {
	// Allowed is false when the count went past the limit.
	Allowed bool
	// Count is the count after this request.
	Count int64
	// Left is the time until the window ends and the count starts again.
	Left time.Duration
}

// take adds one to a fixed-window counter and returns the count and the
// time left in the window. The first hit of a window sets its expiry;
// Lua makes the increment, the expiry and the reading one step, so a
// counter never outlives its window and no two callers see the same count.
var take = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`)

// Take counts one request against key, whose window is window long, and
// says whether it is within limit.
func (l *Limiter) Take(ctx context.Context, key string, limit int, window time.Duration) (Verdict, error) {
	res, err := take.Run(ctx, l.rdb, []string{key}, window.Milliseconds()).Int64Slice()
	if err == nil && len(res) != 2 {
		err = fmt.Errorf("unexpected answer %v", res)
	}
	if err != nil {
		return Verdict{}, errs.Wrap(errs.Unavailable, fmt.Errorf("rate limit: %w", err),
			"this is unavailable for a moment; please try again shortly")
	}
	return Verdict{Allowed: res[0] <= int64(limit), Count: res[0], Left: time.Duration(res[1]) * time.Millisecond}, nil
}

// refund takes one back from a counter that still counts something; it
// never goes below zero nor brings back a counter whose window ended.
var refund = redis.NewScript(`
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then redis.call('DECR', KEYS[1]) end
return n
`)

// Refund takes back one request Take counted against key: one that
// turned out not to count (a right password is no guess).
func (l *Limiter) Refund(ctx context.Context, key string) error {
	if err := refund.Run(ctx, l.rdb, []string{key}).Err(); err != nil && err != redis.Nil {
		return errs.Wrap(errs.Unavailable, fmt.Errorf("rate limit refund: %w", err), "this is unavailable for a moment")
	}
	return nil
}

// Count reads a counter without adding to it: 0 when its window is over.
func (l *Limiter) Count(ctx context.Context, key string) (int64, error) {
	n, err := l.rdb.Get(ctx, key).Int64()
	if err == redis.Nil {
		return 0, nil
	}
	if err != nil {
		return 0, errs.Wrap(errs.Unavailable, fmt.Errorf("rate limit: %w", err), "this is unavailable for a moment")
	}
	return n, nil
}

// NetworkBucket is the IPv6 /48 an address is in, which is what a site
// is given: a client that takes a fresh /64 for every try is a new
// client each time (ClientBucket), but not a new network. "" for an IPv4
// address, or a string that is no address.
func NetworkBucket(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ""
	}
	if a = a.Unmap().WithZone(""); !a.Is6() {
		return ""
	}
	p, _ := a.Prefix(48)
	return p.String()
}

// ClientBucket is what one client counts as: its IPv4 address, or the /64
// its IPv6 address is in, which one household or host usually holds
// whole (so an attacker cannot pick a fresh address from their network
// for each try). A string that is no address counts as itself.
func ClientBucket(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
