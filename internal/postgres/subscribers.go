package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// confirmWindow throttles confirmation mail to one address: at most one
// is sent in this long, however often the address signs up or however
// many tasks ask for it, so the public form cannot flood an inbox. It is
// also how long a worker's claim on a mail lasts (see ClaimConfirmation):
// a claim older than this is a worker that died mid-send.
const confirmWindow = 10 * time.Minute

// confirmDueFor is how long a mail that is due but unsent is retried; past
// it the reconciler gives up, and signing up again asks anew.
const confirmDueFor = 24 * time.Hour

// subscriberColumns ends with paused_until while it lies ahead: a pause
// that has run out is no pause.
const subscriberColumns = `id, email, status, all_stories, countries, topics, language, mode, token, created_at,
	CASE WHEN paused_until > now() THEN paused_until END`

func scanSubscriber(r pgx.Row) (domain.Subscriber, error) {
	var s domain.Subscriber
	err := r.Scan(subscriberFields(&s)...)
	return s, err
}

// subscriberFields are where subscriberColumns scan into; a query that
// returns more columns after them appends its own.
func subscriberFields(s *domain.Subscriber) []any {
	return []any{&s.ID, &s.Email, &s.Status, &s.All, &s.Countries, &s.Topics, &s.Language, &s.Mode, &s.Token, &s.CreatedAt,
		&s.PausedUntil}
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

// ClaimConfirmation takes the confirmation mail due to a pending
// subscriber, if one is, for this caller alone: the claim is one UPDATE,
// so of several tasks for one address (a lagging queue, the reconciler,
// a retry) one gets it and the others find nothing to do. Nothing is
// claimable within confirmWindow of the last mail sent, nor while another
// worker's claim is younger than confirmWindow. errs.NotFound means there
// is nothing to send now.
func (db *DB) ClaimConfirmation(ctx context.Context, id int64) (domain.ConfirmationClaim, error) {
	var cl domain.ConfirmationClaim
	s := &cl.Subscriber
	err := db.pool.QueryRow(ctx, `
		UPDATE subscribers SET confirm_claimed_at = now()
		WHERE id = $1 AND status = ANY($3) AND confirm_token IS NOT NULL AND confirm_expires_at > now()
		  AND confirm_due_at IS NOT NULL
		  AND (confirm_claimed_at IS NULL OR confirm_claimed_at < now() - $2::interval)
		  AND (confirm_sent_at IS NULL OR confirm_sent_at < now() - $2::interval)
		RETURNING `+subscriberColumns+`, confirm_token, confirm_claimed_at`, id, confirmWindow,
		domain.SubscriberFrom(domain.SubscriberConfirm),
	).Scan(append(subscriberFields(s), &cl.ConfirmToken, &cl.ClaimedAt)...)
	if err != nil {
		return cl, notFound(err, "confirmation mail due")
	}
	return cl, nil
}

// FinishConfirmation records that a claimed mail went out, or was refused
// for good: it is no longer due, and the window starts. If the address
// signed up anew meanwhile (new confirmation token), the new mail stays
// due. A claim that is no longer this caller's changes nothing.
func (db *DB) FinishConfirmation(ctx context.Context, cl domain.ConfirmationClaim) error {
	_, err := db.pool.Exec(ctx, `
		UPDATE subscribers SET confirm_sent_at = now(), confirm_claimed_at = NULL,
		       confirm_due_at = CASE WHEN confirm_token = $3 THEN NULL ELSE confirm_due_at END
		WHERE id = $1 AND confirm_claimed_at = $2`, cl.Subscriber.ID, cl.ClaimedAt, cl.ConfirmToken)
	if err != nil {
		return fmt.Errorf("finish confirmation mail: %w", err)
	}
	return nil
}

// ReleaseConfirmation gives a claimed mail back after a failure worth
// retrying: it stays due, and the task's retry (or the reconciler) can
// claim it again at once.
func (db *DB) ReleaseConfirmation(ctx context.Context, cl domain.ConfirmationClaim) error {
	_, err := db.pool.Exec(ctx, `
		UPDATE subscribers SET confirm_claimed_at = NULL WHERE id = $1 AND confirm_claimed_at = $2`,
		cl.Subscriber.ID, cl.ClaimedAt)
	if err != nil {
		return fmt.Errorf("release confirmation mail: %w", err)
	}
	return nil
}

// SignupByConfirmToken finds the sign-up a confirmation link belongs
// to, with its schedule, while it may confirm (pending).
func (db *DB) SignupByConfirmToken(ctx context.Context, confirmToken string) (domain.PendingSignup, error) {
	p, err := scanSignup(db.pool.QueryRow(ctx, `SELECT `+signupColumns+` FROM subscribers
		WHERE confirm_token = $1 AND status = ANY($2) AND confirm_expires_at > now()`,
		confirmToken, domain.SubscriberFrom(domain.SubscriberConfirm)))
	return p, notFound(err, "confirmation link")
}

// signupColumns are subscriberColumns and the schedule, for scanSignup.
const signupColumns = subscriberColumns + `, frequency, timezone, hour, send_thin`

// scanSignup reads a row of signupColumns; a row without a schedule of
// its own follows the desk's (Schedule nil).
func scanSignup(r pgx.Row) (domain.PendingSignup, error) {
	var p domain.PendingSignup
	var f, tz *string
	var hour *int16
	var thin bool
	err := r.Scan(append(subscriberFields(&p.Subscriber), &f, &tz, &hour, &thin)...)
	if err == nil && f != nil && tz != nil && hour != nil {
		p.Schedule = &domain.ReaderSchedule{Frequency: *f, Timezone: *tz, Hour: int(*hour), SendThin: thin}
	}
	return p, err
}

// SubscriberByUsedConfirmToken finds the active subscriber whose
// confirmation link, already used, this is. Confirm keeps the token until
// it would have expired (a used token matches no pending row, so it
// confirms nothing), so that a person opening the link again is told they
// are subscribed; unsubscribing, or any change of status by the desk,
// clears it. Anything else is errs.NotFound, as for an unknown token.
func (db *DB) SubscriberByUsedConfirmToken(ctx context.Context, confirmToken string) (domain.Subscriber, error) {
	s, err := scanSubscriber(db.pool.QueryRow(ctx, `SELECT `+subscriberColumns+` FROM subscribers
		WHERE confirm_token = $1 AND status = $2 AND confirm_expires_at > now()`, confirmToken, domain.StatusActive))
	return s, notFound(err, "confirmation link")
}

// Confirm activates the subscriber a confirmation link belongs to
// (domain.SubscriberConfirm), gives them newToken (so links from before a re-subscription, which anyone
// may hold, stop working only now that the inbox's owner has confirmed),
// and records their welcome notice as due (the caller queues it). shown,
// when not empty, is the signature (domain.PendingSignup.ChoicesSignature)
// of the choices and schedule the confirmation page showed: if a sign-up
// has changed either since, the link is not used up and the answer is
// errs.Conflict, so that no one confirms choices they did not see.
func (db *DB) Confirm(ctx context.Context, confirmToken, shown string, c domain.Consent, newToken string) (domain.Subscriber, error) {
	var s domain.Subscriber
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		p, err := scanSignup(tx.QueryRow(ctx, `SELECT `+signupColumns+` FROM subscribers
			WHERE confirm_token = $1 AND status <> $2 AND confirm_expires_at > now()
			FOR UPDATE`, confirmToken, domain.StatusErased))
		if err != nil {
			return notFound(err, "confirmation link")
		}
		s = p.Subscriber
		next, err := domain.NextSubscriber(s.Status, domain.SubscriberConfirm)
		if err != nil {
			// A link used already, or of an address that left since:
			// it confirms nothing, and says no more than an unknown one.
			return errs.New(errs.NotFound, "%s not found", "confirmation link")
		}
		if shown != "" && p.ChoicesSignature() != shown {
			return errs.New(errs.Conflict, "the choices to confirm have changed since the page was shown")
		}
		// The token replaced keeps unsubscribing: the mails that carry it
		// are still in the reader's inbox (UnsubscribeSubscriber).
		if _, err := tx.Exec(ctx, `
			INSERT INTO retired_tokens (token_hash, subscriber_id)
			SELECT sha256(convert_to(token, 'UTF8')), id FROM subscribers WHERE id = $1 AND token IS NOT NULL AND token <> $2
			ON CONFLICT DO NOTHING`, s.ID, newToken); err != nil {
			return fmt.Errorf("confirm: keep the replaced token: %w", err)
		}
		// A subscription starts afresh: what a reader who left and came
		// back had of their own schedule (where their window was, when
		// their digest was due) is of the time before they left, and
		// would bring them the stories of the months away.
		s, err = scanSubscriber(tx.QueryRow(ctx, `
			UPDATE subscribers SET status = $3, confirmed_at = now(), updated_at = now(), token = $2,
			       window_start = NULL, next_due_at = NULL, due_before_change = NULL, joins_desk = false,
			       returning_from = NULL
			WHERE id = $1
			RETURNING `+subscriberColumns, s.ID, newToken, string(next)))
		if err != nil {
			return fmt.Errorf("confirm: %w", err)
		}
		if _, err := markNoticeDue(ctx, tx, s.ID, domain.NoticeWelcome, 0); err != nil {
			return err
		}
		return insertConsent(ctx, tx, s.ID, "confirm", c)
	})
	return s, err
}

