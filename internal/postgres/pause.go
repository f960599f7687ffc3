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

// Pause stops digests to the active subscriber a token belongs to until
// the given time, recorded with the consent records. Editions made before
// then skip them (reason "paused"); after it they receive again without
// anyone doing anything. Pausing again replaces the date, unless it is
// the same pause asked again at once (domain.RepeatsPause): that changes
// and records nothing. A pending,
// unsubscribed or stopped subscriber has nothing to pause (errs.Conflict);
// an unknown or erased token is errs.NotFound.
func (db *DB) Pause(ctx context.Context, tok string, until time.Time, c domain.Consent) (domain.Subscriber, error) {
	return db.setPause(ctx, tok, &until, "pause", c)
}

// Resume ends a pause at once. Resuming a subscriber who is not paused
// changes and records nothing.
func (db *DB) Resume(ctx context.Context, tok string, c domain.Consent) (domain.Subscriber, error) {
	return db.setPause(ctx, tok, nil, "resume", c)
}

func (db *DB) setPause(ctx context.Context, tok string, until *time.Time, action string, c domain.Consent) (domain.Subscriber, error) {
	var s domain.Subscriber
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var err error
		s, err = scanSubscriber(tx.QueryRow(ctx, `SELECT `+subscriberColumns+` FROM subscribers
			WHERE token = $1 AND status <> $2 FOR UPDATE`, tok, domain.StatusErased))
		if err != nil {
			return notFound(err, "subscriber")
		}
		if _, err := domain.NextSubscriber(s.Status, domain.SubscriberPause); err != nil {
			return err
		}
		if until == nil && s.PausedUntil == nil {
			return nil
		}
		if until != nil && domain.RepeatsPause(s.PausedUntil, *until) {
			return nil // the same pause, asked again at once
		}
		s, err = scanSubscriber(tx.QueryRow(ctx, `
			UPDATE subscribers SET paused_until = $2, updated_at = now() WHERE id = $1
			RETURNING `+subscriberColumns, s.ID, until))
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("%s: %w", action, err)
		}
		return insertConsent(ctx, tx, s.ID, action, c)
	})
	return s, err
}
