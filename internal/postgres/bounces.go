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

// RecordBounce records a bounce or complaint that came back about a
// delivery after it left, once: a report already recorded (the same
// delivery, kind and report id) changes nothing and comes back with
// Duplicate set. The delivery keeps what came back (a complaint is not
// overwritten by a later bounce); the subscriber moves as the report
// says (domain.SubscriberBounce at once for a hard bounce, or once their
// count reaches bounceLimit for a soft one; domain.SubscriberComplain for
// a complaint; nothing for a blocked one), if their lifecycle allows it
// from where they are.
// A report about a reader since erased is recorded without the server's
// words. errs.NotFound when the delivery is not stored.
func (db *DB) RecordBounce(ctx context.Context, r domain.BounceReport, bounceLimit int) (domain.BounceOutcome, error) {
	var out domain.BounceOutcome
	if !domain.IsBounceKind(r.Kind) {
		return out, fmt.Errorf("record bounce: kind %q: want one of %v", r.Kind, domain.BounceKinds)
	}
	at := reportTime(r.At)
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var sentAt *time.Time
		err := tx.QueryRow(ctx, `SELECT edition_id, subscriber_id, sent_at FROM deliveries WHERE id = $1`, r.DeliveryID).
			Scan(&out.EditionID, &out.SubscriberID, &sentAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.New(errs.NotFound, "delivery %d not found", r.DeliveryID)
		}
		if err != nil {
			return err
		}
		// The edition, then the delivery, then the subscriber: the order
		// every writer of them takes.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM editions WHERE id = $1 FOR UPDATE`, out.EditionID); err != nil {
			return err
		}
		// What came back about it before this report, read under the
		// lock: two reports at once must not both find nothing.
		var reported, deliveryStatus string
		if err := tx.QueryRow(ctx, `SELECT bounce_kind, status FROM deliveries WHERE id = $1 FOR UPDATE`, r.DeliveryID).
			Scan(&reported, &deliveryStatus); err != nil {
			return err
		}
		if err := reportedSent(ctx, tx, out.EditionID, r.DeliveryID, domain.DeliveryStatus(deliveryStatus), at); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO bounce_reports (delivery_id, kind, report_id, source) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, r.DeliveryID, r.Kind, r.ReportID, r.Source)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			out.Duplicate = true
			return nil
		}
		var status string
		if err := tx.QueryRow(ctx, `SELECT status, hard_bounces FROM subscribers WHERE id = $1 FOR UPDATE`,
			out.SubscriberID).Scan(&status, &out.HardBounces); err != nil {
			return err
		}
		out.Before = domain.SubscriberStatus(status)
		if _, err := tx.Exec(ctx, `
			UPDATE deliveries SET bounce_kind = $2, bounce_code = $3, bounce_diagnostic = $4, bounce_source = $5,
			       bounced_at = $6, updated_at = now()
			WHERE id = $1 AND (bounce_kind <> $7 OR $2 = $7)`,
			r.DeliveryID, r.Kind, r.Code, diagnosticFor(out.Before, r.Diagnostic), r.Source, at, domain.BounceComplaint); err != nil {
			return err
		}
		if sentAt == nil {
			sentAt = &at // a report about a delivery never recorded sent
		}
		// One digest that failed is one failure, however many servers on
		// its way say so: a second soft report about a delivery already
		// reported as failed does not add to the run.
		if r.Kind == domain.BounceSoft && (reported == domain.BounceSoft || reported == domain.BounceHard) {
			out.After = out.Before
			return nil
		}
		err = applyBounce(ctx, tx, &out, r.Kind, bounceLimit, *sentAt)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("record bounce of delivery %d: %w", r.DeliveryID, err)
	}
	return out, nil
}

