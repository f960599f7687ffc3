package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// EditionItems returns the items frozen into an edition, newest first,
// leaving out those hidden since.
func (db *DB) EditionItems(ctx context.Context, editionID int64) ([]domain.Item, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT `+itemColumns+` FROM items
		WHERE NOT hidden AND id IN (SELECT item_id FROM edition_items WHERE edition_id = $1)
		ORDER BY published_on DESC, id DESC`, editionID)
	if err != nil {
		return nil, fmt.Errorf("edition items: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Item, error) { return scanItem(r) })
}

// reachingStatuses are those of a delivery that reaches, or will reach,
// its reader: sent, or still to be sent.
func reachingStatuses() []string {
	return append(domain.UnfinishedDeliveryStatuses(), domain.DeliverySent)
}

// ActiveRecipients returns a page of active subscribers with id > after,
// in id order (keyset paging keeps memory flat however long the list).
// A subscriber is Paused if their pause ends after at, the edition's time.
func (db *DB) ActiveRecipients(ctx context.Context, after int64, limit int, earlier []int64, at time.Time) ([]domain.Recipient, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT s.id, s.all_stories, s.countries, s.topics, s.language, s.mode,
		       CASE WHEN cardinality($3::bigint[]) = 0 THEN '{}'::bigint[] ELSE ARRAY(
		           SELECT d.group_id FROM deliveries d
		           WHERE d.subscriber_id = s.id AND d.edition_id = ANY($3) AND d.status = ANY($5)
		           ORDER BY d.group_id) END,
		       s.paused_until IS NOT NULL AND s.paused_until > $4
		FROM subscribers s
		WHERE s.status = $6 AND s.id > $1
		  AND s.frequency IS NULL -- readers with their own schedule get slots (slots.go)
		ORDER BY s.id LIMIT $2`, after, limit, earlier, at, reachingStatuses(), domain.StatusActive)
	if err != nil {
		return nil, fmt.Errorf("active subscribers: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Recipient, error) {
		var rc domain.Recipient
		err := r.Scan(&rc.ID, &rc.Filter.All, &rc.Filter.Countries, &rc.Filter.Topics, &rc.Filter.Language, &rc.Filter.Mode,
			&rc.Received, &rc.Paused)
		return rc, err
	})
}

// upsertDeliveries writes an edition's delivery rows with COPY into a
// temporary table. Rows that exist already (a compile run twice) are kept
// as they are.
func (db *DB) upsertDeliveries(ctx context.Context, editionID int64, rows []domain.NewDelivery) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE new_deliveries (subscriber_id bigint, group_id bigint, reason text) ON COMMIT DROP`); err != nil {
			return err
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"new_deliveries"}, []string{"subscriber_id", "group_id", "reason"},
			pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
				var g any
				if rows[i].GroupID != 0 {
					g = rows[i].GroupID
				}
				return []any{rows[i].SubscriberID, g, rows[i].SkipReason}, nil
			}))
		if err != nil {
			return fmt.Errorf("copy deliveries: %w", err)
		}
		// Written (domain.DeliveryWrite) pending with a digest, skipped
		// without one. Rows written after an editor cancelled the edition
		// are skipped at once; any that slip in meanwhile are settled by
		// SettleCancelled.
		_, err = tx.Exec(ctx, `
			WITH e AS (SELECT reason = $4 AS cancelled FROM editions WHERE id = $1)
			INSERT INTO deliveries (edition_id, subscriber_id, group_id, status, reason)
			SELECT $1, subscriber_id, group_id,
			       CASE WHEN group_id IS NULL OR e.cancelled THEN $3 ELSE $2 END,
			       CASE WHEN group_id IS NULL THEN COALESCE(NULLIF(reason, ''), 'nothing matched')
			            WHEN e.cancelled THEN $4 ELSE '' END
			FROM new_deliveries, e
			-- Ids follow groups, so a send batch holds few distinct digests.
			ORDER BY group_id NULLS FIRST, subscriber_id
			ON CONFLICT (edition_id, subscriber_id) DO NOTHING`,
			editionID, domain.DeliveryPending, domain.DeliverySkipped, domain.ReasonCancelled)
		if err != nil {
			return fmt.Errorf("insert deliveries: %w", err)
		}
		return nil
	})
}

// SetEditionTotal records how many deliveries an edition has, and how many
// of them were skipped at compile (nothing matched).
//
// Batches may be sending already, and a send that skips a delivery adds
// it to skipped: the edition's row is locked before counting (as a
// send's record locks it), so the count sees every such record that came
// before, and those after add to it.
func (db *DB) SetEditionTotal(ctx context.Context, editionID int64) (int, error) {
	var total int
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM editions WHERE id = $1 FOR NO KEY UPDATE`, editionID); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `
			UPDATE editions e SET total = c.total, skipped = c.skipped
			FROM (SELECT count(*) AS total, count(*) FILTER (WHERE status = $2) AS skipped
			      FROM deliveries WHERE edition_id = $1) c
			WHERE e.id = $1 RETURNING e.total`, editionID, domain.DeliverySkipped).Scan(&total)
	})
	return total, err
}

