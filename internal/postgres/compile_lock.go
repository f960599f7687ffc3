package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// compileLock is the advisory lock that lets one edition's compile write
// its digests at a time across every worker.
const compileLock = 0x6e64636d706c // "ndcmpl"

// compileLockWait is the longest pause between two tries at the lock.
const compileLockWait = time.Second

// CompileAlone runs fn while no other compile runs its fn, on any worker.
// A compile spares each reader the stories that digests already written
// gave them; two compiling at once would each miss the other's, and a
// story both editions hold would reach its readers twice.
//
// A compile waiting its turn holds no connection: it tries the lock and
// gives the connection back, so that a queue of compiles cannot take the
// pool the one running needs.
func (db *DB) CompileAlone(ctx context.Context, fn func() error) error {
	conn, err := db.takeCompileLock(ctx)
	if err != nil {
		return err
	}
	defer func() {
		// The lock goes with the session: a connection that cannot give
		// it back is closed rather than returned to the pool holding it.
		if _, err := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, compileLock); err != nil {
			conn.Hijack().Close(context.Background())
			return
		}
		conn.Release()
	}()
	return fn()
}

// takeCompileLock tries the lock until it is free or ctx ends, waiting a
// little longer after each try, up to compileLockWait.
func (db *DB) takeCompileLock(ctx context.Context) (*pgxpool.Conn, error) {
	wait := 20 * time.Millisecond
	for {
		conn, err := db.pool.Acquire(ctx)
		if err != nil {
			return nil, fmt.Errorf("compile lock: %w", err)
		}
		var got bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, compileLock).Scan(&got); err != nil {
			// Whether the lock was taken is not known: the session goes.
			conn.Hijack().Close(context.Background())
			return nil, fmt.Errorf("compile lock: %w", err)
		}
		if got {
			return conn, nil
		}
		conn.Release()
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("compile lock: %w", ctx.Err())
		case <-t.C:
		}
		wait = min(2*wait, compileLockWait)
	}
}
