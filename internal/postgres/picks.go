package postgres

import (
	"context"
	"fmt"

	"newsdigest/internal/domain"
)

// PickOwed reports whether the story an editor picked is still on its
// way to readers on a schedule of their own, after the desk's edition
// spent the pick: some active reader, not paused, has a window that
// began before the pick (a reader with no window yet has their first
// begin domain.FirstWindow before it is made). Which of them it matches,
// and who had it already, the compile of each digest works out. A story
// never picked, hidden, or left out since, is on its way to no one.
func (db *DB) PickOwed(ctx context.Context, id int64) (bool, error) {
	var owed bool
	err := db.pool.QueryRow(ctx, `
		SELECT EXISTS (
		    SELECT 1 FROM items i, subscribers s
		    WHERE i.id = $1 AND NOT i.hidden AND i.last_picked_at IS NOT NULL
		      AND s.status = $2 AND s.frequency IS NOT NULL AND (s.paused_until IS NULL OR s.paused_until <= now())
		      AND COALESCE(s.window_start, now() - $3::interval) < i.last_picked_at)`,
		id, domain.StatusActive, fmt.Sprintf("%d microseconds", domain.FirstWindow.Microseconds())).Scan(&owed)
	if err != nil {
		return false, fmt.Errorf("pick owed: %w", err)
	}
	return owed, nil
}
