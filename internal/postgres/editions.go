package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// FirstWindow is how far back the very first scheduled edition reaches.
const FirstWindow = 7 * 24 * time.Hour

// NewEdition asks for an edition. With a published range it holds the
// items published in it; otherwise it holds the items first ingested since
// the previous such edition's cut-off. ScheduledFor is the cron tick that
// asked, if any.
type NewEdition struct {
	ScheduledFor  *time.Time
	PublishedFrom *domain.Date
	PublishedTo   *domain.Date
}

const editionColumns = `e.id, e.status, e.reason, e.scheduled_for, e.ingested_after, e.ingested_until,
	e.published_from, e.published_to, e.items, e.total, e.sent, e.failed, e.skipped,
	e.sending_started_at, e.created_at, e.finished_at`

func scanEdition(r pgx.Row) (domain.Edition, error) {
	var e domain.Edition
	var from, to *time.Time
	err := r.Scan(&e.ID, &e.Status, &e.Reason, &e.ScheduledFor, &e.Window.IngestedAfter,
		&e.Window.IngestedUntil, &from, &to, &e.Items, &e.Total, &e.Sent, &e.Failed, &e.Skipped,
		&e.SendingStartedAt, &e.CreatedAt, &e.FinishedAt)
	if err != nil {
		return e, err
	}
	if e.SendingStartedAt != nil {
		end := time.Now()
		if e.FinishedAt != nil {
			end = *e.FinishedAt
		}
		if secs := end.Sub(*e.SendingStartedAt).Seconds(); secs > 0 {
			e.Rate = math.Round(float64(e.Sent)/secs*10) / 10
		}
	}
	if from != nil {
		e.Window.PublishedFrom = &domain.Date{Time: *from}
	}
	if to != nil {
		e.Window.PublishedTo = &domain.Date{Time: *to}
	}
	return e, nil
}

// CreateEdition makes an edition and freezes its window of items. For a
// scheduled tick that already has its edition, it returns that one with
// created false.
func (db *DB) CreateEdition(ctx context.Context, n NewEdition) (e domain.Edition, created bool, err error) {
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// Exclusive: wait for imports in flight, so the cut-off read below
		// is later than every item stamp that will ever be committed before it.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, ingestLock); err != nil {
			return err
		}
		if n.ScheduledFor != nil {
			e, err = scanEdition(tx.QueryRow(ctx, `SELECT `+editionColumns+` FROM editions e WHERE scheduled_for = $1`, *n.ScheduledFor))
			if err == nil {
				return nil
			}
			if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
		}
		var id int64
		if n.PublishedFrom != nil || n.PublishedTo != nil {
			err = tx.QueryRow(ctx, `
				INSERT INTO editions (scheduled_for, published_from, published_to)
				VALUES ($1, $2, $3) RETURNING id`, n.ScheduledFor, dateOrNil(n.PublishedFrom), dateOrNil(n.PublishedTo)).Scan(&id)
			if err != nil {
				return fmt.Errorf("insert edition: %w", err)
			}
			_, err = tx.Exec(ctx, `
				INSERT INTO edition_items (edition_id, item_id)
				SELECT $1, id FROM items WHERE `+withVersions(publishedWindow("$2", "$3")),
				id, dateOrNil(n.PublishedFrom), dateOrNil(n.PublishedTo))
		} else {
			err = tx.QueryRow(ctx, `
				INSERT INTO editions (scheduled_for, ingested_after, ingested_until)
				SELECT $1, `+nextWindowStart("$2")+`, clock_timestamp()
				FROM editions
				RETURNING id`, n.ScheduledFor, FirstWindow).Scan(&id)
			if err != nil {
				return fmt.Errorf("insert edition: %w", err)
			}
			_, err = tx.Exec(ctx, `
				INSERT INTO edition_items (edition_id, item_id)
				SELECT $1, id FROM items
				WHERE `+withVersions(ingestedWindow(
				`(SELECT ingested_after FROM editions WHERE id = $1)`,
				`(SELECT ingested_until FROM editions WHERE id = $1)`)), id)
		}
		if err != nil {
			return fmt.Errorf("freeze edition window: %w", err)
		}
		e, err = scanEdition(tx.QueryRow(ctx, `
			UPDATE editions e SET items = (SELECT count(*) FROM edition_items WHERE edition_id = e.id)
			WHERE e.id = $1 RETURNING `+editionColumns, id))
		created = true
		return err
	})
	return e, created, err
}

