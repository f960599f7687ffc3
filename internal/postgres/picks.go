package postgres

import (
	"context"
	"fmt"

	"newsdigest/internal/domain"
)

// PickOwed reports whether the story an editor picked is still on its
// way to readers on a schedule of their own, after the desk's edition
// spent the pick: some active reader, not paused, whose choices the
// story matches (digest.Match's rule: a chosen country among the story's
// countries or its regions' members, a chosen topic among its topics,
// both in the narrow mode; every story for a reader of all), has a
// window that began before the pick (a reader with no window yet has
// their first begin domain.FirstWindow before it is made). Who had it
// already, the compile of each digest works out. A story never picked,
// hidden, or left out since, is on its way to no one.
func (db *DB) PickOwed(ctx context.Context, id int64) (bool, error) {
	var owed bool
	err := db.pool.QueryRow(ctx, `
		WITH story AS (
		    SELECT i.topics, i.last_picked_at,
		           i.countries || ARRAY(SELECT m FROM regions r, unnest(r.countries) m WHERE r.code = ANY (i.regions)) AS reach
		    FROM items i
		    WHERE i.id = $1 AND NOT i.hidden AND i.last_picked_at IS NOT NULL)
		SELECT EXISTS (
		    SELECT 1 FROM story i, subscribers s
		    WHERE s.status = $2 AND s.frequency IS NOT NULL AND (s.paused_until IS NULL OR s.paused_until <= now())
		      AND COALESCE(s.window_start, now() - $3::interval) < i.last_picked_at
		      AND (s.all_stories OR CASE WHEN s.mode = $4
		          THEN s.countries && i.reach AND s.topics && i.topics
		          ELSE s.countries && i.reach OR s.topics && i.topics END))`,
		id, domain.StatusActive, fmt.Sprintf("%d microseconds", domain.FirstWindow.Microseconds()), domain.ModeNarrow).Scan(&owed)
	if err != nil {
		return false, fmt.Errorf("pick owed: %w", err)
	}
	return owed, nil
}
