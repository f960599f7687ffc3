package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// NewEdition is domain.NewEdition, under the name the load benchmarks
// (bench/) seed editions with; the services use domain's.
type NewEdition = domain.NewEdition

const editionColumns = `e.id, e.status, e.reason, e.scheduled_for, e.ingested_after, e.ingested_until,
	e.published_from, e.published_to, e.items, e.total, e.sent, e.failed, e.skipped,
	e.sending_started_at, e.created_at, e.finished_at, e.auto_pause, e.pause_cause, e.pause_count, e.pause_of,
	e.first_sent, e.first_finished_at, e.round_started_at, e.round_sent_from, e.slot_at, e.paused_at, e.paused_seconds, e.first_paused_seconds`

// CreateEdition makes an edition and freezes its window of items. For a
// scheduled tick that already has its edition, it returns that one with
// created false. So it does for an editor's edition (RequireStories)
// asked again while the one asked before is on its way (not finished nor
// cancelled): of the same published range, or of new stories when no
// story has come in since (a retried call, a second click).
func (db *DB) CreateEdition(ctx context.Context, n NewEdition) (e domain.Edition, created bool, err error) {
	var onItsWay *domain.Edition // the editor's edition this one repeats, if it holds nothing new
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// Exclusive: wait for imports in flight, so the cut-off read below
		// is later than every item stamp that will ever be committed before it.
		// It also orders two requests for the same edition.
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
		if n.RequireStories {
			// Compiled side by side, two editions of the same stories
			// would each send them: neither sees the other's digests.
			prev, err := scanEdition(tx.QueryRow(ctx, `
				SELECT `+editionColumns+` FROM editions e
				WHERE e.scheduled_for IS NULL AND e.slot_at IS NULL AND e.status <> ALL($1) AND e.reason <> $2
				  AND e.published_from IS NOT DISTINCT FROM $3 AND e.published_to IS NOT DISTINCT FROM $4
				ORDER BY e.id DESC LIMIT 1`,
				finishedStatuses(), domain.ReasonCancelled, dateOrNil(n.PublishedFrom), dateOrNil(n.PublishedTo)))
			switch {
			case err == nil && (n.PublishedFrom != nil || n.PublishedTo != nil):
				e = prev
				return nil
			case err == nil:
				onItsWay = &prev
			case !errors.Is(err, pgx.ErrNoRows):
				return err
			}
		}
		next, err := domain.NextEdition(0, domain.EditionState{}, domain.EditionCreate)
		if err != nil {
			return err
		}
		var id int64
		if n.PublishedFrom != nil || n.PublishedTo != nil {
			err = tx.QueryRow(ctx, `
				INSERT INTO editions (scheduled_for, published_from, published_to, status)
				VALUES ($1, $2, $3, $4) RETURNING id`, n.ScheduledFor, dateOrNil(n.PublishedFrom), dateOrNil(n.PublishedTo),
				string(next.Status)).Scan(&id)
			if err != nil {
				return fmt.Errorf("insert edition: %w", err)
			}
			_, err = tx.Exec(ctx, `
				INSERT INTO edition_items (edition_id, item_id)
				SELECT $1, id FROM items WHERE `+withVersions(publishedWindow("$2", "$3")),
				id, dateOrNil(n.PublishedFrom), dateOrNil(n.PublishedTo))
		} else {
			err = tx.QueryRow(ctx, `
				INSERT INTO editions (scheduled_for, ingested_after, ingested_until, status)
				SELECT $1, `+nextWindowStart("$2")+`, clock_timestamp(), $3
				FROM editions
				RETURNING id`, n.ScheduledFor, domain.FirstWindow, string(next.Status)).Scan(&id)
			if err != nil {
				return fmt.Errorf("insert edition: %w", err)
			}
			_, err = tx.Exec(ctx, `
				INSERT INTO edition_items (edition_id, item_id)
				SELECT $1, id FROM items
				WHERE `+withVersions(`(`+ingestedWindow(
				`(SELECT ingested_after FROM editions WHERE id = $1)`,
				`(SELECT ingested_until FROM editions WHERE id = $1)`, "$2")+` OR `+picked+`) OR `+carried), id, maxAge(n.MaxAge))
			if err == nil {
				// The picks this edition holds are spent; if it is
				// cancelled or fails, carried brings them to the next.
				_, err = tx.Exec(ctx, `
					UPDATE items SET picked_at = NULL
					WHERE picked_at IS NOT NULL AND id IN (SELECT item_id FROM edition_items WHERE edition_id = $1)`, id)
			}
			if err == nil {
				_, err = tx.Exec(ctx, joinDeskNow, id, finishedStatuses())
			}
		}
		if err != nil {
			return fmt.Errorf("freeze edition window: %w", err)
		}
		if n.RequireStories {
			var held int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM edition_items WHERE edition_id = $1`, id).Scan(&held); err != nil {
				return err
			}
			if held == 0 && onItsWay != nil {
				return errRepeated // rolls the edition back
			}
			if held == 0 {
				return errs.New(errs.Invalid, "%s", domain.ErrNoStories) // rolls the edition back
			}
		}
		e, err = scanEdition(tx.QueryRow(ctx, `
			UPDATE editions e SET items = (SELECT count(*) FROM edition_items WHERE edition_id = e.id)
			WHERE e.id = $1 RETURNING `+editionColumns, id))
		created = true
		return err
	})
	if errors.Is(err, errRepeated) {
		return *onItsWay, false, nil
	}
	return e, created, err
}

// errRepeated rolls back an edition of new stories that holds none, asked
// while the editor's edition before it is on its way.
var errRepeated = errors.New("repeats the edition on its way")

// joinDeskNow moves to the desk's schedule, as desk edition $1 is made,
// the readers joining it (SetScheduleByToken) whose last digest of their
// own has gone: their window reaches this edition's (the stories before
// it were theirs), and no slot of theirs is unfinished (a slot cancelled
// later would hand back a window they no longer have). They are in this
// edition; what their last slot gave them too, it spares them. Others
// wait for the next desk edition.
var joinDeskNow = `UPDATE subscribers s SET ` + joinedDesk + `
	WHERE s.joins_desk AND s.window_start >= (SELECT ingested_after FROM editions WHERE id = $1)
	  AND NOT ` + slotUnfinished("s", "$2")

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

// MoveEdition records that ev happened to an edition, if its lifecycle
// allows it from where the edition is now (domain.EditionRule, checked
// and changed in one statement); it reports whether it did. The times
// the edition began compiling, began sending and finished are stamped as
// it reaches those statuses.
func (db *DB) MoveEdition(ctx context.Context, id int64, ev domain.EditionEvent) (bool, error) {
	from, cancelled, to := domain.EditionRule(ev)
	tag, err := db.pool.Exec(ctx, `
		UPDATE editions SET status = COALESCE(NULLIF($3, ''), status),
		       started_at = CASE WHEN $3 = $5 THEN COALESCE(started_at, now()) ELSE started_at END,
		       sending_started_at = CASE WHEN $3 = $6 THEN COALESCE(sending_started_at, now()) ELSE sending_started_at END,
		       finished_at = CASE WHEN $3 = ANY($7) THEN now() ELSE finished_at END
		WHERE id = $1 AND status = ANY($2) AND (reason = $8) = $4`,
		id, from, to, cancelled, domain.EditionCompiling, domain.EditionSending, finishedStatuses(), domain.ReasonCancelled)
	if err != nil {
		return false, fmt.Errorf("edition %d: %s: %w", id, ev, err)
	}
	return tag.RowsAffected() == 1, nil
}

// finishedStatuses are the statuses of an edition nothing more happens to.
func finishedStatuses() []string {
	var out []string
	for _, s := range domain.EditionStatuses {
		if s.Finished() {
			out = append(out, string(s))
		}
	}
	return out
}

// FailEdition records that an edition's compile failed for good
// (domain.EditionFail), with the reason, unless its lifecycle refuses it
// (a cancelled one settles instead: see SettleCancelled); it reports
// whether it did. The deliveries its compile wrote and nobody is sending
// are abandoned (domain.DeliveryAbandon): the readers not sent to do not
// count as having had its stories, which the next edition carries. A
// batch that went out while the compile ran (they start before it ends)
// records what it sent, which spares those readers, and skips the rest
// (its watch sees the edition failed); AbandonLapsed settles one whose
// worker died.
func (db *DB) FailEdition(ctx context.Context, id int64, reason string) (bool, error) {
	from, cancelled, to := domain.EditionRule(domain.EditionFail)
	dFrom, dLapsed, _ := domain.DeliveryRule(domain.DeliveryAbandon)
	var failed bool
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// The edition before its deliveries, as every writer of both.
		tag, err := tx.Exec(ctx, `
			UPDATE editions SET status = $5, reason = $2, finished_at = now()
			WHERE id = $1 AND status = ANY($3) AND (reason = $6) = $4`, id, reason, from, cancelled, to, domain.ReasonCancelled)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		failed = true
		// The counts below see the deliveries as they were before the
		// update beside them: those it skips are counted from it.
		_, err = tx.Exec(ctx, `
			WITH s AS (
			    UPDATE deliveries SET status = $4, reason = $2, lease_until = NULL, updated_at = now()
			    WHERE edition_id = $1 AND (status = ANY($3) OR (status = ANY($5) AND lease_until < now()))
			    RETURNING 1)
			UPDATE editions SET
			    total = (SELECT count(*) FROM deliveries WHERE edition_id = $1),
			    skipped = (SELECT count(*) FROM deliveries WHERE edition_id = $1 AND status = $4) + (SELECT count(*) FROM s)
			WHERE id = $1`, id, domain.ReasonEditionFailed, dFrom, domain.DeliverySkipped, dLapsed)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("fail edition %d: %w", id, err)
	}
	return failed, nil
}

// AbandonLapsed skips the deliveries of failed editions that their batch
// left unfinished (FailEdition leaves those being sent to it): put back
// to try again (a 4xx, a worker stopping), which no claim takes from a
// failed edition, or left sending by a worker that died. It counts them:
// the reconciler's part. A failed edition found with nothing left in
// flight, domain.FailedSettleAfter after it failed, is settled, and its
// deliveries are not read again: failed editions are kept, and reading
// all of theirs every minute grew with each one.
func (db *DB) AbandonLapsed(ctx context.Context) error {
	from, lapsed, _ := domain.DeliveryRule(domain.DeliveryAbandon)
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// The editions before their deliveries, as a batch's record takes
		// them: the other way round, a record of a delivery whose lease
		// ran out would deadlock with this. Only the failed editions with
		// something to abandon are locked (a row lock writes the row, and
		// this runs every few seconds); one that fails, or whose delivery
		// lapses, meanwhile waits for the next run.
		rows, err := tx.Query(ctx, abandonableSQL, domain.EditionFailed, lapsed, from)
		if err != nil {
			return err
		}
		failed, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		settle := func() error {
			_, err := tx.Exec(ctx, settleFailedSQL, domain.FailedSettleAfter, domain.UnfinishedDeliveryStatuses())
			return err
		}
		if len(failed) == 0 {
			return settle()
		}
		_, err = tx.Exec(ctx, `
		WITH s AS (
		    UPDATE deliveries d SET status = $3, reason = $4, lease_until = NULL, updated_at = now()
		    FROM editions e
		    WHERE e.id = ANY($6) AND e.status = $1 AND d.edition_id = e.id
		      AND (d.status = ANY($5) OR (d.status = ANY($2) AND d.lease_until < now()))
		    RETURNING d.edition_id)
		UPDATE editions e SET skipped = e.skipped + c.n
		FROM (SELECT edition_id, count(*) AS n FROM s GROUP BY edition_id) c WHERE e.id = c.edition_id`,
			domain.EditionFailed, lapsed, domain.DeliverySkipped, domain.ReasonEditionFailed, from, failed)
		if err != nil {
			return err
		}
		return settle()
	})
	if err != nil {
		return fmt.Errorf("abandon lapsed deliveries of failed editions: %w", err)
	}
	return nil
}

// abandonableSQL finds the failed editions with deliveries to abandon
// ($2 lapsed when their lease ran out, $3 at once), locking them. A
// settled one (settleFailedSQL) has none, and never will: its deliveries
// are not read. The status is written out, not a parameter, so that the
// plan a prepared statement keeps reads the few unsettled failed
// editions from their partial index, not the editions' table.
var abandonableSQL = `
	SELECT e.id FROM editions e
	WHERE e.status = $1 AND e.status = '` + string(domain.EditionFailed) + `' AND e.settled_at IS NULL AND EXISTS (
	    SELECT 1 FROM deliveries d
	    WHERE d.edition_id = e.id AND (d.status = ANY($3) OR (d.status = ANY($2) AND d.lease_until < now())))
	ORDER BY e.id FOR NO KEY UPDATE OF e`

// settleFailedSQL marks settled the failed editions that failed more
// than $1 ago (domain.FailedSettleAfter) and have nothing pending or
// sending ($2): nothing of theirs can be put back in flight any more.
var settleFailedSQL = `
	UPDATE editions e SET settled_at = now()
	WHERE e.status = '` + string(domain.EditionFailed) + `' AND e.settled_at IS NULL AND e.finished_at < now() - $1::interval
	  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.edition_id = e.id AND d.status = ANY($2))`

// unfinishedSQL is true of an edition (alias e) not finished, in the
// words of the editions_unfinished index's predicate (migration 00062):
// the statuses as literals, which a generic plan can match with it.
var unfinishedSQL = `e.status IN (` + quoted(domain.UnfinishedEditionStatuses()) + `)`

var unfinishedEditionsSQL = `SELECT ` + editionColumns + ` FROM editions e WHERE ` + unfinishedSQL + ` ORDER BY e.id`

// quoted writes strings as SQL literals, comma-separated; they are the
// program's own constants, never input.
func quoted(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return strings.Join(out, ", ")
}

// UnfinishedEditions lists editions not yet done or failed, for the
// reconciler.
func (db *DB) UnfinishedEditions(ctx context.Context) ([]domain.Edition, error) {
	rows, err := db.pool.Query(ctx, unfinishedEditionsSQL)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Edition, error) { return scanEdition(r) })
}