// SendBatches splits an edition's deliveries that have something to send
// into batches of size rows, and returns the batches that still hold
// unfinished work. The split depends only on rows that never change after
// compile, so it is the same every time it is computed: the reconciler
// finds the very batches (and task ids) the compiler made. With onlyIdle
// it leaves out batches whose unfinished deliveries are all leased: only
// those a sender could claim now count (domain.DeliveryClaim).
func (db *DB) SendBatches(ctx context.Context, editionID int64, size int, onlyIdle bool) ([]domain.IDRange, error) {
	from, lapsed, _ := domain.DeliveryRule(domain.DeliveryClaim)
	rows, err := db.pool.Query(ctx, `
		SELECT min(id), max(id) FROM (
		    SELECT id, status, lease_until, (row_number() OVER (ORDER BY id) - 1) / $2 AS batch
		    FROM deliveries WHERE edition_id = $1 AND group_id IS NOT NULL
		) b GROUP BY batch
		HAVING bool_or(status = ANY($4) OR (status = ANY($5) AND (NOT $3 OR lease_until < now())))
		ORDER BY 1`, editionID, size, onlyIdle, from, lapsed)
	if err != nil {
		return nil, fmt.Errorf("delivery batches: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.IDRange, error) {
		var b domain.IDRange
		err := r.Scan(&b.First, &b.Last)
		return b, err
	})
}

// claimSQL claims a batch's deliveries (ClaimDeliveries). It runs once
// per batch, so it must cost the same whatever the edition's size.
var claimSQL = `
	WITH claimed AS (
	    UPDATE deliveries SET status = $7, lease_until = now() + $4::interval,
	           attempts = attempts + 1, updated_at = now()
	    WHERE id IN (
	        -- deliveries_edition finds the batch by edition and range
	        -- of ids, the same few pages however large the edition.
	        SELECT id FROM deliveries
	        WHERE edition_id = $1 AND id BETWEEN $2 AND $3
	          AND (status = ANY($5) OR (status = ANY($6) AND lease_until < now()))
	          AND NOT EXISTS (SELECT 1 FROM editions WHERE id = $1 AND (reason = $8 OR status = ANY($10)))
	        ORDER BY id FOR UPDATE SKIP LOCKED)
	    RETURNING id, subscriber_id, group_id)
	-- A delivery whose subscriber is gone (deleted while the compile
	-- wrote it: see migration 00042) is claimed as not active, and skipped.
	SELECT c.id, c.group_id, COALESCE(s.email, ''), COALESCE(s.token, ''), COALESCE(s.status = $9, false),
	       COALESCE(s.frequency, ''), COALESCE(s.timezone, '')
	FROM claimed c LEFT JOIN subscribers s ON s.id = c.subscriber_id
	ORDER BY c.id`

// ClaimDeliveries takes the unfinished deliveries of one batch whose lease
// is free (domain.DeliveryClaim), marking them sending until lease runs
// out: a worker that dies mid-batch leaves them to be claimed again after
// that. A cancelled, paused or failed edition's deliveries are never
// claimed (batches are sent while the edition compiles; a compile that
// fails for good stops them).
func (db *DB) ClaimDeliveries(ctx context.Context, editionID int64, r domain.IDRange, lease time.Duration) ([]domain.ClaimedDelivery, error) {
	from, lapsed, _ := domain.DeliveryRule(domain.DeliveryClaim)
	rows, err := db.pool.Query(ctx, claimSQL, editionID, r.First, r.Last, lease, from, lapsed, domain.DeliverySending, domain.ReasonCancelled, domain.StatusActive,
		[]string{string(domain.EditionPaused), string(domain.EditionFailed)})
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.ClaimedDelivery, error) {
		var c domain.ClaimedDelivery
		err := r.Scan(&c.ID, &c.GroupID, &c.Email, &c.Token, &c.Active, &c.Frequency, &c.Timezone)
		return c, err
	})
}

