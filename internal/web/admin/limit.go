package admin

import (
	"context"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"newsdigest/internal/config"
	"newsdigest/internal/ratelimit"
)

// The login limits. Every password tried is counted before it is
// checked, against the client (ratelimit.ClientBucket: an IPv4 address or
// an IPv6 /64, as sign-ups count) and, while its account is under
// attack, against the client and that account together; a right password
// is given back. An account is never locked as a whole: failures from one
// client cannot stop another client from signing in, so no stranger can
// keep the owner out.
const (
	// loginTriesPerClient are the passwords one client may try a minute,
	// whatever the accounts.
	loginTriesPerClient = 10
	loginWindow         = time.Minute
	// An account with attackFailures wrong passwords from anywhere within
	// attackWindow is under attack: until the window ends each client may
	// try only attackTriesPerClient passwords on it, so guessing from many
	// addresses is slowed to a crawl, while its owner, from their own
	// client, still gets in.
	attackFailures        = 10
	attackWindow          = 15 * time.Minute
	attackTriesPerClient  = 3
	watchFor              = 24 * time.Hour // how long the dashboard shows failures
	watchedAccountsKey    = "newsdigest:login:watched"
	watchedAccountsMaxLen = 100
)

// loginLimiter keeps the counts in Redis, so every web process shares
// them. Without Redis a login is refused (503): failing open would let a
// password guesser through exactly when the counters are gone.
type loginLimiter struct {
	counts *ratelimit.Limiter
	rdb    redis.UniversalClient
}

func newLoginLimiter(cfg *config.Config, rdb redis.UniversalClient) *loginLimiter {
	return &loginLimiter{counts: ratelimit.New(rdb, cfg.SecretKey), rdb: rdb}
}

// loginTicket is a try that passed the gates, to give back if the
// password was right.
type loginTicket struct {
	keys []string
}

// admit counts a try from ip at account and reports how long to wait
// when it is one too many (0: go on and check the password).
func (l *loginLimiter) admit(ctx context.Context, ip, account string) (loginTicket, time.Duration, error) {
	var t loginTicket
	client := ratelimit.ClientBucket(ip)
	key := l.counts.Key("login:client", client)
	v, err := l.counts.Take(ctx, key, loginTriesPerClient, loginWindow)
	if err != nil {
		return t, 0, err
	}
	t.keys = append(t.keys, key)
	if !v.Allowed {
		return t, max(v.Left, time.Second), nil
	}
	account = strings.ToLower(account)
	failures, err := l.counts.Count(ctx, l.counts.Key("login:account", account))
	if err != nil || failures < attackFailures {
		return t, 0, err
	}
	key = l.counts.Key("login:attacked", client+"\x00"+account)
	if v, err = l.counts.Take(ctx, key, attackTriesPerClient, attackWindow); err != nil {
		return t, 0, err
	}
	t.keys = append(t.keys, key)
	if !v.Allowed {
		return t, max(v.Left, time.Second), nil
	}
	return t, 0, nil
}

// succeeded gives back the tries a right password took: it guessed
// nothing.
func (l *loginLimiter) succeeded(ctx context.Context, t loginTicket) error {
	for _, k := range t.keys {
		if err := l.counts.Refund(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// failed counts a wrong password against the account from ip; for an
// account that exists (known) it is also kept for the dashboard, which
// tells the owner which accounts are being guessed at.
func (l *loginLimiter) failed(ctx context.Context, ip, account string, known bool) error {
	account = strings.ToLower(account)
	if _, err := l.counts.Take(ctx, l.counts.Key("login:account", account), attackFailures, attackWindow); err != nil {
		return err
	}
	if !known {
		return nil
	}
	return l.watch(ctx, ip, account)
}
