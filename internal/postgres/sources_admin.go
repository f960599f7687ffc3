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

// UpdateSource changes a source's URL, kind and interval. With another
// URL or kind it is a new feed: due now, with no validators (the old
// feed's ETag would make the new one answer "not modified") and no last
// error. With only a new interval, the next poll is the last one plus it.
func (db *DB) UpdateSource(ctx context.Context, id int64, n domain.NewSource) (domain.Source, error) {
	s, err := scanSource(db.pool.QueryRow(ctx, `
		WITH s AS (
			UPDATE sources o SET url = $2, kind = $3, interval_seconds = $4,
			       etag = CASE WHEN o.url = $2 AND o.kind = $3 THEN o.etag ELSE '' END,
			       last_modified = CASE WHEN o.url = $2 AND o.kind = $3 THEN o.last_modified ELSE '' END,
			       last_error = CASE WHEN o.url = $2 AND o.kind = $3 THEN o.last_error ELSE '' END,
			       last_error_at = CASE WHEN o.url = $2 AND o.kind = $3 THEN o.last_error_at END,
			       failures_in_row = CASE WHEN o.url = $2 AND o.kind = $3 THEN o.failures_in_row ELSE 0 END,
			       next_poll_at = CASE
			           WHEN o.url <> $2 OR o.kind <> $3 THEN now()
			           WHEN o.interval_seconds <> $4 THEN COALESCE(o.last_polled_at, now()) + $4 * interval '1 second'
			           ELSE o.next_poll_at END
			WHERE o.id = $1
			RETURNING *
		)
		SELECT `+sourceColumns+` FROM s`,
		id, n.URL, n.Kind, int64(n.Interval/time.Second)))
	if isUniqueViolation(err) {
		return domain.Source{}, errs.New(errs.Conflict, "url: another source has this URL")
	}
	if err != nil {
		return domain.Source{}, notFound(err, "source")
	}
	return s, nil
}
