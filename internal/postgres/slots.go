package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// Slots: the editions of readers with their own schedule (migration
// 00033). A slot freezes, under the lock every edition takes, the readers
// due at its quarter hour with where each one's window begins, and the
// stories of the widest of those windows; the compile gives each reader
// only those of their own.

// errNoReaders rolls back a slot no reader is due for.
var errNoReaders = errors.New("no reader due")

// DueReaders lists up to limit active readers with their own schedule
// whose digest is due at now, read from the next_due_at index; readers
// whose next due time is not yet known (a new schedule, a new reader)
// come too, with a zero NextDue.
func (db *DB) DueReaders(ctx context.Context, now time.Time, limit int) ([]domain.DueReader, error) {
	rows, err := db.pool.Query(ctx, `
		(SELECT id, frequency, timezone, hour, send_thin, next_due_at, confirmed_at FROM subscribers
		 WHERE status = $2 AND next_due_at IS NOT NULL AND next_due_at <= $1 ORDER BY next_due_at LIMIT $3)
		UNION ALL
		(SELECT id, frequency, timezone, hour, send_thin, next_due_at, confirmed_at FROM subscribers
		 WHERE status = $2 AND frequency IS NOT NULL AND next_due_at IS NULL LIMIT $3)`,
		now, domain.StatusActive, limit)
	if err != nil {
		return nil, fmt.Errorf("due readers: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.DueReader, error) {
		var d domain.DueReader
		var due *time.Time
		var hour int16
		err := r.Scan(&d.ID, &d.Schedule.Frequency, &d.Schedule.Timezone, &hour, &d.Schedule.SendThin, &due, &d.ConfirmedAt)
		d.Schedule.Hour = int(hour)
		if due != nil {
			d.NextDue = *due
		}
		return d, err
	})
}

// Reschedule sets when each reader's next digest is due (ids[i] at due[i]).
func (db *DB) Reschedule(ctx context.Context, ids []int64, due []time.Time) error {
	_, err := db.pool.Exec(ctx, `
		UPDATE subscribers s SET next_due_at = n.due
		FROM unnest($1::bigint[], $2::timestamptz[]) AS n(id, due) WHERE s.id = n.id`, ids, due)
	if err != nil {
		return fmt.Errorf("reschedule readers: %w", err)
	}
	return nil
}