// reportedSent records a delivery still sending as sent, at the
// report's time, when a report comes back about it (domain.DeliveryReported),
// and counts it into its edition's progress (whose row the caller holds).
// Its worker died after sending and before recording it, or is about to
// record it: the first case would otherwise leave it to whoever claims it
// once its lease lapses, and they would send it again; the second records
// nothing more, as only deliveries still sending take an outcome.
func reportedSent(ctx context.Context, tx pgx.Tx, editionID, deliveryID int64, status domain.DeliveryStatus, at time.Time) error {
	sent := domain.DeliveryState{Status: domain.DeliverySent}
	if domain.CheckDelivery(domain.DeliveryState{Status: status}, domain.DeliveryReported, sent) != nil {
		return nil // recorded already, or never sent: nothing to correct
	}
	_, err := tx.Exec(ctx, `
		WITH d AS (
		    UPDATE deliveries SET status = $3, sent_at = $4, lease_until = NULL, updated_at = now()
		    WHERE id = $2 AND status = $5 RETURNING 1)
		UPDATE editions SET sent = sent + (SELECT count(*) FROM d) WHERE id = $1`,
		editionID, deliveryID, domain.DeliverySent, at, domain.DeliverySending)
	return err
}

// diagnosticFor is what is kept of a remote server's words about a
// subscriber's mail: nothing when they have been erased, since the words
// often quote the address (EraseSubscriber blanks those kept before).
func diagnosticFor(status domain.SubscriberStatus, diagnostic string) string {
	if status == domain.StatusErased {
		return ""
	}
	return truncate(diagnostic, 1000)
}

// reportTime is when a report says its failure or complaint happened,
// or now when it does not say, or says a time still to come: the date
// comes from the reporting server's clock, which may be years off, and a
// time to come would pin the delivery at the top of the console's list
// and, for a notice, carry the reader's run of failures past every
// digest that goes through (bounceRun).
func reportTime(at time.Time) time.Time {
	now := time.Now()
	if at.IsZero() || at.After(now) {
		return now
	}
	return at
}

// healthSQL counts an edition's outcomes for EditionHealth. It runs once
// a second while the edition sends, so each count reads only the failed
// or reported deliveries, through the partial indexes whose predicates it
// repeats: a prepared statement's generic plan could not tell from the
// parameters alone, and would read every delivery of the edition. It
// names a failure by its mark alone, as the console's counts do
// (failureCountsSQL), so the first count reads nothing but its index.
var healthSQL = `
	SELECT e.sent + (SELECT count(*) FROM deliveries WHERE edition_id = e.id AND ` + failedSQL + ` AND failure = $2),
	       (SELECT count(*) FROM deliveries WHERE edition_id = e.id
	            AND ((` + failedSQL + ` AND failure = $2) OR (` + reportedSQL + ` AND bounce_kind = ANY($3)))),
	       (SELECT count(*) FROM deliveries WHERE edition_id = e.id AND ` + reportedSQL + ` AND bounce_kind = $4),
	       e.auto_pause
	FROM editions e WHERE e.id = $1`

// EditionHealth counts what came back of an edition so far: messages
// tried (sent, or refused for good), deliveries bounced (refused for good
// at the send, or bounced after it) and complained of, each delivery
// once. It also says whether the edition may still pause itself.
func (db *DB) EditionHealth(ctx context.Context, editionID int64) (h domain.EditionHealth, autoPause bool, err error) {
	err = db.pool.QueryRow(ctx, healthSQL, editionID, domain.FailurePermanent,
		[]string{domain.BounceHard, domain.BounceSoft, domain.BounceBlocked}, domain.BounceComplaint).
		Scan(&h.Tried, &h.Bounces, &h.Complaints, &autoPause)
	if err != nil {
		return h, false, fmt.Errorf("edition %d health: %w", editionID, notFound(err, "edition"))
	}
	return h, autoPause, nil
}

