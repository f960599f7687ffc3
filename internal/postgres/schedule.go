package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// ScheduleCoveredUntil is the moment up to which the weekly schedule is
// accounted for: the tick of the latest scheduled edition (made or
// skipped), or, before the first, when the schedule began. A tick after
// it with no edition was missed. The first call records now as the
// schedule's beginning: ticks before the desk ever ran were never due.
func (db *DB) ScheduleCoveredUntil(ctx context.Context, now time.Time) (time.Time, error) {
	// NULL when another worker began the schedule at this very moment,
	// unseen by this statement: it began now, then.
	var t *time.Time
	err := db.pool.QueryRow(ctx, `
		WITH s AS (
		    INSERT INTO schedule_start (started_at)
		    SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM schedule_start)
		    ON CONFLICT (id) DO NOTHING
		    RETURNING started_at)
		SELECT GREATEST(COALESCE((SELECT started_at FROM s), (SELECT started_at FROM schedule_start)),
		                (SELECT max(scheduled_for) FROM editions))`, now).Scan(&t)
	if err != nil {
		return time.Time{}, fmt.Errorf("schedule start: %w", err)
	}
	if t == nil {
		return now, nil
	}
	return *t, nil
}

// SkipEdition records the edition of a scheduled tick as skipped, with
// the reason: done, nothing sent, no window of its own, so the stories it
// would have held stay for the next edition's window. If the tick has an
// edition already (made or skipped by another worker), that one is
// returned with created false.
func (db *DB) SkipEdition(ctx context.Context, tick time.Time, reason string) (e domain.Edition, created bool, err error) {
	next, err := domain.NextEdition(0, domain.EditionState{}, domain.EditionSkip)
	if err != nil {
		return e, false, err
	}
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// The lock CreateEdition takes: one of them decides the tick.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, ingestLock); err != nil {
			return err
		}
		e, err = scanEdition(tx.QueryRow(ctx, `
			INSERT INTO editions AS e (scheduled_for, status, reason, started_at, finished_at)
			VALUES ($1, $3, $2, now(), now())
			ON CONFLICT (scheduled_for) DO NOTHING
			RETURNING `+editionColumns, tick, domain.ReasonSkippedPrefix+reason, string(next.Status)))
		if err == nil {
			created = true
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		e, err = scanEdition(tx.QueryRow(ctx, `SELECT `+editionColumns+` FROM editions e WHERE scheduled_for = $1`, tick))
		return err
	})
	if err != nil {
		return e, false, fmt.Errorf("skip the edition of %s: %w", tick.Format(time.RFC3339), err)
	}
	return e, created, nil
}

// SkippedEditions lists the scheduled editions recorded as skipped since
// a moment, newest first.
func (db *DB) SkippedEditions(ctx context.Context, since time.Time, limit int) ([]domain.Edition, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+editionColumns+` FROM editions e
		WHERE e.reason LIKE $1 || '%' AND e.created_at >= $2 ORDER BY e.id DESC LIMIT $3`,
		domain.ReasonSkippedPrefix, since, limit)
	if err != nil {
		return nil, fmt.Errorf("skipped editions: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Edition, error) { return scanEdition(r) })
}