// SubscriberByToken finds a subscriber by their preferences token.
func (db *DB) SubscriberByToken(ctx context.Context, tok string) (domain.Subscriber, error) {
	s, err := scanSubscriber(db.pool.QueryRow(ctx, `SELECT `+subscriberColumns+` FROM subscribers
		WHERE token = $1 AND status <> $2`, tok, domain.StatusErased))
	return s, notFound(err, "subscriber")
}

// unsubscribeBy is the condition that a subscriber (its row unnamed) is
// the one an unsubscribe link's token ($1) is of: their token now, or
// one a confirmed sign-up replaced, which mails still in their inbox
// carry (retired_tokens), and which unsubscribes and does nothing else.
const unsubscribeBy = `(token = $1 OR id = (SELECT subscriber_id FROM retired_tokens WHERE token_hash = sha256(convert_to($1, 'UTF8'))))`

// SubscriberByUnsubscribeToken finds the subscriber an unsubscribe
// link's token is of (unsubscribeBy).
func (db *DB) SubscriberByUnsubscribeToken(ctx context.Context, tok string) (domain.Subscriber, error) {
	s, err := scanSubscriber(db.pool.QueryRow(ctx, `SELECT `+subscriberColumns+` FROM subscribers
		WHERE `+unsubscribeBy+` AND status <> $2`, tok, domain.StatusErased))
	return s, notFound(err, "subscriber")
}

