package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/token"
)

// ConfirmTTL is how long a confirmation link stays valid.
const ConfirmTTL = 7 * 24 * time.Hour

// confirmResendAfter throttles confirmation mail to one address, so the
// public form cannot be used to flood someone's inbox.
const confirmResendAfter = 10 * time.Minute

const subscriberColumns = `id, email, status, countries, topics, language, mode, token, created_at`

func scanSubscriber(r pgx.Row) (domain.Subscriber, error) {
	var s domain.Subscriber
	err := r.Scan(&s.ID, &s.Email, &s.Status, &s.Countries, &s.Topics, &s.Language, &s.Mode, &s.Token, &s.CreatedAt)
	return s, err
}

// Subscribe records a request to subscribe and reports whether a
// confirmation mail should go out. A new or unsubscribed address becomes
// pending with the given choices; a pending one gets its choices updated;
// an active, bounced or erased one is left as it is, so that a stranger
// can neither change someone's choices nor revive a suppressed address.
func (db *DB) Subscribe(ctx context.Context, email string, f domain.Filter, c domain.Consent) (id int64, sendConfirmation bool, err error) {
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var status string
		var sentAt *time.Time
		err := tx.QueryRow(ctx,
			`SELECT id, status, confirm_sent_at FROM subscribers WHERE lower(email) = lower($1) FOR UPDATE`, email,
		).Scan(&id, &status, &sentAt)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			err = tx.QueryRow(ctx, `
				INSERT INTO subscribers (email, status, countries, topics, language, mode, token, confirm_token, confirm_expires_at)
				VALUES ($1, 'pending', $2, $3, $4, $5, $6, $7, now() + $8::interval)
				ON CONFLICT DO NOTHING
				RETURNING id`,
				email, nonNil(f.Countries), nonNil(f.Topics), f.Language, f.Mode, token.New(), token.New(), ConfirmTTL,
			).Scan(&id)
			if errors.Is(err, pgx.ErrNoRows) {
				// A concurrent request inserted the same address first; its
				// confirmation mail is on its way.
				return nil
			}
			if err != nil {
				return fmt.Errorf("insert subscriber: %w", err)
			}
			sendConfirmation = true
		case err != nil:
			return fmt.Errorf("find subscriber: %w", err)
		case status == domain.StatusPending || status == domain.StatusUnsubscribed:
			_, err = tx.Exec(ctx, `
				UPDATE subscribers SET status = 'pending', countries = $2, topics = $3, language = $4, mode = $5,
				       confirm_token = COALESCE(confirm_token, $6), confirm_expires_at = now() + $7::interval,
				       updated_at = now()
				WHERE id = $1`,
				id, nonNil(f.Countries), nonNil(f.Topics), f.Language, f.Mode, token.New(), ConfirmTTL)
			if err != nil {
				return fmt.Errorf("update subscriber: %w", err)
			}
			sendConfirmation = status == domain.StatusUnsubscribed || sentAt == nil || time.Since(*sentAt) > confirmResendAfter
		default:
			return nil
		}
		return insertConsent(ctx, tx, id, "subscribe", c)
	})
	return id, sendConfirmation, err
}

func insertConsent(ctx context.Context, tx pgx.Tx, id int64, action string, c domain.Consent) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO consents (subscriber_id, action, at, ip, user_agent, form_version)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		id, action, c.At, c.IP, truncate(c.UserAgent, 512), c.FormVersion)
	if err != nil {
		return fmt.Errorf("record consent: %w", err)
	}
	return nil
}

// PendingConfirmation returns a pending subscriber and their confirmation
// token, for the confirmation mail. errs.NotFound means there is nothing
// to send any more (confirmed, unsubscribed or expired meanwhile).
func (db *DB) PendingConfirmation(ctx context.Context, id int64) (domain.Subscriber, string, error) {
	var confirmToken string
	row := db.pool.QueryRow(ctx, `SELECT `+subscriberColumns+`, confirm_token FROM subscribers
		WHERE id = $1 AND status = 'pending' AND confirm_token IS NOT NULL AND confirm_expires_at > now()`, id)
	var s domain.Subscriber
	err := row.Scan(&s.ID, &s.Email, &s.Status, &s.Countries, &s.Topics, &s.Language, &s.Mode, &s.Token, &s.CreatedAt, &confirmToken)
	if err != nil {
		return s, "", notFound(err, "pending subscriber")
	}
	return s, confirmToken, nil
}

