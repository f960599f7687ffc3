package admin

import (
	"context"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"newsdigest/internal/config"
	"newsdigest/internal/domain"
	"newsdigest/internal/ratelimit"
)

// The login limits. Every password tried is counted before it is
// checked, against the client (ratelimit.ClientBucket: an IPv4 address or
// an IPv6 /64, as sign-ups count), against an IPv6 client's /48 as well,
// and, while its account is under attack, against the client and that
// account together; a right password is given back. An account is never
// locked as a whole: failures from one client cannot stop another client
// from signing in, so no stranger can keep the owner out.
const (
	// loginTriesPerClient are the passwords one client may try a minute,
	// whatever the accounts.
	loginTriesPerClient = 10
	loginWindow         = time.Minute
	// loginTriesPerNetwork are the passwords an IPv6 /48 may try a
	// minute, all its /64s together: a site is given a /48, so one
	// attacker can take a fresh /64 for every try and be a new client each
	// time, but not a fresh /48. A few clients' worth, for a desk whose
	// editors share one network.
	loginTriesPerNetwork = 3 * loginTriesPerClient
	// An account with attackFailures wrong passwords from anywhere within
	// attackWindow is under attack: until the window ends each client may
	// try only attackTriesPerClient passwords on it, so guessing from many
	// addresses is slowed to a crawl, while its owner, from their own
	// client, still gets in.
	attackFailures       = 10
	attackWindow         = 15 * time.Minute
	attackTriesPerClient = 3
	// Editors' names are also counted together: made-up names, each tried
	// once, never bring one account to attackFailures, but with
	// editorsAttackFailures wrong passwords for editor names, known or
	// not, the editors' accounts are under attack as one, and each client
	// may try only attackTriesPerClient passwords on any of them. Known
	// names count as unknown ones do, so which names are editors does not
	// show in when the slowing starts. It is more than one account's
	// threshold, as the whole desk's typing mistakes add up here.
	editorsAttackFailures = 5 * attackFailures
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
	wait, err := l.take(ctx, &t, l.counts.Key("login:client", client), loginTriesPerClient, loginWindow)
	if wait > 0 || err != nil {
		return t, wait, err
	}
	if network := ratelimit.NetworkBucket(ip); network != "" {
		wait, err := l.take(ctx, &t, l.counts.Key("login:network", network), loginTriesPerNetwork, loginWindow)
		if wait > 0 || err != nil {
			return t, wait, err
		}
	}
	account = strings.ToLower(account)
	failures, err := l.counts.Count(ctx, l.counts.Key("login:account", account))
	if err != nil {
		return t, 0, err
	}
	if failures >= attackFailures {
		wait, err := l.take(ctx, &t, l.counts.Key("login:attacked", client+"\x00"+account), attackTriesPerClient, attackWindow)
		if wait > 0 || err != nil {
			return t, wait, err
		}
	}
	if account == domain.OwnerAccount {
		return t, 0, nil
	}
	if failures, err = l.counts.Count(ctx, l.counts.Key("login:editors", "")); err != nil {
		return t, 0, err
	}
	if failures < editorsAttackFailures {
		return t, 0, nil
	}
	wait, err = l.take(ctx, &t, l.counts.Key("login:attacked-editors", client), attackTriesPerClient, attackWindow)
	return t, wait, err
}

// take counts a try against key, kept in t to be given back, and reports
// how long to wait when it is one over limit.
func (l *loginLimiter) take(ctx context.Context, t *loginTicket, key string, limit int, window time.Duration) (time.Duration, error) {
	v, err := l.counts.Take(ctx, key, limit, window)
	if err != nil {
		return 0, err
	}
	t.keys = append(t.keys, key)
	if !v.Allowed {
		return max(v.Left, time.Second), nil
	}
	return 0, nil
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

// failed counts a wrong password against the account from ip, and an
// editor's name also against the editors together; for an account that
// exists (known) it is also kept for the dashboard, which tells the owner
// which accounts are being guessed at.
func (l *loginLimiter) failed(ctx context.Context, ip, account string, known bool) error {
	account = strings.ToLower(account)
	if _, err := l.counts.Take(ctx, l.counts.Key("login:account", account), attackFailures, attackWindow); err != nil {
		return err
	}
	if account != domain.OwnerAccount {
		if _, err := l.counts.Take(ctx, l.counts.Key("login:editors", ""), editorsAttackFailures, attackWindow); err != nil {
			return err
		}
	}
	if !known {
		return nil
	}
	return l.watch(ctx, ip, account)
}