// CreateSlot makes the slot of the quarter hour slotAt for the readers
// ids still due at now, and moves each one's next due time to next[i]. A
// quarter that has its slot already returns that one, created false: two
// workers make one slot, and a reader it took is not due any more. With
// no reader still due, nothing is made (created false, zero edition).
func (db *DB) CreateSlot(ctx context.Context, slotAt, now time.Time, ids []int64, next []time.Time, age time.Duration) (e domain.Edition, created bool, err error) {
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
		if err := tx.QueryRow(ctx, `INSERT INTO editions (slot_at, slot_cutoff, status) VALUES ($1, clock_timestamp(), $2) RETURNING id`,
			slotAt, string(st.Status)).Scan(&id); err != nil {
			return fmt.Errorf("insert slot: %w", err)
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO slot_readers (edition_id, subscriber_id, window_start, send_thin)
			SELECT $1, s.id, COALESCE(s.window_start, e.slot_cutoff - $5::interval), s.send_thin
			FROM subscribers s, editions e
			WHERE e.id = $1 AND s.id = ANY($2) AND s.status = $3 AND s.frequency IS NOT NULL AND s.next_due_at <= $4`,
			id, ids, domain.StatusActive, now, maxAge(domain.FirstWindow))
		if err != nil {
			return fmt.Errorf("slot readers: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return errNoReaders
		}
		// One pass over the readers: their next due time, and a first
		// window pinned where this slot began it, so that if the digest
		// waits (too few stories) its stories stay in the next one.
		if _, err := tx.Exec(ctx, `
			UPDATE subscribers s SET next_due_at = n.due, window_start = r.window_start
			FROM unnest($2::bigint[], $3::timestamptz[]) AS n(id, due), slot_readers r
			WHERE s.id = n.id AND r.edition_id = $1 AND r.subscriber_id = n.id`, id, ids, next); err != nil {
			return fmt.Errorf("move readers' due times: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO edition_items (edition_id, item_id)
			SELECT $1, id FROM items WHERE `+withVersions(ingestedWindow(
			`(SELECT min(window_start) FROM slot_readers WHERE edition_id = $1)`,
			`(SELECT slot_cutoff FROM editions WHERE id = $1)`, "$2")), id, maxAge(age)); err != nil {
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

// SlotRecipients returns a page of a slot's readers still active, with
// id > after, as ActiveRecipients does for an edition of the desk's: their
// choices, their digests of earlier editions holding its stories, a pause
// past at; and where their own window begins.
func (db *DB) SlotRecipients(ctx context.Context, editionID, after int64, limit int, earlier []int64, at time.Time) ([]domain.SlotRecipient, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT s.id, s.all_stories, s.countries, s.topics, s.language, s.mode,
		       CASE WHEN cardinality($4::bigint[]) = 0 THEN '{}'::bigint[] ELSE ARRAY(
		           SELECT d.group_id FROM deliveries d
		           WHERE d.subscriber_id = s.id AND d.edition_id = ANY($4) AND d.status = ANY($6)
		           ORDER BY d.group_id) END,
		       s.paused_until IS NOT NULL AND s.paused_until > $5,
		       r.window_start, r.send_thin
		FROM slot_readers r JOIN subscribers s ON s.id = r.subscriber_id
		WHERE r.edition_id = $1 AND r.subscriber_id > $2 AND s.status = $7
		ORDER BY r.subscriber_id LIMIT $3`, editionID, after, limit, earlier, at, reachingStatuses(), domain.StatusActive)
	if err != nil {
		return nil, fmt.Errorf("slot readers: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.SlotRecipient, error) {
		var rc domain.SlotRecipient
		err := r.Scan(&rc.ID, &rc.Filter.All, &rc.Filter.Countries, &rc.Filter.Topics, &rc.Filter.Language, &rc.Filter.Mode,
			&rc.Received, &rc.Paused, &rc.WindowStart, &rc.SendThin)
		return rc, err
	})
}

// AdvanceWindows moves the windows of a slot's readers ids on to its
// cut-off: their next digest begins where this one ends.
func (db *DB) AdvanceWindows(ctx context.Context, editionID int64, ids []int64) error {
	_, err := db.pool.Exec(ctx, `
		UPDATE subscribers s SET window_start = e.slot_cutoff
		FROM editions e WHERE e.id = $1 AND s.id = ANY($2)`, editionID, ids)
	if err != nil {
		return fmt.Errorf("advance readers' windows: %w", err)
	}
	return nil
}

// RestoreSlotWindows hands the readers of a cancelled or failed slot who
// were sent nothing their window back: their stories go in their next
// digest. A reader whose window a later slot moved on keeps it.
func (db *DB) RestoreSlotWindows(ctx context.Context, editionID int64) error {
	_, err := db.pool.Exec(ctx, `
		UPDATE subscribers s SET window_start = r.window_start
		FROM slot_readers r, editions e
		WHERE r.edition_id = $1 AND e.id = $1 AND s.id = r.subscriber_id AND s.window_start = e.slot_cutoff
		  AND NOT EXISTS (SELECT 1 FROM deliveries d
		                  WHERE d.edition_id = $1 AND d.subscriber_id = s.id AND d.status = $2)`,
		editionID, domain.DeliverySent)
	if err != nil {
		return fmt.Errorf("restore readers' windows: %w", err)
	}
	return nil
}

// Slots lists the latest slots, newest first.
func (db *DB) Slots(ctx context.Context, limit int) ([]domain.Edition, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+editionColumns+` FROM editions e
		WHERE e.slot_at IS NOT NULL ORDER BY e.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("slots: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Edition, error) { return scanEdition(r) })
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