// The window rule, in pieces that CreateEdition and WindowItems (what an
// edition made now would hold) both use, so the two cannot disagree.

// nextWindowStart is, as an aggregate over editions, where the next
// window of new items begins: the last cut-off, or firstWindow ago.
func nextWindowStart(firstWindow string) string {
	return `COALESCE(max(ingested_until), clock_timestamp() - ` + firstWindow + `::interval)`
}

// ingestedWindow selects the visible items first ingested in (after, until].
func ingestedWindow(after, until string) string {
	return `NOT items.hidden AND items.ingested_at > ` + after + ` AND items.ingested_at <= ` + until
}

// publishedWindow selects the visible items published in [from, to]; a
// NULL bound is open.
func publishedWindow(from, to string) string {
	return `NOT items.hidden AND (` + from + `::date IS NULL OR items.published_on >= ` + from + `)` +
		` AND (` + to + `::date IS NULL OR items.published_on <= ` + to + `)`
}

// withVersions widens a window to the visible language versions of its
// stories: a translation arriving in this window brings the version
// stored before it, so that a reader who has had neither gets the one in
// their language. Readers who had the earlier version are spared both
// (EarlierStories).
func withVersions(window string) string {
	return `NOT items.hidden AND COALESCE(items.translation_of, items.id) IN (
		SELECT COALESCE(items.translation_of, items.id) FROM items WHERE ` + window + `)`
}

func dateOrNil(d *domain.Date) any {
	if d == nil {
		return nil
	}
	return d.Time
}

// Edition returns an edition with its progress: one row, however many
// deliveries it has.
func (db *DB) Edition(ctx context.Context, id int64) (domain.Edition, error) {
	e, err := scanEdition(db.pool.QueryRow(ctx, `SELECT `+editionColumns+` FROM editions e WHERE e.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return e, errs.New(errs.NotFound, "edition %d not found", id)
	}
	return e, err
}

// Editions lists the most recent editions, newest first.
func (db *DB) Editions(ctx context.Context, limit int) ([]domain.Edition, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+editionColumns+` FROM editions e ORDER BY e.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Edition, error) { return scanEdition(r) })
}

// MoveEdition changes an edition's status if it is in one of from and not
// cancelled (a cancelled edition only settles: see SettleCancelled); it
// reports whether it did.
func (db *DB) MoveEdition(ctx context.Context, id int64, from []string, to, reason string) (bool, error) {
	tag, err := db.pool.Exec(ctx, `
		UPDATE editions SET status = $3, reason = $4,
		       started_at = CASE WHEN $3 = 'compiling' THEN COALESCE(started_at, now()) ELSE started_at END,
		       sending_started_at = CASE WHEN $3 = 'sending' THEN COALESCE(sending_started_at, now()) ELSE sending_started_at END,
		       finished_at = CASE WHEN $3 IN ('done', 'failed') THEN now() ELSE finished_at END
		WHERE id = $1 AND status = ANY($2) AND reason <> 'cancelled'`, id, from, to, reason)
	if err != nil {
		return false, fmt.Errorf("move edition %d to %s: %w", id, to, err)
	}
	return tag.RowsAffected() == 1, nil
}

// UnfinishedEditions lists editions not yet done or failed, for the
// reconciler.
func (db *DB) UnfinishedEditions(ctx context.Context) ([]domain.Edition, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+editionColumns+` FROM editions e
		WHERE status IN ('queued', 'compiling', 'sending') ORDER BY id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Edition, error) { return scanEdition(r) })
}
