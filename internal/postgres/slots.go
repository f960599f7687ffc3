package postgres

import (
	"context"
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
// cut-off: their next digest begins where this one ends. A window that
// is not where the slot found it stays: an earlier slot, cancelled since,
// handed it back (RestoreSlotWindows), and those stories are still owed.
func (db *DB) AdvanceWindows(ctx context.Context, editionID int64, ids []int64) error {
	_, err := db.pool.Exec(ctx, `
		UPDATE subscribers s SET window_start = e.slot_cutoff
		FROM editions e, slot_readers r
		WHERE e.id = $1 AND s.id = ANY($2) AND r.edition_id = $1 AND r.subscriber_id = s.id
		  AND s.window_start IS NOT DISTINCT FROM r.window_start`, editionID, ids)
	if err != nil {
		return fmt.Errorf("advance readers' windows: %w", err)
	}
	return nil
}

// RestoreSlotWindows hands the readers of a cancelled or failed slot who
// were sent nothing their window back: their stories go in their next
// digest. That holds too for a reader whose window a later slot moved on
// (a slot paused on bounces, cancelled after the next one went): their
// window goes back to where this slot's began, and their earlier digests
// spare them what the later one gave. Readers who follow the desk's
// schedule now have no window of their own.
func (db *DB) RestoreSlotWindows(ctx context.Context, editionID int64) error {
	_, err := db.pool.Exec(ctx, `
		UPDATE subscribers s SET window_start = r.window_start
		FROM slot_readers r
		WHERE r.edition_id = $1 AND s.id = r.subscriber_id AND s.frequency IS NOT NULL AND s.window_start > r.window_start
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
