package testenv

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// With TEST_REDIS_URL set, every test of every package uses that one
// database. Two tests in it at once would mix their data, and the asynq
// workers of one would take the other's tasks, so they take turns: a test
// holds the database from its RedisURL call until it ends.
//
// Between processes the turn is a lock key in that database (turnKey),
// set if absent, with an expiry renewed while it is held, so that a crashed
// process holds it no longer than turnTTL. A test may empty its database
// (the fault tests do), which deletes the key as well, so the holder also
// names its lock connection (CLIENT SETNAME): a process that got the key
// while another's named connection is open backs off, and the holder's
// next renewal puts the key back.
//
// The database is the tests' to empty: a test deletes everything in it
// but the lock key when its turn begins (what a crashed test left) and
// when it ends (what it made).
const (
	turnKey   = "newsdigest:testenv:turn"
	turnTTL   = 15 * time.Second
	turnRenew = 2 * time.Second
	turnPoll  = 100 * time.Millisecond
)

// renewTurn refreshes the lock key if it is ours or gone (emptied by the
// holder's own test); it answers 0 if another process has it.
var renewTurn = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then
	redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
	return 1
end
return 0`)

// dropTurn deletes the lock key if it is ours.
var dropTurn = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// shared is this process's hold on the TEST_REDIS_URL database. A test and
// its subtests hold it together (a subtest waiting for its parent's turn
// would wait forever), so they share the database.
var shared struct {
	mu     sync.Mutex
	holder string // name of the test whose turn it is
	users  int    // RedisURL calls of that test and its subtests not yet ended
	turn   *turn
}

// sharedRedisURL waits for the test's turn at the database raw names.
func sharedRedisURL(t testing.TB, raw string) string {
	t.Helper()
	opt, err := redis.ParseURL(raw)
	if err != nil {
		t.Fatalf("testenv: TEST_REDIS_URL: %v", err)
	}
	ctx, cancel := context.WithDeadline(context.Background(), waitDeadline(t))
	defer cancel()
	name := t.Name()
	for {
		shared.mu.Lock()
		if shared.users > 0 && (name == shared.holder || strings.HasPrefix(name, shared.holder+"/")) {
			shared.users++
			shared.mu.Unlock()
			t.Cleanup(func() { leaveTurn(t) })
			return raw
		}
		if shared.users == 0 {
			tr, err := tryTurn(ctx, opt)
			if err != nil {
				shared.mu.Unlock()
				t.Fatalf("testenv: cannot use Redis at TEST_REDIS_URL (%s, database %d): %v; %s, or unset TEST_REDIS_URL to let the tests start their own redis-server",
					opt.Addr, opt.DB, err, startHint)
			}
			if tr != nil {
				shared.holder, shared.users, shared.turn = name, 1, tr
				shared.mu.Unlock()
				t.Cleanup(func() { leaveTurn(t) })
				return raw
			}
		}
		shared.mu.Unlock()
		select {
		case <-ctx.Done():
			t.Fatalf("testenv: waited until near the test deadline for a turn at the Redis database TEST_REDIS_URL names (%s, database %d): other tests kept it; unset TEST_REDIS_URL to give each test a redis-server of its own",
				opt.Addr, opt.DB)
		case <-time.After(turnPoll):
		}
	}
}

// leaveTurn ends one RedisURL call's use; the last one ends the turn.
func leaveTurn(t testing.TB) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	shared.users--
	if shared.users > 0 {
		return
	}
	tr := shared.turn
	shared.holder, shared.turn = "", nil
	if err := tr.end(); err != nil {
		t.Errorf("testenv: TEST_REDIS_URL: %v", err)
	}
}

// waitDeadline is how long a test may wait for its turn: until shortly
// before its -timeout, so that it fails with a message rather than a panic.
func waitDeadline(t testing.TB) time.Time {
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if deadline, ok := d.Deadline(); ok {
			return deadline.Add(-30 * time.Second)
		}
	}
	return time.Now().Add(10 * time.Minute)
}

// turn is a process's hold on the shared database, kept by a goroutine
// that renews the lock key until end.
type turn struct {
	client *redis.Client
	conn   *redis.Conn // pinned: the connection whose name marks the holder
	owner  string      // the lock key's value while we hold it
	stop   chan struct{}
	done   chan struct{}

	mu   sync.Mutex
	lost error // why the turn may have been shared with another process
}

// tryTurn takes the turn if no one holds it; it returns nil, nil if
// someone does. An error means the database cannot be used at all.
func tryTurn(ctx context.Context, opt *redis.Options) (*turn, error) {
	o := *opt
	o.PoolSize = 1
	client := redis.NewClient(&o)
	conn := client.Conn()
	closeAll := func() { conn.Close(); client.Close() }
	owner := randomHex(8)
	ok, err := conn.SetNX(ctx, turnKey, owner, turnTTL).Result()
	if err != nil {
		closeAll()
		return nil, err
	}
	if !ok {
		closeAll()
		return nil, nil
	}
	// A Redis without CLIENT (some hosted ones) leaves the key alone to
	// guard the turn; then a test that empties the database may let
	// another in for up to turnRenew.
	holderName := fmt.Sprintf("newsdigest-testenv-turn-db%d", opt.DB)
	if conn.ClientSetName(ctx, holderName).Err() == nil {
		if list, err := conn.ClientList(ctx).Result(); err == nil && strings.Count(list, " name="+holderName+" ") > 1 {
			// Another holder's test emptied the database, key included.
			dropTurn.Run(ctx, conn, []string{turnKey}, owner)
			closeAll()
			return nil, nil
		}
	}
	if err := emptyExcept(ctx, conn, turnKey); err != nil {
		dropTurn.Run(ctx, conn, []string{turnKey}, owner)
		closeAll()
		return nil, fmt.Errorf("empty the database: %w", err)
	}
	tr := &turn{client: client, conn: conn, owner: owner, stop: make(chan struct{}), done: make(chan struct{})}
	go tr.renew()
	return tr, nil
}

func (tr *turn) renew() {
	defer close(tr.done)
	tick := time.NewTicker(turnRenew)
	defer tick.Stop()
	for {
		select {
		case <-tr.stop:
			return
		case <-tick.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), turnRenew)
		n, err := renewTurn.Run(ctx, tr.conn, []string{turnKey}, tr.owner, turnTTL.Milliseconds()).Int()
		cancel()
		tr.mu.Lock()
		switch {
		case err != nil && tr.lost == nil:
			tr.lost = fmt.Errorf("renew the turn: %w", err)
		case err == nil && n == 0 && tr.lost == nil:
			tr.lost = errors.New("another process took the database while this test held it; their data may have mixed")
		}
		tr.mu.Unlock()
	}
}

// end stops renewing, empties the database and gives up the turn. Its
// error says whether the turn was kept throughout.
func (tr *turn) end() error {
	close(tr.stop)
	<-tr.done
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	errEmpty := emptyExcept(ctx, tr.conn, turnKey)
	errDrop := dropTurn.Run(ctx, tr.conn, []string{turnKey}, tr.owner).Err()
	tr.conn.Close()
	tr.client.Close()
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return errors.Join(tr.lost, errEmpty, errDrop)
}

// emptyExcept deletes every key of the connection's database but keep.
func emptyExcept(ctx context.Context, conn *redis.Conn, keep string) error {
	var cursor uint64
	for {
		keys, next, err := conn.Scan(ctx, cursor, "*", 1000).Result()
		if err != nil {
			return err
		}
		del := keys[:0]
		for _, k := range keys {
			if k != keep {
				del = append(del, k)
			}
		}
		if len(del) > 0 {
			if err := conn.Unlink(ctx, del...).Err(); err != nil {
				return err
			}
		}
		if cursor = next; cursor == 0 {
			return nil
		}
	}
}
