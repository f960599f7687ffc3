package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// haltChannel is where an edition that stops says so (migration
// 00066_edition_halts.sql).
const haltChannel = "edition_halt"

// ListenEditionHalts calls halted with the id of each edition that is
// cancelled, pauses itself or fails, as the change commits, until ctx
// ends or the connection is lost (the error says which). It holds a
// connection of its own, taken out of the pool for as long as it
// listens.
func (db *DB) ListenEditionHalts(ctx context.Context, ready func(), halted func(id int64)) error {
	pooled, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("listen for edition halts: %w", err)
	}
	conn := pooled.Hijack()
	defer func() {
		closing, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		conn.Close(closing)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+haltChannel); err != nil {
		return fmt.Errorf("listen for edition halts: %w", err)
	}
	if ready != nil {
		ready()
	}
	for {
		// A connection dropped on the way (a NAT's timeout, a failover)
		// would wait for ever, unnoticed: after a quiet spell it is asked
		// whether it is still there.
		quiet, cancel := context.WithTimeout(ctx, haltQuietSpell)
		n, err := conn.WaitForNotification(quiet)
		spell := quiet.Err() == context.DeadlineExceeded && ctx.Err() == nil
		cancel()
		switch {
		case err != nil && spell:
			if err := conn.Ping(ctx); err != nil {
				return fmt.Errorf("listen for edition halts: the connection is gone: %w", err)
			}
		case err != nil:
			return fmt.Errorf("wait for edition halts: %w", err)
		default:
			if id, err := strconv.ParseInt(n.Payload, 10, 64); err == nil {
				halted(id)
			}
		}
	}
}

// haltQuietSpell is how long ListenEditionHalts waits for a notice before
// it checks that its connection is still there (a variable for the
// test that shortens it).
var haltQuietSpell = time.Minute
