package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// knownWindow is how long after a "known" notice no other is sent to the
// address, however often it is signed up: a stranger typing someone's
// address into the form again and again sends them one mail an hour.
const knownWindow = time.Hour

// markNoticeDue records a notice as due unless one is due already (and
// not stale) or, with window, one was sent within it. It reports whether
// the caller should queue the notice's task.
func markNoticeDue(ctx context.Context, tx pgx.Tx, id int64, kind string, window time.Duration) (bool, error) {
	rows, err := tx.Exec(ctx, `
		INSERT INTO notices (subscriber_id, kind, due_at) VALUES ($1, $2, now())
		ON CONFLICT (subscriber_id, kind) DO UPDATE SET due_at = now()
		WHERE (notices.due_at IS NULL OR notices.due_at < now() - $3::interval)
		  AND (notices.sent_at IS NULL OR notices.sent_at < now() - $4::interval)`,
		id, kind, confirmDueFor, window)
	if err != nil {
		return false, fmt.Errorf("record %s notice due: %w", kind, err)
	}
	return rows.RowsAffected() == 1, nil
}

// ClaimNotice takes the notice of kind due to an active subscriber, if
// one is, for this caller alone, as ClaimConfirmation does for the
// confirmation mail. A subscriber who has left, bounced, been suppressed
// or erased since it was asked for gets nothing. errs.NotFound means
// there is nothing to send now.
func (db *DB) ClaimNotice(ctx context.Context, id int64, kind string) (domain.NoticeClaim, error) {
	cl := domain.NoticeClaim{Kind: kind}
	s := &cl.Subscriber
	err := db.pool.QueryRow(ctx, `
		UPDATE notices n SET claimed_at = now()
		FROM subscribers
		WHERE n.subscriber_id = $1 AND n.kind = $2 AND subscribers.id = n.subscriber_id
		  AND subscribers.status = $5
		  AND n.due_at IS NOT NULL AND n.due_at > now() - $3::interval
		  AND (n.claimed_at IS NULL OR n.claimed_at < now() - $4::interval)
		RETURNING `+subscriberColumns+`, n.claimed_at`, id, kind, confirmDueFor, confirmWindow, domain.StatusActive,
	).Scan(append(subscriberFields(s), &cl.ClaimedAt)...)
	if err != nil {
		return cl, notFound(err, kind+" notice due")
	}
	return cl, nil
}

// FinishNotice records that a claimed notice went out, or was refused for
// good: it is no longer due. A claim that is no longer this caller's
// changes nothing.
func (db *DB) FinishNotice(ctx context.Context, cl domain.NoticeClaim) error {
	_, err := db.pool.Exec(ctx, `
		UPDATE notices SET sent_at = now(), claimed_at = NULL, due_at = NULL
		WHERE subscriber_id = $1 AND kind = $2 AND claimed_at = $3`, cl.Subscriber.ID, cl.Kind, cl.ClaimedAt)
	if err != nil {
		return fmt.Errorf("finish %s notice: %w", cl.Kind, err)
	}
	return nil
}

// ReleaseNotice gives a claimed notice back after a failure worth
// retrying: it stays due.
func (db *DB) ReleaseNotice(ctx context.Context, cl domain.NoticeClaim) error {
	_, err := db.pool.Exec(ctx, `
		UPDATE notices SET claimed_at = NULL WHERE subscriber_id = $1 AND kind = $2 AND claimed_at = $3`,
		cl.Subscriber.ID, cl.Kind, cl.ClaimedAt)
	if err != nil {
		return fmt.Errorf("release %s notice: %w", cl.Kind, err)
	}
	return nil
}

// UnsentNotices lists notices due for a while that no worker holds: their
// task was lost with Redis or gave up retrying. Asking again is safe, as
// ClaimNotice sends each once.
func (db *DB) UnsentNotices(ctx context.Context) ([]domain.DueNotice, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT n.subscriber_id, n.kind FROM notices n JOIN subscribers s ON s.id = n.subscriber_id
		WHERE n.due_at IS NOT NULL AND s.status = $3
		  AND n.due_at < now() - interval '2 minutes' AND n.due_at > now() - $1::interval
		  AND (n.claimed_at IS NULL OR n.claimed_at < now() - $2::interval)
		ORDER BY n.due_at LIMIT 1000`, confirmDueFor, confirmWindow, domain.StatusActive)
	if err != nil {
		return nil, fmt.Errorf("unsent notices: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[domain.DueNotice])
}