// RecordOutcomes writes the outcome of some attempts in one statement
// (domain.DeliveryRecord), and counts them into the edition's progress.
// Only deliveries still sending change, so an outcome recorded twice
// counts once. A hard bounce counts against the address; bounceLimit of
// them mark the subscriber bounced (domain.SubscriberBounce), and nothing
// is sent to them again.
func (db *DB) RecordOutcomes(ctx context.Context, outcomes []domain.DeliveryOutcome, bounceLimit int) error {
	if len(outcomes) == 0 {
		return nil
	}
	ids := make([]int64, len(outcomes))
	statuses := make([]string, len(outcomes))
	errors := make([]string, len(outcomes))
	bounces := make([]bool, len(outcomes))
	reasons := make([]string, len(outcomes))
	failures := make([]string, len(outcomes))
	for i, o := range outcomes {
		if o.Status != domain.DeliveryFailed {
			o.Failure = ""
		}
		// Whatever the attempt, its outcome must be one the lifecycle
		// allows an attempt to end in.
		if err := domain.CheckDelivery(domain.DeliveryState{Status: domain.DeliverySending}, domain.DeliveryRecord,
			domain.DeliveryState{Status: o.Status, Failure: o.Failure}); err != nil {
			return fmt.Errorf("record the outcome of delivery %d: %w", o.ID, err)
		}
		ids[i], statuses[i], errors[i], bounces[i], reasons[i] = o.ID, string(o.Status), truncate(o.Error, 1000), o.HardBounce, o.Reason
		failures[i] = string(o.Failure)
	}
	from, _, _ := domain.DeliveryRule(domain.DeliveryRecord)
	bounceFrom := domain.SubscriberFrom(domain.SubscriberBounce)
	bounced, _ := domain.SubscriberTo(domain.StatusActive, domain.SubscriberBounce)
	// The commit does not wait for the disk: if Postgres itself crashed in
	// the next moment, the messages whose record was lost would be sent again
	// (a bounded few); waiting for an fsync per record would slow every send.
	//
	// The three statements go in one round trip (a batch in the
	// transaction): a record is written every few messages, and it holds
	// the edition's row, which every other record waits for, until its
	// commit.
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(`SET LOCAL synchronous_commit = off`)
		// The edition's row is locked before its deliveries', the order in
		// which cancelling and retrying take them: the other way round, a
		// cancel settling a delivery whose lease ran out while its outcome
		// was being written would deadlock with this. NO KEY UPDATE: the
		// compile writing digests meanwhile (batches go out while it
		// runs) takes the edition's row FOR KEY SHARE for their foreign
		// key, and must not wait for every record.
		b.Queue(`
			SELECT 1 FROM editions WHERE id IN (SELECT edition_id FROM deliveries WHERE id = ANY($1))
			ORDER BY id FOR NO KEY UPDATE`, ids)
		args := []any{ids, statuses, errors, bounces, reasons, failures, from,
			domain.DeliverySent, domain.DeliveryFailed, domain.DeliverySkipped}
		if slices.Contains(bounces, true) {
			b.Queue(recordSQL+recordBouncesSQL, append(args, bounceLimit, bounceFrom, string(bounced))...)
		} else {
			b.Queue(recordSQL+recordProgressSQL, args...)
		}
		// A reader erased while their digest was out: the server's reply
		// (which may quote their address) is not kept. A statement of its
		// own, so that it sees an erasure the record waited for; only
		// when there is a reply, which messages sent have not.
		if !slices.ContainsFunc(errors, func(e string) bool { return e != "" }) {
			return tx.SendBatch(ctx, b).Close()
		}
		b.Queue(`
			UPDATE deliveries d SET last_error = '' FROM subscribers s
			WHERE d.id = ANY($1) AND d.last_error <> '' AND s.id = d.subscriber_id AND s.status = $2`,
			ids, domain.StatusErased)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("record delivery outcomes: %w", err)
	}
	return nil
}

// recordSQL writes a record's outcomes (RecordOutcomes) and counts them
// into the edition's progress; recordBouncesSQL or recordProgressSQL ends
// it.
const recordSQL = `
	WITH o AS (
	    SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bool[], $5::text[], $6::text[])
	        AS o(id, status, error, bounce, reason, failure)
	), u AS (
	    UPDATE deliveries d SET status = o.status, last_error = o.error, reason = o.reason, failure = o.failure,
	           lease_until = NULL, updated_at = now(),
	           sent_at = CASE WHEN o.status = $8 THEN now() ELSE d.sent_at END
	    FROM o WHERE d.id = o.id AND d.status = ANY($7)
	    RETURNING d.edition_id, d.subscriber_id, d.status, o.bounce
	), c AS (
	    SELECT edition_id,
	           count(*) FILTER (WHERE status = $8) AS sent,
	           count(*) FILTER (WHERE status = $9) AS failed,
	           count(*) FILTER (WHERE status = $10) AS skipped
	    FROM u GROUP BY edition_id
	)`

