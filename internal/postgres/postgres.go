// Package postgres is newsdigest's storage: the connection pool, the
// embedded migrations, and one file of queries per table family. It knows
// nothing of HTTP or queues.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"newsdigest/internal/errs"
)

// DB is the storage. Its methods are grouped by table family in the files
// of this package.
type DB struct {
	pool *pgxpool.Pool
	// erasureKeys hash erased addresses (erasedKeys): the first is
	// SECRET_KEY's, which erasures write; the others, a key it replaced
	// (SECRET_KEY_PREVIOUS), still recognise those erased before.
	erasureKeys [][]byte
	signups     signupBatcher
}

// CheckURL reads DATABASE_URL as the pool will, so that a bad port,
// sslmode or pool setting is refused with the other settings' errors,
// before a program starts. pgx writes a password in its errors as xxxxx.
func CheckURL(url string) error {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("DATABASE_URL: %w", err)
	}
	if cfg.MaxConns < MinPoolConns {
		return fmt.Errorf("DATABASE_URL: pool_max_conns=%d: want at least %d (a compile and a retraining each hold a connection while they use others)",
			cfg.MaxConns, MinPoolConns)
	}
	return nil
}

// MinPoolConns is the fewest connections a pool may have. A compile and
// a retraining each hold one connection (their advisory lock) while
// they query on others: with two, both could hold theirs and wait for
// ever for a third. (Open takes any pool: tests make smaller ones.)
const MinPoolConns = 3

// Open connects to Postgres and checks the connection. secret is the
// app's SECRET_KEY, from which the key of the hash an erased address
// becomes is derived (erasedKeys): every process that writes subscribers
// must hash alike, so there is no DB without it. previous are keys it
// replaced (SECRET_KEY_PREVIOUS), whose hashes are still recognised.
func Open(ctx context.Context, url string, secret []byte, previous ...[]byte) (*DB, error) {
	if len(secret) == 0 {
		return nil, errors.New("postgres: open: no secret key to hash erased addresses with (SECRET_KEY)")
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	db := &DB{pool: pool}
	for _, key := range append([][]byte{secret}, previous...) {
		db.erasureKeys = append(db.erasureKeys, erasureKeyOf(key))
	}
	return db, nil
}

// Unreachable reports whether err, from Open, says that PostgreSQL did
// not answer or is not taking connections yet (starting up, shutting
// down, every connection slot taken), which passes by itself, rather than
// that it refused this program (a wrong password, no such database, TLS
// it will not do), which needs the operator.
func Unreachable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "57P03", "57P01", "57P02", "53300": // cannot_connect_now, admin_shutdown, crash_shutdown, too_many_connections
			return true
		}
		return false
	}
	// Refused, reset, unresolvable (a container not yet in DNS), timed out.
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// Close closes every connection.
func (db *DB) Close() { db.pool.Close() }

// Ping checks that Postgres answers, for readiness.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return errs.Wrap(errs.Unavailable, err, "database unavailable")
	}
	return nil
}

// Pool exposes the pool to tests and benchmarks that seed data in bulk.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// isUniqueViolation reports whether err is a unique-constraint failure.
func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// notFound turns pgx.ErrNoRows into the error kind callers understand.
func notFound(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return errs.New(errs.NotFound, "%s not found", what)
	}
	return err
}