// Unsubscribe stops all mail to the subscriber an unsubscribe link's
// token is of (unsubscribeBy; domain.SubscriberLeave). It is idempotent:
// unsubscribing twice is not an error. The request of a person whose
// mail stopped otherwise (bounced, suppressed) changes nothing but is
// recorded with their consents.
func (db *DB) Unsubscribe(ctx context.Context, tok string, c domain.Consent) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var id int64
		var status domain.SubscriberStatus
		err := tx.QueryRow(ctx, `SELECT id, status FROM subscribers WHERE `+unsubscribeBy+` AND status <> $2 FOR UPDATE`,
			tok, domain.StatusErased).Scan(&id, &status)
		if err != nil {
			return notFound(err, "subscriber")
		}
		if status == domain.StatusUnsubscribed {
			return nil
		}
		next, err := domain.NextSubscriber(status, domain.SubscriberLeave)
		if err != nil {
			return err
		}
		if next != status {
			if _, err := tx.Exec(ctx, `
				UPDATE subscribers SET status = $2, confirm_token = NULL, unsubscribed_at = now(), updated_at = now()
				WHERE id = $1`, id, string(next)); err != nil {
				return fmt.Errorf("unsubscribe: %w", err)
			}
		}
		return insertConsent(ctx, tx, id, "unsubscribe", c)
	})
}

// UpdatePreferences changes the choices of the subscriber a token
// belongs to, while they may change them (domain.SubscriberChange: active
// or pending). An erased subscriber's token, like an unknown one, is
// errs.NotFound.
func (db *DB) UpdatePreferences(ctx context.Context, tok string, f domain.Filter, c domain.Consent) (domain.Subscriber, error) {
	var s domain.Subscriber
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var err error
		s, err = scanSubscriber(tx.QueryRow(ctx, `
			UPDATE subscribers SET countries = $2, topics = $3, language = $4, mode = $5, all_stories = $6, updated_at = now()
			WHERE token = $1 AND status = ANY($7)
			RETURNING `+subscriberColumns,
			tok, nonNil(f.Countries), nonNil(f.Topics), f.Language, f.Mode, f.All, domain.SubscriberFrom(domain.SubscriberChange)))
		if errors.Is(err, pgx.ErrNoRows) {
			// Unsubscribed or bounced: the link is theirs, but there is
			// nothing to change. Erased or unknown: the link does not work.
			var status domain.SubscriberStatus
			err := tx.QueryRow(ctx, `SELECT status FROM subscribers WHERE token = $1 AND status <> $2`, tok, domain.StatusErased).
				Scan(&status)
			if err != nil {
				return notFound(err, "subscriber")
			}
			if _, err := domain.NextSubscriber(status, domain.SubscriberChange); err != nil {
				return err
			}
			return errs.New(errs.Conflict, "the subscription changed meanwhile; try again")
		}
		if err != nil {
			return err
		}
		return insertConsent(ctx, tx, s.ID, "preferences", c)
	})
	return s, err
}

// truncate shortens s to at most n bytes without splitting a character,
// and makes it text PostgreSQL accepts: invalid UTF-8 (a header or an
// SMTP reply may hold any bytes) becomes U+FFFD, and NUL is dropped.
func truncate(s string, n int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// UnsentConfirmations lists pending subscribers whose confirmation mail
// is due and that no task seems to hold: asked for a few minutes to a day
// ago, not claimed (or claimed by a worker that died), and not sent within
// the window. Their task was lost with Redis, or gave up retrying; asking
// again is safe, as ClaimConfirmation sends each due mail once.
func (db *DB) UnsentConfirmations(ctx context.Context) ([]int64, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT id FROM subscribers
		WHERE confirm_due_at IS NOT NULL AND status = ANY($3) AND confirm_expires_at > now()
		  AND confirm_due_at < now() - interval '2 minutes' AND confirm_due_at > now() - $1::interval
		  AND (confirm_claimed_at IS NULL OR confirm_claimed_at < now() - $2::interval)
		  AND (confirm_sent_at IS NULL OR confirm_sent_at < now() - $2::interval)
		ORDER BY id LIMIT 1000`, confirmDueFor, confirmWindow, domain.SubscriberFrom(domain.SubscriberConfirm))
	if err != nil {
		return nil, fmt.Errorf("unsent confirmations: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}