// recordBouncesSQL ends recordSQL for outcomes with a hard bounce among
// them, which counts against the address (bounceRun, worked out once).
var recordBouncesSQL = `, progress AS (
	    UPDATE editions e SET sent = e.sent + c.sent, failed = e.failed + c.failed, skipped = e.skipped + c.skipped
	    FROM c WHERE e.id = c.edition_id
	)
	UPDATE subscribers s SET hard_bounces = r.run, updated_at = now(),
	       last_bounce_at = GREATEST(s.last_bounce_at, now()),
	       status = CASE WHEN r.run >= $11 AND s.status = ANY($12) THEN $13 ELSE s.status END
	FROM (SELECT b.id, ` + bounceRun("now()") + ` AS run FROM subscribers b
	      WHERE b.id IN (SELECT subscriber_id FROM u WHERE u.bounce)) r
	WHERE s.id = r.id`

// recordProgressSQL ends recordSQL for outcomes without a hard bounce,
// nearly all of them. It leaves the subscribers table out of the
// statement: an UPDATE of it, even of no row, runs its statement trigger
// (the tallies, migration 00027), a plpgsql query for every record.
const recordProgressSQL = `
	UPDATE editions e SET sent = e.sent + c.sent, failed = e.failed + c.failed, skipped = e.skipped + c.skipped
	FROM c WHERE e.id = c.edition_id`

// ExtendLease keeps claimed deliveries leased while their batch is still
// being sent, so a slow batch is not taken over by another worker.
func (db *DB) ExtendLease(ctx context.Context, ids []int64, lease time.Duration) error {
	_, err := db.pool.Exec(ctx, `
		UPDATE deliveries SET lease_until = now() + $2::interval
		WHERE id = ANY($1) AND status = $3`, ids, lease, domain.DeliverySending)
	if err != nil {
		return fmt.Errorf("extend lease: %w", err)
	}
	return nil
}

// finishSQL finishes an edition none of whose deliveries is unfinished
// (FinishEditionIfComplete). It runs at the end of the compile, at every
// reconcile and when the sender's counts say the edition is done. It
// reads the edition's deliveries in order (deliveries_edition) until it
// meets one with no outcome marked: at once while most are unsent, all of
// them once, at the end.
var finishSQL = `
	UPDATE editions SET status = CASE WHEN reason = $5 THEN $4 ELSE $3 END, finished_at = now()
	WHERE id = $1 AND status = ANY($2) AND NOT EXISTS (
	    SELECT 1 FROM deliveries WHERE edition_id = $1 AND status = ANY($6))`

// The predicates of the deliveries' partial indexes (migration 00044),
// which a query must say in so many words for the planner to use them.
// They name the marks of an outcome, never status, so that claiming a
// delivery, giving it back or renewing its lease rewrites no index
// entry; the table's constraints keep each mark in step with its status.
// No index holds the unfinished ones (00045): recording a delivery sent
// would take it out of that index, and so write an entry in every other;
// queries about them say status.
const (
	// failedSQL: failed (deliveries_failed, deliveries_failed_kind).
	failedSQL = `failure <> ''`
	// skippedSQL: skipped (deliveries_skipped).
	skippedSQL = `reason <> ''`
	// reportedSQL: something came back after the send (deliveries_reported).
	reportedSQL = `bounce_kind <> ''`
)

// FinishEditionIfComplete records that a sending edition finished
// (domain.EditionFinish) once none of its deliveries is unfinished, or,
// when an editor cancelled it, that it settled (domain.EditionSettle); it
// reports whether it did either.
func (db *DB) FinishEditionIfComplete(ctx context.Context, editionID int64) (bool, error) {
	from, _, finished := domain.EditionRule(domain.EditionFinish)
	_, _, settled := domain.EditionRule(domain.EditionSettle)
	tag, err := db.pool.Exec(ctx, finishSQL, editionID, from, finished, settled, domain.ReasonCancelled,
		domain.UnfinishedDeliveryStatuses())
	if err != nil {
		return false, fmt.Errorf("finish edition: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// FinishEditionIfCounted is FinishEditionIfComplete for the end of each
// batch: it looks first at the edition's progress counts, and only when
// they say every delivery is done (or an editor cancelled it) does it
// check the deliveries. Checking them after every batch would read the
// ones sent so far each time. Should the counts ever fall short, the
// reconciler's exact check finishes the edition.
func (db *DB) FinishEditionIfCounted(ctx context.Context, editionID int64) (bool, error) {
	var done bool
	err := db.pool.QueryRow(ctx, `
		SELECT reason = $2 OR (total > 0 AND sent + failed + skipped >= total) FROM editions WHERE id = $1`,
		editionID, domain.ReasonCancelled).Scan(&done)
	if err != nil {
		return false, notFound(err, "edition")
	}
	if !done {
		return false, nil
	}
	return db.FinishEditionIfComplete(ctx, editionID)
}
