package postgres

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// exportWindow is how long after one export link mail no other is sent,
// however often the preferences page asks: whoever holds someone's
// preferences link cannot flood their inbox with it.
const exportWindow = 10 * time.Minute

// RequestExport records that the subscriber a preferences token belongs to
// asked for a copy of their data, and says whether the link's mail should
// be queued. An unknown or erased token is errs.NotFound.
func (db *DB) RequestExport(ctx context.Context, tok string) (domain.ExportRequest, error) {
	var r domain.ExportRequest
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var err error
		r.Subscriber, err = scanSubscriber(tx.QueryRow(ctx, `SELECT `+subscriberColumns+` FROM subscribers
			WHERE token = $1 AND status <> $2 FOR UPDATE`, tok, domain.StatusErased))
		if err != nil {
			return notFound(err, "subscriber")
		}
		if !domain.Mailable(r.Subscriber.Status) {
			r.Unmailable = true
			return nil
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO export_links (subscriber_id, due_at) VALUES ($1, now())
			ON CONFLICT (subscriber_id) DO UPDATE SET due_at = now()
			WHERE (export_links.due_at IS NULL OR export_links.due_at < now() - $2::interval)
			  AND (export_links.sent_at IS NULL OR export_links.sent_at < now() - $3::interval)`,
			r.Subscriber.ID, confirmDueFor, exportWindow)
		if err != nil {
			return fmt.Errorf("record export request: %w", err)
		}
		r.Queue = tag.RowsAffected() == 1
		return nil
	})
	return r, err
}

// ClaimExport takes the export link mail due to a subscriber, if one is,
// for this caller alone, and stores the hash of tok as the link (any
// earlier link stops working). errs.NotFound means nothing is due, or the
// person can no longer be mailed.
func (db *DB) ClaimExport(ctx context.Context, id int64, tok string) (domain.ExportClaim, error) {
	cl := domain.ExportClaim{Token: tok}
	s := &cl.Subscriber
	h := sha256.Sum256([]byte(tok))
	err := db.pool.QueryRow(ctx, `
		UPDATE export_links x SET claimed_at = now(), token_hash = $4, expires_at = now() + $5::interval
		FROM subscribers
		WHERE x.subscriber_id = $1 AND subscribers.id = x.subscriber_id
		  AND subscribers.status = ANY($6)
		  AND x.due_at IS NOT NULL AND x.due_at > now() - $2::interval
		  AND (x.claimed_at IS NULL OR x.claimed_at < now() - $3::interval)
		RETURNING `+subscriberColumns+`, x.claimed_at, x.expires_at`,
		id, confirmDueFor, confirmWindow, h[:], domain.ExportLinkTTL, domain.MailableStatuses,
	).Scan(append(subscriberFields(s), &cl.ClaimedAt, &cl.ExpiresAt)...)
	if err != nil {
		return cl, notFound(err, "export link due")
	}
	return cl, nil
}

// FinishExport records that a claimed link went out, or never can: it is
// no longer due, and the window starts.
func (db *DB) FinishExport(ctx context.Context, cl domain.ExportClaim) error {
	_, err := db.pool.Exec(ctx, `
		UPDATE export_links SET sent_at = now(), claimed_at = NULL, due_at = NULL
		WHERE subscriber_id = $1 AND claimed_at = $2`, cl.Subscriber.ID, cl.ClaimedAt)
	if err != nil {
		return fmt.Errorf("finish export link: %w", err)
	}
	return nil
}

// ReleaseExport gives a claimed link mail back after a failure worth
// retrying: it stays due, and its link is withdrawn (the retry mails a
// new one).
func (db *DB) ReleaseExport(ctx context.Context, cl domain.ExportClaim) error {
	_, err := db.pool.Exec(ctx, `
		UPDATE export_links SET claimed_at = NULL, token_hash = NULL, expires_at = NULL
		WHERE subscriber_id = $1 AND claimed_at = $2`, cl.Subscriber.ID, cl.ClaimedAt)
	if err != nil {
		return fmt.Errorf("release export link: %w", err)
	}
	return nil
}

// SubscriberByExportLink finds the subscriber a live export link belongs
// to, without spending it: the page the link opens asks for a press of
// its button first, so that a mail scanner fetching the link spends
// nothing. An unknown, used or expired link is errs.NotFound.
func (db *DB) SubscriberByExportLink(ctx context.Context, tok string) (domain.Subscriber, error) {
	h := sha256.Sum256([]byte(tok))
	s, err := scanSubscriber(db.pool.QueryRow(ctx, `SELECT `+subscriberColumns+` FROM subscribers
		WHERE id = (SELECT subscriber_id FROM export_links WHERE token_hash = $1 AND expires_at > now()) AND status <> $2`,
		h[:], domain.StatusErased))
	if errors.Is(err, pgx.ErrNoRows) {
		return s, errs.New(errs.NotFound, "export link not found")
	}
	return s, err
}

// UseExportLink spends a mailed export link: the first request with a
// live link gets its subscriber's id, and the link never works again.
// An unknown, used or expired link is errs.NotFound.
func (db *DB) UseExportLink(ctx context.Context, tok string) (int64, error) {
	h := sha256.Sum256([]byte(tok))
	var id int64
	err := db.pool.QueryRow(ctx, `
		UPDATE export_links x SET token_hash = NULL, expires_at = NULL
		FROM subscribers s
		WHERE x.token_hash = $1 AND x.expires_at > now() AND s.id = x.subscriber_id AND s.status <> $2
		RETURNING x.subscriber_id`, h[:], domain.StatusErased).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, errs.New(errs.NotFound, "export link not found")
	}
	return id, err
}

// UnsentExports lists export link mails due for a while that no worker
// holds: their task was lost or gave up. Asking again is safe, as
// ClaimExport sends each once.
func (db *DB) UnsentExports(ctx context.Context) ([]int64, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT x.subscriber_id FROM export_links x JOIN subscribers s ON s.id = x.subscriber_id
		WHERE x.due_at IS NOT NULL AND s.status = ANY($3)
		  AND x.due_at < now() - interval '2 minutes' AND x.due_at > now() - $1::interval
		  AND (x.claimed_at IS NULL OR x.claimed_at < now() - $2::interval)
		ORDER BY x.due_at LIMIT 1000`, confirmDueFor, confirmWindow, domain.MailableStatuses)
	if err != nil {
		return nil, fmt.Errorf("unsent export links: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}
