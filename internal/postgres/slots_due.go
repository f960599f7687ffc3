package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// Finding who is due, and making their slot, touch every due reader's
// row but hold none of them in the worker: a reader's next due time
// depends only on their schedule (frequency, zone, hour), so the worker
// works it out once per distinct schedule and the database applies it to
// every reader of that schedule in one statement. The worker's memory
// does not grow with the number of readers due.

// errNoReaders rolls back a slot no reader is due for.
var errNoReaders = errors.New("no reader due")

// DueSchedules lists, once each, the schedules of the active readers
// whose digest is due at now (read from the next_due_at index).
// SendThin is left false: it does not decide when a digest is due.
func (db *DB) DueSchedules(ctx context.Context, now time.Time) ([]domain.ReaderSchedule, error) {
	return db.schedules(ctx, `
		SELECT DISTINCT frequency, timezone, hour FROM subscribers
		WHERE status = $1 AND next_due_at <= $2 AND frequency IS NOT NULL`, domain.StatusActive, now)
}

// UnscheduledSchedules lists, once each, the schedules of the active
// readers whose next due time is not yet known (a new schedule, a new
// reader), read from the subscribers_unscheduled index.
func (db *DB) UnscheduledSchedules(ctx context.Context) ([]domain.ReaderSchedule, error) {
	return db.schedules(ctx, `
		SELECT DISTINCT frequency, timezone, hour FROM subscribers
		WHERE status = $1 AND frequency IS NOT NULL AND next_due_at IS NULL AND due_before_change IS NULL`, domain.StatusActive)
}

