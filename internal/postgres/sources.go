package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

const sourceColumns = `s.id, s.url, s.kind, s.interval_seconds, s.created_at, s.next_poll_at,
	s.last_polled_at, s.last_success_at, s.last_error, s.last_error_at, s.etag, s.last_modified,
	(SELECT count(*) FROM source_items si WHERE si.source_id = s.id),
	s.last_error_format, s.last_error_args, s.last_error_lines, s.last_error_detail, s.failures_in_row`

func scanSource(r pgx.Row) (domain.Source, error) {
	var s domain.Source
	var secs int64
	var p storedProblem
	err := r.Scan(&s.ID, &s.URL, &s.Kind, &secs, &s.CreatedAt, &s.NextPollAt,
		&s.LastPolledAt, &s.LastSuccessAt, &s.LastError, &s.LastErrorAt, &s.ETag, &s.LastModified,
		&s.ItemCount, &p.format, &p.args, &p.lines, &p.detail, &s.FailuresInRow)
	s.Interval = time.Duration(secs) * time.Second
	if err != nil {
		return s, err
	}
	s.LastProblem, err = p.problem()
	return s, err
}

// storedProblem is a failed poll's words as the last_error_* columns
// hold them.
type storedProblem struct {
	format, detail string
	args, lines    []byte
}

func (p storedProblem) problem() (domain.PollProblem, error) {
	out := domain.PollProblem{Words: domain.Words{Format: p.format}, Detail: p.detail}
	var err error
	if out.Words.Args, err = domain.DecodeArgs(p.args); err != nil {
		return out, err
	}
	if len(p.lines) > 0 {
		if err := json.Unmarshal(p.lines, &out.Lines); err != nil {
			return out, fmt.Errorf("decode poll faults: %w", err)
		}
	}
	return out, nil
}

// storeProblem is p as the last_error_* columns hold it.
func storeProblem(p domain.PollProblem) (storedProblem, error) {
	args, err := p.Words.ArgsJSON()
	if err != nil {
		return storedProblem{}, fmt.Errorf("encode poll error: %w", err)
	}
	lines := []byte("[]")
	if len(p.Lines) > 0 {
		if lines, err = json.Marshal(p.Lines); err != nil {
			return storedProblem{}, fmt.Errorf("encode poll faults: %w", err)
		}
	}
	return storedProblem{format: p.Words.Format, detail: p.Detail, args: args, lines: lines}, nil
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
			UPDATE sources SET last_success_at = now(), etag = $2, last_modified = $3, failures_in_row = 0,
			       next_poll_at = COALESCE(last_polled_at, now()) + make_interval(secs => interval_seconds)
			WHERE id = $1`, id, o.ETag, o.LastModified)
	} else {
		p, perr := storeProblem(o.Problem)
		if perr != nil {
			return perr
		}
		// The wait after a failure doubles with each failure in a row
		// (failures_in_row is still the count before this one here), up
		// to MaxPollBackoff or the source's interval if longer, and is
		// at least what the server asked for (Retry-After).
		_, err = db.pool.Exec(ctx, `
			UPDATE sources SET last_error = $2, last_error_at = now(),
			       last_error_format = $3, last_error_args = $4, last_error_lines = $5, last_error_detail = $6,
			       failures_in_row = failures_in_row + 1,
			       next_poll_at = COALESCE(last_polled_at, now()) + make_interval(secs => GREATEST($8::double precision,
			           LEAST(GREATEST(interval_seconds, $7::integer), interval_seconds * power(2, LEAST(failures_in_row, 30)))))
			WHERE id = $1`, id, o.Err, p.format, string(p.args), string(p.lines), p.detail,
			int64(domain.MaxPollBackoff/time.Second), o.Wait.Seconds())
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
