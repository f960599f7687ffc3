package postgres

import (
	"context"
	"fmt"
	"time"
)

// retrainLock is the advisory lock that lets one retraining of the
// tagger run at a time across every worker.
const retrainLock = 0x6e6474616772 // "ndtagr"

// OneRetraining runs fn while no other retraining runs, on any worker:
// two at once would each store a model, and the older one's suggestions
// could replace the newer one's. fn is given the database's clock as the
// lock was taken, the one the corrections are stamped by (a worker's
// clock may be off). A retraining that finds the lock taken waits for it,
// and then learns from everything saved meanwhile.
func (db *DB) OneRetraining(ctx context.Context, fn func(start time.Time) error) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("retraining lock: %w", err)
	}
	defer conn.Release()
	var start time.Time
	if err := conn.QueryRow(ctx, `SELECT clock_timestamp() FROM (SELECT pg_advisory_lock($1)) l`, retrainLock).Scan(&start); err != nil {
		// A wait broken off (ctx ended) may leave the lock to come on
		// this connection: it is closed, not put back, so none is held.
		conn.Hijack().Close(context.Background())
		return fmt.Errorf("retraining lock: %w", err)
	}
	defer func() {
		// The lock goes with the session: a connection that cannot give
		// it back is closed rather than returned to the pool holding it.
		if _, err := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, retrainLock); err != nil {
			conn.Hijack().Close(context.Background())
		}
	}()
	return fn(start)
}
