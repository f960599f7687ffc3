package testenv

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"newsdigest/internal/postgres"
)

// A test process migrates one database, its template, and creates each
// test's database as a copy of it (CREATE DATABASE … TEMPLATE): a copy
// costs what an empty database costs, where applying every migration
// again costs a second or more under the race detector.
//
// Every database a process makes is named after it: ndtest_<pid>_<random>
// followed by _tpl for the template or _<n> for a test's. The process
// holds a Postgres advisory lock on that prefix from before its first
// database until it exits (the session ends with the process, however
// it ends), so a process that finds databases under a prefix whose lock
// it can take knows their maker is gone, crashed or killed before its
// cleanups, and drops them. Nothing else is ever dropped: not another
// live process's databases, in this run or another, on this machine or
// another sharing the server.
type pgProcess struct {
	once   sync.Once
	err    error
	admin  string        // TEST_DATABASE_URL
	prefix string        // ndtest_<pid>_<random>
	lock   *pgx.Conn     // holds the advisory lock on prefix
	pool   *pgxpool.Pool // admin connections for CREATE DATABASE
	drops  *pgxpool.Pool // admin connections for DROP DATABASE
	seq    atomic.Int64
	// dropping counts the drops under way, which Main waits for.
	dropping sync.WaitGroup
}

var pgProc pgProcess

// ownedDatabase matches the names of databases made this way; the first
// group is the maker's prefix.
var ownedDatabase = regexp.MustCompile(`^(ndtest_[0-9]+_[0-9a-f]+)_(tpl|[0-9]+)$`)

func (p *pgProcess) template() string { return p.prefix + "_tpl" }

// start connects, takes the prefix's lock, drops what dead processes left
// and migrates the template. It runs once per process; its error fails
// every test that wants a database.
func (p *pgProcess) start() error {
	p.once.Do(func() { p.err = p.setUp() })
	return p.err
}

func (p *pgProcess) setUp() error {
	p.admin = os.Getenv("TEST_DATABASE_URL")
	if p.admin == "" {
		p.admin = defaultAdminDB
	}
	p.prefix = fmt.Sprintf("ndtest_%d_%s", os.Getpid(), randomHex(4))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	lock, err := pgx.Connect(ctx, p.admin)
	if err != nil {
		return fmt.Errorf("cannot reach PostgreSQL at %s: %v; %s", redact(p.admin), err, startHint)
	}
	if _, err := lock.Exec(ctx, `SELECT pg_advisory_lock(hashtextextended($1, 0))`, p.prefix); err != nil {
		lock.Close(ctx)
		return fmt.Errorf("lock %s: %w", p.prefix, err)
	}
	p.lock = lock
	cfg, err := pgxpool.ParseConfig(p.admin)
	if err != nil {
		return fmt.Errorf("TEST_DATABASE_URL: %w", err)
	}
	// Creating and dropping databases is what this pool does; a few
	// connections keep a busy package from queueing behind one. They
	// close when idle for a second: six packages at once kept 40 of the
	// server's 100 connections open doing nothing, which left too few
	// for the tests' own stacks at a higher -parallel.
	cfg.MaxConns = 4
	cfg.MaxConnIdleTime, cfg.HealthCheckPeriod = time.Second, time.Second
	if p.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return fmt.Errorf("cannot reach PostgreSQL at %s: %v; %s", redact(p.admin), err, startHint)
	}
	// DROP DATABASE waits for a checkpoint, seconds on a busy server:
	// drops have connections of their own so that creates never queue
	// behind them, and several let one checkpoint serve several drops.
	dcfg := cfg.Copy()
	dcfg.MaxConns = 4
	if p.drops, err = pgxpool.NewWithConfig(ctx, dcfg); err != nil {
		return fmt.Errorf("cannot reach PostgreSQL at %s: %v; %s", redact(p.admin), err, startHint)
	}
	if err := p.sweep(ctx); err != nil {
		return err
	}
	return p.migrateTemplate(ctx)
}

