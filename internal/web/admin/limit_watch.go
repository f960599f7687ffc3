package admin

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"newsdigest/internal/errs"
	"newsdigest/internal/ratelimit"
)

// loginWatch is what the dashboard says about wrong passwords for one
// console account over the last day.
type loginWatch struct {
	Account  string // "admin" or an editor's email: staff, never a subscriber
	Failures int64
	Clients  int64 // about how many clients (IPs, IPv6 /64s) tried
	First    time.Time
	Last     time.Time
	// Slowed is set while the account is under attack: each client may
	// try only a few passwords on it.
	Slowed bool
}

// recordWatch adds one wrong password to an account's record, which lasts
// watchFor after the last one, and lists the record among the watched
// (a bounded list, newest first). Clients are counted in a HyperLogLog of
// their keyed hashes: about how many, never which.
var recordWatch = redis.NewScript(`
redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('HSET', KEYS[1], 'account', ARGV[1], 'last', ARGV[2])
redis.call('HSETNX', KEYS[1], 'first', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PFADD', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[2], KEYS[1])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', tonumber(ARGV[2]) - tonumber(ARGV[4]))
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -tonumber(ARGV[5]) - 1)
redis.call('PEXPIRE', KEYS[3], ARGV[4])
return 1
`)

func (l *loginLimiter) watchKey(account string) string { return l.counts.Key("login:watch", account) }

func (l *loginLimiter) watch(ctx context.Context, ip, account string) error {
	key := l.watchKey(account)
	now := time.Now().UnixMilli()
	err := recordWatch.Run(ctx, l.rdb, []string{key, key + ":clients", watchedAccountsKey},
		account, now, l.counts.Key("login:client", ratelimit.ClientBucket(ip)), watchFor.Milliseconds(), watchedAccountsMaxLen).Err()
	if err != nil {
		return errs.Wrap(errs.Unavailable, fmt.Errorf("login watch: %w", err), "login limits unavailable")
	}
	return nil
}

// watched lists the accounts with wrong passwords in the last day, the
// latest first; only those for which keep says yes.
func (l *loginLimiter) watched(ctx context.Context, keep func(account string) bool) ([]loginWatch, error) {
	since := time.Now().Add(-watchFor).UnixMilli()
	keys, err := l.rdb.ZRangeArgs(ctx, redis.ZRangeArgs{Key: watchedAccountsKey, ByScore: true,
		Start: strconv.FormatInt(since, 10), Stop: "+inf"}).Result()
	if err != nil {
		return nil, errs.Wrap(errs.Unavailable, fmt.Errorf("login watch: %w", err), "login limits unavailable")
	}
	var out []loginWatch
	for _, k := range keys {
		h, err := l.rdb.HGetAll(ctx, k).Result()
		if err != nil {
			return nil, errs.Wrap(errs.Unavailable, fmt.Errorf("login watch: %w", err), "login limits unavailable")
		}
		if h["account"] == "" || !keep(h["account"]) {
			continue // expired since it was listed
		}
		w := loginWatch{Account: h["account"]}
		w.Failures, _ = strconv.ParseInt(h["failures"], 10, 64)
		first, _ := strconv.ParseInt(h["first"], 10, 64)
		last, _ := strconv.ParseInt(h["last"], 10, 64)
		w.First, w.Last = time.UnixMilli(first), time.UnixMilli(last)
		if w.Clients, err = l.rdb.PFCount(ctx, k+":clients").Result(); err != nil {
			return nil, errs.Wrap(errs.Unavailable, fmt.Errorf("login watch: %w", err), "login limits unavailable")
		}
		n, err := l.counts.Count(ctx, l.counts.Key("login:account", w.Account))
		if err != nil {
			return nil, err
		}
		w.Slowed = n >= attackFailures
		out = append(out, w)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Last.After(out[j].Last) })
	return out, nil
}
