package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// SubscriberNoticeBounces lists what came back about the one-off mails to
// a subscriber (RecordNoticeBounce), the latest first, at most limit.
func (db *DB) SubscriberNoticeBounces(ctx context.Context, subscriberID int64, limit int) ([]domain.BounceRecord, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT kind, code, diagnostic, received_at FROM notice_bounce_reports
		WHERE subscriber_id = $1 ORDER BY received_at DESC, report_id LIMIT $2`, subscriberID, limit)
	if err != nil {
		return nil, fmt.Errorf("subscriber notice bounces: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.BounceRecord, error) {
		var b domain.BounceRecord
		err := r.Scan(&b.Kind, &b.Code, &b.Diagnostic, &b.At)
		return b, err
	})
}

// RecordNoticeBounce records a bounce or complaint that came back about a
// one-off mail to a subscriber (a confirmation, a notice), once, as
// RecordBounce does for a delivery: a hard bounce bounces the address at
// once (a pending one too: no more confirmations go to it), a soft one
// counts toward bounceLimit, a complaint marks them complained. As for a
// delivery, one message is one failure however often it is reported: a
// soft report with the MessageKey of a failure recorded before is kept
// and counts for nothing more. A report about a subscriber since erased
// is kept without the server's words. errs.NotFound when the subscriber
// is not stored (a sign-up purged).
func (db *DB) RecordNoticeBounce(ctx context.Context, subscriberID int64, r domain.BounceReport, bounceLimit int) (domain.BounceOutcome, error) {
	out := domain.BounceOutcome{SubscriberID: subscriberID}
	if !domain.IsBounceKind(r.Kind) {
		return out, fmt.Errorf("record notice bounce: kind %q: want one of %v", r.Kind, domain.BounceKinds)
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var status string
		err := tx.QueryRow(ctx, `SELECT status, hard_bounces FROM subscribers WHERE id = $1 FOR UPDATE`, subscriberID).
			Scan(&status, &out.HardBounces)
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.New(errs.NotFound, "subscriber %d not found", subscriberID)
		}
		if err != nil {
			return err
		}
		// A notice's VERP address names its subscriber, not the message:
		// whether this message failed before is read from its key, before
		// this report goes in (the subscriber's lock keeps two reports
		// of it from both finding nothing).
		failedBefore := false
		if r.MessageKey != "" {
			err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM notice_bounce_reports
				WHERE subscriber_id = $1 AND message_key = $2 AND kind = ANY($3))`,
				subscriberID, r.MessageKey, []string{domain.BounceHard, domain.BounceSoft}).Scan(&failedBefore)
			if err != nil {
				return err
			}
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO notice_bounce_reports (subscriber_id, kind, report_id, source, code, diagnostic, message_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
			subscriberID, r.Kind, r.ReportID, r.Source, r.Code, diagnosticFor(domain.SubscriberStatus(status), r.Diagnostic),
			r.MessageKey)
		if err != nil {
			return err
		}
		out.Before, out.After = domain.SubscriberStatus(status), domain.SubscriberStatus(status)
		if tag.RowsAffected() == 0 {
			out.Duplicate = true
			return nil
		}
		// One mail that failed is one failure, however many channels say
		// so (with SES, its notice and the bounce it forwards), as for a
		// digest (RecordBounce).
		if r.Kind == domain.BounceSoft && failedBefore {
			return nil
		}
		// A notice's send time is not kept: the report's stands for it.
		return applyBounce(ctx, tx, &out, r.Kind, bounceLimit, reportTime(r.At))
	})
	if err != nil {
		return out, fmt.Errorf("record bounce of a notice to subscriber %d: %w", subscriberID, err)
	}
	return out, nil
}
