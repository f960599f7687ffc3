package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// signUp is one request to subscribe, as storage records it: the
// address (normalised), the choices, when the digest is to arrive (nil
// schedule: the desk's), the consent and the tokens a new or renewed
// sign-up takes.
type signUp struct {
	email    string
	filter   domain.Filter
	schedule *domain.ReaderSchedule
	consent  domain.Consent
	tokens   domain.SignupTokens
}

// Subscribe records a request to subscribe (domain.SubscriberSignUp) and
// reports which mail, if any, should be queued; sched is when the digest
// is to arrive (domain.SignupSchedule), and t are the tokens a new or
// renewed sign-up takes. A new address becomes pending with the given
// choices and schedule; so does an address that
// was erased (the erased row keeps its keyed hash, and a new row starts
// the double opt-in afresh). An unsubscribed one becomes pending again,
// keeping its token until the person confirms (Confirm gives a new one),
// so that a stranger signing it up breaks none of the links the person
// holds. A pending one gets its choices updated, and its schedule unless
// the sign-up gave none (sched.Keep); the confirmation page shows both,
// and its button confirms only what it showed. An active, bounced or suppressed one is
// left as it is, so that a stranger can neither change someone's choices
// nor revive a stopped address; an active one is sent a "known" notice
// with its preferences link instead (at most one per knownWindow), and
// the others nothing.
//
// The mail is recorded as due (confirm_due_at) in the same transaction
// that decides to send it, so a second request while the first mail is
// still queued, however long the worker lags, queues nothing more; and
// none is due within confirmWindow of the last one sent.
func (db *DB) Subscribe(ctx context.Context, email string, f domain.Filter, sched domain.SignupSchedule, c domain.Consent,
	t domain.SignupTokens) (id int64, mail domain.SignupMail, err error) {
	// Most sign-ups are of an address not seen before: the subscriber and
	// its consent record go in with those of the sign-ups arriving at the
	// same moment, in one statement and one commit (signup_batch.go).
	// When the address is there already (its unique index is in the way)
	// nothing is written and the transaction below decides.
	id, inserted, err := db.signups.insert(ctx, db.pool, signUp{email, f, sched.Own, c, t})
	if err != nil {
		return 0, "", err
	}
	if inserted {
		return id, domain.MailConfirmation, nil
	}
	schedule := scheduleArgs(sched.Own)
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var status domain.SubscriberStatus
		var mayMail bool
		err := tx.QueryRow(ctx, `
			SELECT id, status,
			       (confirm_due_at IS NULL OR confirm_due_at < now() - $2::interval)
			       AND (confirm_sent_at IS NULL OR confirm_sent_at < now() - $3::interval)
			FROM subscribers WHERE lower(email) = lower($1) AND status <> $4
			FOR UPDATE`, email, confirmDueFor, confirmWindow, domain.StatusErased,
		).Scan(&id, &status, &mayMail)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("find subscriber: %w", err)
		}
		// An erased row is no one's: the address starts afresh.
		next, err := domain.NextSubscriber(status, domain.SubscriberSignUp)
		if err != nil {
			return err
		}
		switch status {
		case "":
			err = tx.QueryRow(ctx, `
				INSERT INTO subscribers (email, status, countries, topics, language, mode, token, confirm_token,
				                         confirm_expires_at, confirm_due_at, all_stories, frequency, timezone, hour, send_thin)
				VALUES ($1, $10, $2, $3, $4, $5, $6, $7, now() + $8::interval, now(), $9, $11, $12, $13, COALESCE($14, false))
				ON CONFLICT DO NOTHING
				RETURNING id`,
				append([]any{email, nonNil(f.Countries), nonNil(f.Topics), f.Language, f.Mode, t.Token, t.Confirm, domain.ConfirmTTL, f.All,
					string(next)}, schedule...)...,
			).Scan(&id)
			if errors.Is(err, pgx.ErrNoRows) {
				// A concurrent request inserted the same address first; its
				// confirmation mail is on its way, and the schedule asked
				// for last is the one kept, as for any pending address.
				if sched.Keep {
					return nil
				}
				_, err = tx.Exec(ctx, setSchedule+` WHERE lower(email) = lower($1) AND status = $6`,
					append(append([]any{email}, schedule...), domain.StatusPending)...)
				if err != nil {
					return fmt.Errorf("set schedule: %w", err)
				}
				return nil
			}
			if err != nil {
				return fmt.Errorf("insert subscriber: %w", err)
			}
			mail = domain.MailConfirmation
		case domain.StatusPending:
			// A sign-up that gave no schedule leaves the one chosen.
			setSched, args := `, `+scheduleAssignments(10), append([]any{id, nonNil(f.Countries), nonNil(f.Topics), f.Language,
				f.Mode, t.Confirm, domain.ConfirmTTL, mayMail, f.All}, schedule...)
			if sched.Keep {
				setSched, args = "", args[:9]
			}
			_, err = tx.Exec(ctx, `
				UPDATE subscribers SET countries = $2, topics = $3, language = $4, mode = $5,
				       confirm_token = COALESCE(confirm_token, $6), confirm_expires_at = now() + $7::interval,
				       confirm_due_at = CASE WHEN $8 THEN now() ELSE confirm_due_at END, updated_at = now(),
				       all_stories = $9`+setSched+`
				WHERE id = $1`, args...)
			if err != nil {
				return fmt.Errorf("update subscriber: %w", err)
			}
			if mayMail {
				mail = domain.MailConfirmation
			}
		case domain.StatusUnsubscribed, domain.StatusComplained:
			// A new subscription: a new confirmation link and its own
			// mail (only the owner of the inbox can have unsubscribed or
			// reported a digest as spam, so this is no way round the
			// window). The token stays until the confirmation: whoever
			// asked may not be the person; and so does, in
			// returning_from, the status: if the link lapses unconfirmed,
			// the address goes back to it (ReturnLapsedSignUps).
			args := append([]any{id, nonNil(f.Countries), nonNil(f.Topics), f.Language, f.Mode, t.Confirm, domain.ConfirmTTL, f.All, string(next)},
				schedule...)
			_, err = tx.Exec(ctx, `
				UPDATE subscribers SET status = $9, countries = $2, topics = $3, language = $4, mode = $5,
				       confirm_token = $6, confirm_expires_at = now() + $7::interval,
				       confirm_due_at = now(), confirm_sent_at = NULL, confirm_claimed_at = NULL, updated_at = now(),
				       all_stories = $8, `+scheduleAssignments(10)+fmt.Sprintf(`, returning_from = $%d`, len(args)+1)+`
				WHERE id = $1`,
				append(args, string(status))...)
			if err != nil {
				return fmt.Errorf("resubscribe: %w", err)
			}
			mail = domain.MailConfirmation
		case domain.StatusActive:
			// Nothing changes and no consent is recorded: the notice
			// only reminds the owner how to reach their preferences.
			due, err := markNoticeDue(ctx, tx, id, domain.NoticeKnown, knownWindow)
			if due {
				mail = domain.MailKnown
			}
			return err
		default:
			return nil // bounced or suppressed: stays so, and is not told
		}
		return insertConsent(ctx, tx, id, "subscribe", c)
	})
	return id, mail, err
}