// PauseEdition records that an edition paused itself (domain.EditionPause,
// checked and changed in one statement), with why, unless an editor
// resumed it before (auto_pause off); it reports whether it did. Several
// workers may decide it at once: one records it.
func (db *DB) PauseEdition(ctx context.Context, id int64, note domain.EditionPauseNote) (bool, error) {
	from, cancelled, to := domain.EditionRule(domain.EditionPause)
	tag, err := db.pool.Exec(ctx, `
		UPDATE editions SET status = $3, pause_cause = $5, pause_count = $6, pause_of = $7, paused_at = now()
		WHERE id = $1 AND status = ANY($2) AND (reason = $8) = $4 AND auto_pause`,
		id, from, to, cancelled, note.Cause, note.Count, note.Of, domain.ReasonCancelled)
	if err != nil {
		return false, fmt.Errorf("pause edition %d: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// ResumeEdition records that an editor let a paused edition send again
// (domain.EditionResume); it will not pause itself again. errs.Conflict,
// saying why, when its lifecycle refuses it.
func (db *DB) ResumeEdition(ctx context.Context, id int64) error {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		state, err := lockEdition(ctx, tx, id)
		if err != nil {
			return err
		}
		next, err := domain.NextEdition(id, state, domain.EditionResume)
		if err != nil {
			return err
		}
		// The time it waited for the editor is not sending time: its
		// round's rate leaves it out.
		_, err = tx.Exec(ctx, `
			UPDATE editions SET status = $2, auto_pause = false,
			       paused_seconds = paused_seconds + CASE WHEN paused_at IS NULL THEN 0
			                        ELSE GREATEST(0, extract(epoch FROM now() - paused_at)) END
			WHERE id = $1`, id, string(next.Status))
		return err
	})
	if err != nil {
		return fmt.Errorf("resume edition %d: %w", id, err)
	}
	return nil
}

// DeliveryReports lists the deliveries of an edition that something came
// back about after they left, the latest first.
func (db *DB) DeliveryReports(ctx context.Context, editionID int64, limit int) ([]domain.DeliveryReport, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT d.id, d.subscriber_id, s.email, d.bounce_kind, d.bounce_code, d.bounce_diagnostic, d.bounce_source,
		       COALESCE(d.bounced_at, d.updated_at)
		FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
		WHERE d.edition_id = $1 AND d.bounce_kind <> ''
		ORDER BY d.bounced_at DESC NULLS LAST, d.id DESC LIMIT $2`, editionID, limit)
	if err != nil {
		return nil, fmt.Errorf("delivery reports: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.DeliveryReport, error) {
		var d domain.DeliveryReport
		err := r.Scan(&d.DeliveryID, &d.SubscriberID, &d.Email, &d.Kind, &d.Code, &d.Diagnostic, &d.Source, &d.At)
		return d, err
	})
}

// applyBounce moves the subscriber of out (read FOR UPDATE into
// out.Before and out.HardBounces) as a report of kind, about a message
// sent at sentAt, does: a hard bounce at once, soft ones at bounceLimit
// in a row (bounceRun), a complaint at once; the same for a digest and a
// one-off mail. A blocked report leaves the reader as they were: it
// neither adds to their run (the sender was refused, not the address)
// nor ends it (nothing went through).
func applyBounce(ctx context.Context, tx pgx.Tx, out *domain.BounceOutcome, kind string, bounceLimit int, sentAt time.Time) error {
	out.After = out.Before
	if kind == domain.BounceBlocked {
		return nil
	}
	var ev domain.SubscriberEvent
	switch kind {
	case domain.BounceHard:
		ev = domain.SubscriberBounce
	case domain.BounceSoft:
		err := tx.QueryRow(ctx, `SELECT `+bounceRun("$2")+` FROM subscribers b WHERE b.id = $1`, out.SubscriberID, sentAt).
			Scan(&out.HardBounces)
		if err != nil {
			return err
		}
		if out.HardBounces >= bounceLimit {
			ev = domain.SubscriberBounce
		}
	case domain.BounceComplaint:
		ev = domain.SubscriberComplain
	}
	if ev != "" {
		if to, ok := domain.SubscriberTo(out.Before, ev); ok {
			out.After = to
		}
	}
	_, err := tx.Exec(ctx, `UPDATE subscribers SET status = $2, hard_bounces = $3, updated_at = now(),
		last_bounce_at = CASE WHEN $5 THEN GREATEST(last_bounce_at, $4) ELSE last_bounce_at END WHERE id = $1`,
		out.SubscriberID, string(out.After), out.HardBounces, sentAt, kind == domain.BounceSoft)
	return err
}

// bounceRun is the count of failures in a row that one more, of a message
// sent at sentAt, brings the subscriber (alias b) to: their run so far
// and this one, or this one alone when a digest sent between the last
// message that counted and this one went through with nothing come back
// (from the deliveries_subscriber index).
func bounceRun(sentAt string) string {
	return `(CASE WHEN EXISTS (
	    SELECT 1 FROM deliveries c WHERE c.subscriber_id = b.id AND c.status = '` + domain.DeliverySent + `'
	      AND c.bounce_kind = '' AND c.sent_at > COALESCE(b.last_bounce_at, '-infinity') AND c.sent_at < ` + sentAt + `)
	  THEN 1 ELSE b.hard_bounces + 1 END)`
}
