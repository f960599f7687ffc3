package postgres

import (
	"context"
	"fmt"

	"newsdigest/internal/domain"
)

// PickOwed reports whether readers on a schedule of their own are still
// to get the story an editor picked, after the desk's edition spent the
// pick: an active one whose window began before the pick (a reader with
// no window yet has their first begin domain.FirstWindow before it is
// made). A story never picked, or left out since, is owed to no one.
func (db *DB) PickOwed(ctx context.Context, id int64) (bool, error) {
	var owed bool
	err := db.pool.QueryRow(ctx, `
		SELECT EXISTS (
		    SELECT 1 FROM items i, subscribers s
		    WHERE i.id = $1 AND NOT i.hidden AND i.last_picked_at IS NOT NULL
		      AND s.status = $2 AND s.frequency IS NOT NULL
		      AND COALESCE(s.window_start, now() - $3::interval) < i.last_picked_at)`,
		id, domain.StatusActive, fmt.Sprintf("%d microseconds", domain.FirstWindow.Microseconds())).Scan(&owed)
	if err != nil {
		return false, fmt.Errorf("pick owed: %w", err)
	}
	return owed, nil
}
