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

const sourceColumns = `s.id, s.url, s.kind, s.interval_seconds, s.created_at, s.next_poll_at,
	s.last_polled_at, s.last_success_at, s.last_error, s.last_error_at, s.etag, s.last_modified,
	(SELECT count(*) FROM source_items si WHERE si.source_id = s.id)`

func scanSource(r pgx.Row) (domain.Source, error) {
	var s domain.Source
	var secs int64
	err := r.Scan(&s.ID, &s.URL, &s.Kind, &secs, &s.CreatedAt, &s.NextPollAt,
		&s.LastPolledAt, &s.LastSuccessAt, &s.LastError, &s.LastErrorAt, &s.ETag, &s.LastModified,
		&s.ItemCount)
	s.Interval = time.Duration(secs) * time.Second
	return s, err
}

// CreateSource registers a source, due to be polled at once. A URL that is
// already registered is a conflict.
func (db *DB) CreateSource(ctx context.Context, n domain.NewSource) (domain.Source, error) {
	s, err := scanSource(db.pool.QueryRow(ctx, `
		WITH s AS (
			INSERT INTO sources (url, kind, interval_seconds) VALUES ($1, $2, $3)
			RETURNING *
		)
		SELECT `+sourceColumns+` FROM s`,
		n.URL, n.Kind, int64(n.Interval/time.Second)))
	if isUniqueViolation(err) {
		return domain.Source{}, errs.New(errs.Conflict, "url: a source with this URL is already registered")
	}
	if err != nil {
		return domain.Source{}, fmt.Errorf("create source: %w", err)
	}
	return s, nil
}

// Source returns one source.
func (db *DB) Source(ctx context.Context, id int64) (domain.Source, error) {
	s, err := scanSource(db.pool.QueryRow(ctx, `SELECT `+sourceColumns+` FROM sources s WHERE s.id = $1`, id))
	if err != nil {
		return domain.Source{}, notFound(err, "source")
	}
	return s, nil
}

// Sources lists every source, oldest first. Sources are few (a desk
// follows tens of feeds, not millions), so there are no pages.
func (db *DB) Sources(ctx context.Context) ([]domain.Source, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+sourceColumns+` FROM sources s ORDER BY s.id`)
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Source, error) { return scanSource(r) })
}

// DueSources returns up to limit sources whose next poll is due, most
// overdue first.
func (db *DB) DueSources(ctx context.Context, limit int) ([]domain.DuePoll, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT id, next_poll_at FROM sources WHERE next_poll_at <= now()
		ORDER BY next_poll_at, id LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("due sources: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.DuePoll, error) {
		var d domain.DuePoll
		err := r.Scan(&d.SourceID, &d.Due)
		return d, err
	})
}

// ClaimPoll takes the poll slot due of a source for the caller: it stamps
// last_polled_at and moves next_poll_at a lease ahead (lease, or the
// interval if shorter), so that a worker dying mid-poll delays the source
// by the lease, not forever. It reports false if the slot is not (or no
// longer) the source's next poll: another worker has it, or had it.
func (db *DB) ClaimPoll(ctx context.Context, id int64, due time.Time, lease time.Duration) (domain.Source, bool, error) {
	s, err := scanSource(db.pool.QueryRow(ctx, `
		WITH s AS (
			UPDATE sources SET last_polled_at = now(),
			       next_poll_at = now() + make_interval(secs => LEAST(interval_seconds, $3::integer))
			WHERE id = $1 AND next_poll_at = $2
			RETURNING *
		)
		SELECT `+sourceColumns+` FROM s`,
		id, due, int64(lease/time.Second)))
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Source{}, false, nil
	}
	if err != nil {
		return domain.Source{}, false, fmt.Errorf("claim poll of source %d: %w", id, err)
	}
	return s, true, nil
}

// RecordPoll stores the outcome of a claimed poll and schedules the next
// one an interval after the poll started.
func (db *DB) RecordPoll(ctx context.Context, id int64, o domain.PollOutcome) error {
	var err error
	if o.Err == "" {
		_, err = db.pool.Exec(ctx, `
			UPDATE sources SET last_success_at = now(), etag = $2, last_modified = $3,
			       next_poll_at = COALESCE(last_polled_at, now()) + make_interval(secs => interval_seconds)
			WHERE id = $1`, id, o.ETag, o.LastModified)
	} else {
		_, err = db.pool.Exec(ctx, `
			UPDATE sources SET last_error = $2, last_error_at = now(),
			       next_poll_at = COALESCE(last_polled_at, now()) + make_interval(secs => interval_seconds)
			WHERE id = $1`, id, o.Err)
	}
	if err != nil {
		return fmt.Errorf("record poll of source %d: %w", id, err)
	}
	return nil
}

// LinkSourceItems records that a source delivered the items with these
// fingerprints (new or already stored).
func (db *DB) LinkSourceItems(ctx context.Context, id int64, fingerprints []string) error {
	_, err := db.pool.Exec(ctx, `
		INSERT INTO source_items (source_id, item_id)
		SELECT $1, id FROM items WHERE fingerprint = ANY($2)
		ON CONFLICT DO NOTHING`, id, fingerprints)
	if err != nil {
		return fmt.Errorf("link items to source %d: %w", id, err)
	}
	return nil
}
