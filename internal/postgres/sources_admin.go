package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// DeleteSource stops polling a source and returns it as it was. The
// items it delivered stay: only the record of which source brought them
// goes (source_items cascades).
func (db *DB) DeleteSource(ctx context.Context, id int64) (domain.Source, error) {
	s, err := scanSource(db.pool.QueryRow(ctx, `
		WITH s AS (
			SELECT * FROM sources WHERE id = $1
		), gone AS (
			DELETE FROM sources WHERE id = $1
		)
		SELECT `+sourceColumns+` FROM s`, id))
	if err != nil {
		return domain.Source{}, notFound(err, "source")
	}
	return s, nil
}

// PollSourceNow makes a source's next poll due now and returns that slot,
// which the poll task claims (ClaimPoll) like any scheduled one, so a
// "poll now" and a scheduled poll never run twice for one slot.
func (db *DB) PollSourceNow(ctx context.Context, id int64) (time.Time, error) {
	var due time.Time
	err := db.pool.QueryRow(ctx, `UPDATE sources SET next_poll_at = now() WHERE id = $1 RETURNING next_poll_at`, id).Scan(&due)
	if errors.Is(err, pgx.ErrNoRows) {
		return due, errs.ErrNotFound
	}
	if err != nil {
		return due, fmt.Errorf("poll source %d now: %w", id, err)
	}
	return due, nil
}