// MovedSchedules lists the active readers who moved the hour or zone of
// their schedule since the worker last looked: each with their new
// schedule and the due time it replaced, for schedule.Moved. They are
// few (a reader's own change), so they are worked out one by one.
func (db *DB) MovedSchedules(ctx context.Context) ([]domain.MovedSchedule, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT id, frequency, timezone, hour, due_before_change FROM subscribers
		WHERE status = $1 AND frequency IS NOT NULL AND next_due_at IS NULL AND due_before_change IS NOT NULL`, domain.StatusActive)
	if err != nil {
		return nil, fmt.Errorf("readers' moved schedules: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.MovedSchedule, error) {
		var m domain.MovedSchedule
		var hour int16
		err := r.Scan(&m.SubscriberID, &m.Schedule.Frequency, &m.Schedule.Timezone, &hour, &m.DueBefore)
		m.Schedule.Hour = int(hour)
		return m, err
	})
}

// ScheduleMoved sets the due time of the readers of moved (MovedSchedules)
// to due[i], unless they moved their schedule again meanwhile.
func (db *DB) ScheduleMoved(ctx context.Context, moved []domain.MovedSchedule, due []time.Time) error {
	ids := make([]int64, len(moved))
	for i, m := range moved {
		ids[i] = m.SubscriberID
	}
	schedules := make([]domain.ReaderSchedule, len(moved))
	for i, m := range moved {
		schedules[i] = m.Schedule
	}
	freq, zone, hour := scheduleColumns(schedules)
	_, err := db.pool.Exec(ctx, `
		UPDATE subscribers s SET next_due_at = n.due, due_before_change = NULL
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::smallint[], $5::timestamptz[]) AS n(id, frequency, timezone, hour, due)
		WHERE s.id = n.id AND s.status = $6 AND s.next_due_at IS NULL AND s.due_before_change IS NOT NULL
		  AND s.frequency = n.frequency AND s.timezone = n.timezone AND s.hour = n.hour`,
		ids, freq, zone, hour, due, domain.StatusActive)
	if err != nil {
		return fmt.Errorf("schedule moved readers: %w", err)
	}
	return nil
}

func (db *DB) schedules(ctx context.Context, sql string, args ...any) ([]domain.ReaderSchedule, error) {
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("readers' schedules: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.ReaderSchedule, error) {
		var rs domain.ReaderSchedule
		var hour int16
		err := r.Scan(&rs.Frequency, &rs.Timezone, &hour)
		rs.Hour = int(hour)
		return rs, err
	})
}

// ScheduleNew sets the first due time of the readers whose next due time
// is not yet known, for those of schedule schedules[i]: since[i] (the
// last chosen hour, passed) for a reader who has had no digest of their
// own and confirmed after prev[i] (the chosen hour before it) and not
// after since[i], since that is the first chosen hour after they
// confirmed; due[i] for the others. A reader who had digests before, of
// their own or the desk's (a window begun), and changed their schedule,
// waits for the new one's first hour, or for then[i] (the one after it)
// when their last digest, which began their window, went after recent[i]
// and before due[i]: due[i] would come too soon after it.
func (db *DB) ScheduleNew(ctx context.Context, schedules []domain.ReaderSchedule, prev, since, due, recent, then []time.Time) error {
	freq, zone, hour := scheduleColumns(schedules)
	_, err := db.pool.Exec(ctx, `
		UPDATE subscribers s SET next_due_at = CASE
		    WHEN s.window_start IS NULL AND s.confirmed_at > n.prev AND s.confirmed_at <= n.since THEN n.since
		    WHEN s.window_start > n.recent AND s.window_start <= n.due THEN n.after_recent
		    ELSE n.due END
		FROM unnest($1::text[], $2::text[], $3::smallint[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[],
		            $8::timestamptz[], $9::timestamptz[])
		     AS n(frequency, timezone, hour, prev, since, due, recent, after_recent)
		WHERE s.status = $7 AND s.next_due_at IS NULL AND s.due_before_change IS NULL
		  AND s.frequency = n.frequency AND s.timezone = n.timezone AND s.hour = n.hour`,
		freq, zone, hour, prev, since, due, domain.StatusActive, recent, then)
	if err != nil {
		return fmt.Errorf("schedule new readers: %w", err)
	}
	return nil
}

func scheduleColumns(schedules []domain.ReaderSchedule) (freq, zone []string, hour []int16) {
	for _, rs := range schedules {
		freq, zone, hour = append(freq, rs.Frequency), append(zone, rs.Timezone), append(hour, int16(rs.Hour))
	}
	return freq, zone, hour
}

// RescheduleLate gives the due readers who confirmed after their due
// time was set, and at or after since[i] (for schedules[i]), due[i]:
// their first digest waits for the first chosen hour after they
// confirmed. Those who confirmed earlier stay due.
func (db *DB) RescheduleLate(ctx context.Context, now time.Time, schedules []domain.ReaderSchedule, since, due []time.Time) error {
	freq, zone, hour := scheduleColumns(schedules)
	_, err := db.pool.Exec(ctx, `
		UPDATE subscribers s SET next_due_at = n.due
		FROM unnest($1::text[], $2::text[], $3::smallint[], $4::timestamptz[], $5::timestamptz[]) AS n(frequency, timezone, hour, since, due)
		WHERE s.status = $6 AND s.next_due_at <= $7 AND s.confirmed_at > s.next_due_at AND s.confirmed_at >= n.since
		  AND s.frequency = n.frequency AND s.timezone = n.timezone AND s.hour = n.hour`,
		freq, zone, hour, since, due, domain.StatusActive, now)
	if err != nil {
		return fmt.Errorf("reschedule readers confirmed late: %w", err)
	}
	return nil
}

// CreateSlot makes the slot of the quarter hour slotAt for the readers
// due at now whose schedule is one of schedules, and moves each one's
// next due time to next[i] (for schedules[i]). A quarter that has its
// slot already returns that one, created false: two workers make one
// slot, and a reader it took is not due any more. With no reader due,
// nothing is made (created false, zero edition).
func (db *DB) CreateSlot(ctx context.Context, slotAt, now time.Time, schedules []domain.ReaderSchedule, next []time.Time, age time.Duration) (e domain.Edition, created bool, err error) {
	freq, zone, hour := scheduleColumns(schedules)
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// The lock CreateEdition takes: the cut-off is later than every
		// item stamp committed before it.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, ingestLock); err != nil {
			return err
		}
		e, err = scanEdition(tx.QueryRow(ctx, `SELECT `+editionColumns+` FROM editions e WHERE slot_at = $1`, slotAt))
		if err == nil || !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		st, err := domain.NextEdition(0, domain.EditionState{}, domain.EditionCreate)
		if err != nil {
			return err
		}
		var id int64
		var cutoff time.Time
		if err := tx.QueryRow(ctx, `INSERT INTO editions (slot_at, slot_cutoff, status) VALUES ($1, clock_timestamp(), $2)
			RETURNING id, slot_cutoff`, slotAt, string(st.Status)).Scan(&id, &cutoff); err != nil {
			return fmt.Errorf("insert slot: %w", err)
		}
		// One pass over the due readers: their next due time, and a first
		// window pinned where this slot began it, so that if the digest
		// waits (too few stories) its stories stay in the next one; the
		// slot records each one's window as it was. A reader joining the
		// desk gets what is owed to them however few the stories: it is
		// their last digest of their own.
		tag, err := tx.Exec(ctx, `
			WITH due AS (
			    UPDATE subscribers s SET next_due_at = n.due, window_start = COALESCE(s.window_start, $7::timestamptz)
			    FROM unnest($2::text[], $3::text[], $4::smallint[], $5::timestamptz[]) AS n(frequency, timezone, hour, due)
			    WHERE s.status = $6 AND s.next_due_at <= $8
			      AND s.frequency = n.frequency AND s.timezone = n.timezone AND s.hour = n.hour
			    RETURNING s.id, s.window_start, s.send_thin OR s.joins_desk AS send_thin)
			INSERT INTO slot_readers (edition_id, subscriber_id, window_start, send_thin)
			SELECT $1, id, window_start, send_thin FROM due`,
			id, freq, zone, hour, next, domain.StatusActive, cutoff.Add(-domain.FirstWindow), now)
		if err != nil {
			return fmt.Errorf("slot readers: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return errNoReaders
		}
		after, until := `(SELECT min(window_start) FROM slot_readers WHERE edition_id = $1)`, `(SELECT slot_cutoff FROM editions WHERE id = $1)`
		if _, err := tx.Exec(ctx, `
			INSERT INTO edition_items (edition_id, item_id)
			SELECT $1, id FROM items WHERE `+withVersions(`(`+ingestedWindow(after, until, "$2")+` OR `+
			pickedInWindow(after, until)+`)`), id, maxAge(age)); err != nil {
			return fmt.Errorf("freeze slot stories: %w", err)
		}
		e, err = scanEdition(tx.QueryRow(ctx, `
			UPDATE editions e SET items = (SELECT count(*) FROM edition_items WHERE edition_id = e.id)
			WHERE e.id = $1 RETURNING `+editionColumns, id))
		created = err == nil
		return err
	})
	if errors.Is(err, errNoReaders) {
		return domain.Edition{}, false, nil
	}
	return e, created, err
}

// DueBefore counts the active readers whose own digest is due before
// until (those overdue included), from the next_due_at index.
func (db *DB) DueBefore(ctx context.Context, until time.Time) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM subscribers
		WHERE status = $2 AND next_due_at IS NOT NULL AND next_due_at < $1`, until, domain.StatusActive).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("readers due: %w", err)
	}
	return n, nil
}

// OwnScheduleReaders counts the active readers on a schedule of their
// own: an edition made by the desk does not go to them.
func (db *DB) OwnScheduleReaders(ctx context.Context) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM subscribers
		WHERE status = $1 AND frequency IS NOT NULL`, domain.StatusActive).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("readers on their own schedule: %w", err)
	}
	return n, nil
}