// sweep drops the databases of processes that are gone.
func (p *pgProcess) sweep(ctx context.Context) error {
	rows, err := p.lock.Query(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'ndtest\_%'`)
	if err != nil {
		return fmt.Errorf("list databases: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("list databases: %w", err)
	}
	byPrefix := map[string][]string{}
	for _, n := range names {
		if m := ownedDatabase.FindStringSubmatch(n); m != nil && m[1] != p.prefix {
			byPrefix[m[1]] = append(byPrefix[m[1]], n)
		}
	}
	for prefix, dbs := range byPrefix {
		var free bool
		if err := p.lock.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtextextended($1, 0))`, prefix).Scan(&free); err != nil {
			return fmt.Errorf("check %s: %w", prefix, err)
		}
		if !free {
			continue // its process runs
		}
		for _, db := range dbs {
			if _, err := p.pool.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{db}.Sanitize()+" WITH (FORCE)"); err != nil {
				return fmt.Errorf("drop %s, left by a test process that is gone: %w", db, err)
			}
		}
		if _, err := p.lock.Exec(ctx, `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, prefix); err != nil {
			return fmt.Errorf("unlock %s: %w", prefix, err)
		}
	}
	return nil
}

// migrateTemplate creates the template and applies every migration to it.
// Its pool is closed before any copy is made: Postgres copies only a
// database nobody is connected to.
func (p *pgProcess) migrateTemplate(ctx context.Context) error {
	if _, err := p.pool.Exec(ctx, "CREATE DATABASE "+p.template()); err != nil {
		return fmt.Errorf("create the template database: %w", err)
	}
	db, err := postgres.Open(ctx, p.url(p.template()), ErasureKey)
	if err != nil {
		return fmt.Errorf("open the template database: %w", err)
	}
	defer db.Close()
	if err := db.Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		return fmt.Errorf("migrate the template database: %w", err)
	}
	return nil
}

// create makes a new database, a copy of the template.
func (p *pgProcess) create(ctx context.Context) (string, error) {
	name := fmt.Sprintf("%s_%d", p.prefix, p.seq.Add(1))
	if _, err := p.pool.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+p.template()); err != nil {
		return "", fmt.Errorf("create database: %w", err)
	}
	// A test database is thrown away: commits need not wait for the
	// disk, which on a busy machine is most of a small transaction's time.
	// Crash safety, the one thing this gives up, no test relies on.
	if _, err := p.pool.Exec(ctx, "ALTER DATABASE "+name+" SET synchronous_commit = off"); err != nil {
		p.drop(ctx, name)
		return "", fmt.Errorf("set up database %s: %w", name, err)
	}
	return name, nil
}

func (p *pgProcess) drop(ctx context.Context, name string) error {
	_, err := p.drops.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	return err
}

// dropLater drops a test's database in the background: the test is over
// and need not wait for Postgres's checkpoint. A drop that fails is
// reported through logf if the process is still running tests, and the
// database is dropped by stop or, if the process dies first, by the next
// process's sweep.
func (p *pgProcess) dropLater(name string, logf func(string, ...any)) {
	p.dropping.Add(1)
	go func() {
		defer p.dropping.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if err := p.drop(ctx, name); err != nil {
			logf("testenv: drop %s: %v", name, err)
		}
	}()
}

func (p *pgProcess) url(name string) string {
	u, err := url.Parse(p.admin)
	if err != nil {
		panic(err) // parsed by pgx already
	}
	u.Path = "/" + name
	return u.String()
}

// stop drops the template and any database of this process a test left,
// and lets go of the lock; Main calls it when the tests are done.
func (p *pgProcess) stop() error {
	if p.lock == nil {
		return nil
	}
	// The drops under way first: each waits for a checkpoint, and a
	// package of many short tests may leave a queue of them.
	p.dropping.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	defer p.lock.Close(ctx)
	defer p.pool.Close()
	defer p.drops.Close()
	rows, err := p.pool.Query(ctx, `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, p.prefix+"_")
	if err != nil {
		return err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, n := range names {
		if ownedDatabase.MatchString(n) {
			if err := p.drop(ctx, n); err != nil {
				return err
			}
		}
	}
	return nil
}
