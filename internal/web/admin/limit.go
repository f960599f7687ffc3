package admin

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"newsdigest/internal/config"
	"newsdigest/internal/errs"
)

// Wrong passwords allowed a minute, per client IP and per account.
const (
	loginFailuresAllowed = 10
	loginWindow          = time.Minute
)

// loginLimiter counts wrong passwords in Redis, so every web process
// shares the counts. Keys hold an HMAC of the IP or account, never the
// value. Without Redis a login is refused (503): failing open would let a
// password guesser through exactly when the counters are gone.
type loginLimiter struct {
	rdb *redis.Client
	key []byte
}

func newLoginLimiter(cfg *config.Config, rdb *redis.Client) *loginLimiter {
	return &loginLimiter{rdb: rdb, key: cfg.SecretKey}
}

func (l *loginLimiter) keys(ip, account string) []string {
	return []string{l.redisKey("ip", ip), l.redisKey("account", strings.ToLower(account))}
}

func (l *loginLimiter) redisKey(kind, value string) string {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(kind + "\x00" + value))
	return "newsdigest:login:" + kind + ":" + hex.EncodeToString(m.Sum(nil)[:16])
}

// blocked returns how long until a login from ip for account may be
// tried, or 0 when it may be tried now.
func (l *loginLimiter) blocked(ctx context.Context, ip, account string) (time.Duration, error) {
	var wait time.Duration
	for _, k := range l.keys(ip, account) {
		n, err := l.rdb.Get(ctx, k).Int()
		if err == redis.Nil {
			continue
		}
		if err != nil {
			return 0, errs.Wrap(errs.Unavailable, err, "login limits unavailable")
		}
		if n >= loginFailuresAllowed {
			ttl, err := l.rdb.PTTL(ctx, k).Result()
			if err != nil {
				return 0, errs.Wrap(errs.Unavailable, err, "login limits unavailable")
			}
			wait = max(wait, ttl, time.Second)
		}
	}
	return wait, nil
}

// failed counts a wrong password against ip and account. The window
// starts at the first failure and is not extended by later ones.
func (l *loginLimiter) failed(ctx context.Context, ip, account string) error {
	_, err := l.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range l.keys(ip, account) {
			p.Incr(ctx, k)
			p.ExpireNX(ctx, k, loginWindow)
		}
		return nil
	})
	if err != nil {
		return errs.Wrap(errs.Unavailable, err, "login limits unavailable")
	}
	return nil
}
