package postgres_test

import (
	"context"
	"testing"

	"newsdigest/internal/testenv"
)

// The editions the metrics watch are the latest and every one not
// finished, however many have been made since: a desk edition paused on
// its bounces stays watched while readers' slots are made every quarter
// hour.
func TestEditionsToWatchKeepEveryUnfinished(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	var paused, failed int64
	if err := db.Pool().QueryRow(ctx, `INSERT INTO editions (status) VALUES ('paused') RETURNING id`).Scan(&paused); err != nil {
		t.Fatal(err)
	}
	if err := db.Pool().QueryRow(ctx, `INSERT INTO editions (status, finished_at) VALUES ('failed', now()) RETURNING id`).Scan(&failed); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, `INSERT INTO editions (status, finished_at) SELECT 'done', now() FROM generate_series(1, 30)`); err != nil {
		t.Fatal(err)
	}
	watched, err := db.EditionsToWatch(ctx, 20)
	if err != nil {
		t.Fatal(err)
	}
	has := map[int64]bool{}
	for i, e := range watched {
		has[e.ID] = true
		if i > 0 && e.ID > watched[i-1].ID {
			t.Errorf("not newest first: %d after %d", e.ID, watched[i-1].ID)
		}
	}
	if len(watched) != 21 || !has[paused] || has[failed] {
		t.Errorf("watched %d editions (paused one in: %v, old failed one in: %v); want the latest 20 and the paused one", len(watched), has[paused], has[failed])
	}
}