// MarkConfirmationSent notes when the confirmation mail went out.
func (db *DB) MarkConfirmationSent(ctx context.Context, id int64) error {
	_, err := db.pool.Exec(ctx, `UPDATE subscribers SET confirm_sent_at = now() WHERE id = $1`, id)
	return err
}

// SubscriberByConfirmToken finds the pending subscriber a confirmation link
// belongs to.
func (db *DB) SubscriberByConfirmToken(ctx context.Context, confirmToken string) (domain.Subscriber, error) {
	s, err := scanSubscriber(db.pool.QueryRow(ctx, `SELECT `+subscriberColumns+` FROM subscribers
		WHERE confirm_token = $1 AND status = 'pending' AND confirm_expires_at > now()`, confirmToken))
	return s, notFound(err, "confirmation link")
}

// Confirm activates the subscriber a confirmation link belongs to.
func (db *DB) Confirm(ctx context.Context, confirmToken string, c domain.Consent) (domain.Subscriber, error) {
	var s domain.Subscriber
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var err error
		s, err = scanSubscriber(tx.QueryRow(ctx, `
			UPDATE subscribers SET status = 'active', confirm_token = NULL, confirm_expires_at = NULL,
			       confirmed_at = now(), updated_at = now()
			WHERE confirm_token = $1 AND status = 'pending' AND confirm_expires_at > now()
			RETURNING `+subscriberColumns, confirmToken))
		if err != nil {
			return notFound(err, "confirmation link")
		}
		return insertConsent(ctx, tx, s.ID, "confirm", c)
	})
	return s, err
}

// SubscriberByToken finds a subscriber by their preferences token.
func (db *DB) SubscriberByToken(ctx context.Context, tok string) (domain.Subscriber, error) {
	s, err := scanSubscriber(db.pool.QueryRow(ctx, `SELECT `+subscriberColumns+` FROM subscribers
		WHERE token = $1 AND status <> 'erased'`, tok))
	return s, notFound(err, "subscriber")
}

// Unsubscribe stops all mail to the subscriber the token belongs to. It is
// idempotent: unsubscribing twice is not an error.
func (db *DB) Unsubscribe(ctx context.Context, tok string, c domain.Consent) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var id int64
		var status string
		err := tx.QueryRow(ctx, `SELECT id, status FROM subscribers WHERE token = $1 AND status <> 'erased' FOR UPDATE`, tok).
			Scan(&id, &status)
		if err != nil {
			return notFound(err, "subscriber")
		}
		if status == domain.StatusUnsubscribed {
			return nil
		}
		if _, err := tx.Exec(ctx, `
			UPDATE subscribers SET status = 'unsubscribed', confirm_token = NULL, unsubscribed_at = now(), updated_at = now()
			WHERE id = $1 AND status IN ('pending', 'active')`, id); err != nil {
			return fmt.Errorf("unsubscribe: %w", err)
		}
		return insertConsent(ctx, tx, id, "unsubscribe", c)
	})
}

// UpdatePreferences changes an active or pending subscriber's choices.
func (db *DB) UpdatePreferences(ctx context.Context, tok string, f domain.Filter, c domain.Consent) (domain.Subscriber, error) {
	var s domain.Subscriber
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var err error
		s, err = scanSubscriber(tx.QueryRow(ctx, `
			UPDATE subscribers SET countries = $2, topics = $3, language = $4, mode = $5, updated_at = now()
			WHERE token = $1 AND status IN ('active', 'pending')
			RETURNING `+subscriberColumns,
			tok, nonNil(f.Countries), nonNil(f.Topics), f.Language, f.Mode))
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.New(errs.Conflict, "this address is not subscribed; subscribe again from the front page")
		}
		if err != nil {
			return err
		}
		return insertConsent(ctx, tx, s.ID, "preferences", c)
	})
	return s, err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// UnsentConfirmations lists pending subscribers whose confirmation mail
// never went out (its task was lost with Redis), asked for between a day
// and a few minutes ago.
func (db *DB) UnsentConfirmations(ctx context.Context) ([]int64, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT id FROM subscribers
		WHERE status = 'pending' AND confirm_sent_at IS NULL AND confirm_expires_at > now()
		  AND updated_at < now() - interval '2 minutes' AND updated_at > now() - interval '1 day'
		ORDER BY id LIMIT 1000`)
	if err != nil {
		return nil, fmt.Errorf("unsent confirmations: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}
