package postgres

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// SubscriberCounts counts the subscribers f selects by status, whatever
// f.Status says, so a list can show how its filters split; and, under
// domain.ListPaused, the active ones among them whose pause has not ended.
func (db *DB) SubscriberCounts(ctx context.Context, f domain.SubscriberFilter) (map[string]int, error) {
	f.Status = domain.ListPaused
	where, args := subscriberWhere(f)
	var paused int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM subscribers WHERE `+where, args...).Scan(&paused); err != nil {
		return nil, fmt.Errorf("count paused subscribers: %w", err)
	}
	f.Status = ""
	where, args = subscriberWhere(f)
	sql := `SELECT status, count(*) FROM subscribers WHERE ` + where + ` GROUP BY status`
	if len(args) == 0 {
		// Nothing but the status asked: the tallies the triggers keep
		// (migration 00027) say it without counting a million rows.
		sql = `SELECT key, sum(n)::bigint FROM subscriber_tallies WHERE kind = 'status' GROUP BY key HAVING sum(n) > 0`
	}
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("count subscribers: %w", err)
	}
	counts := map[string]int{}
	var status string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&status, &n}, func() error {
		counts[status] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count subscribers: %w", err)
	}
	if paused > 0 {
		counts[domain.ListPaused] = paused
	}
	return counts, nil
}

// SubscriberRecord returns one subscriber with their dates; errs.NotFound
// if there is no such id.
func (db *DB) SubscriberRecord(ctx context.Context, id int64) (domain.SubscriberRecord, error) {
	var r domain.SubscriberRecord
	s := &r.Subscriber
	var f, tz *string
	var hour *int16
	var thin, joining bool
	err := db.pool.QueryRow(ctx, `SELECT `+subscriberColumns+`, confirmed_at, unsubscribed_at, updated_at, hard_bounces,
		frequency, timezone, hour, send_thin, next_due_at, due_before_change, joins_desk
		FROM subscribers WHERE id = $1`, id).
		Scan(append(subscriberFields(s), &r.ConfirmedAt, &r.UnsubscribedAt, &r.UpdatedAt, &r.HardBounces,
			&f, &tz, &hour, &thin, &r.NextDueAt, &r.DueBeforeChange, &joining)...)
	// A reader joining the desk's schedule (SetScheduleByToken) chose it;
	// the one digest of their own still due is when their next one comes.
	if err == nil && f != nil && tz != nil && hour != nil && !joining {
		r.Schedule = &domain.ReaderSchedule{Frequency: *f, Timezone: *tz, Hour: int(*hour), SendThin: thin}
	}
	return r, notFound(err, "subscriber")
}

// SubscriberConsents returns a person's consent record, oldest first.
func (db *DB) SubscriberConsents(ctx context.Context, id int64) ([]domain.ConsentEntry, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT action, at, ip, user_agent, form_version, actor FROM consents
		WHERE subscriber_id = $1 ORDER BY at, id`, id)
	if err != nil {
		return nil, fmt.Errorf("consents: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.ConsentEntry, error) {
		var c domain.ConsentEntry
		err := r.Scan(&c.Action, &c.At, &c.IP, &c.UserAgent, &c.FormVersion, &c.Actor)
		return c, err
	})
}

// SubscriberDeliveries returns a person's latest deliveries, newest
// edition first, at most limit of them, with what came back about each
// after it left.
func (db *DB) SubscriberDeliveries(ctx context.Context, id int64, limit int) ([]domain.SubscriberDelivery, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT edition_id, status, reason, last_error, sent_at, updated_at,
		       bounce_kind, bounce_code, bounce_diagnostic, COALESCE(bounced_at, updated_at)
		FROM deliveries
		WHERE subscriber_id = $1 ORDER BY edition_id DESC LIMIT $2`, id, limit)
	if err != nil {
		return nil, fmt.Errorf("subscriber deliveries: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.SubscriberDelivery, error) {
		var d domain.SubscriberDelivery
		var b domain.BounceRecord
		err := r.Scan(&d.EditionID, &d.Status, &d.Reason, &d.Error, &d.SentAt, &d.UpdatedAt,
			&b.Kind, &b.Code, &b.Diagnostic, &b.At)
		if b.Kind != "" {
			d.Bounce = &b
		}
		return d, err
	})
}

// StopSubscriber is an operator's unsubscribe (domain.ActionUnsubscribe)
// or suppression (domain.ActionSuppress) of a person, with its consent
// record naming actor. Mail already queued for them is skipped by the
// sender, which sends only to active subscribers; a confirmation mail
// still due is called off. A status the action cannot leave is
// errs.Conflict, saying why.
func (db *DB) StopSubscriber(ctx context.Context, id int64, action, actor string) (domain.Subscriber, error) {
	if action != domain.ActionUnsubscribe && action != domain.ActionSuppress {
		return domain.Subscriber{}, fmt.Errorf("stop subscriber: unknown action %q", action)
	}
	var s domain.Subscriber
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		to, err := lockStatus(ctx, tx, id, domain.SubscriberEvent(action))
		if err != nil {
			return err
		}
		s, err = scanSubscriber(tx.QueryRow(ctx, `
			UPDATE subscribers SET status = $2, confirm_token = NULL, confirm_due_at = NULL,
			       unsubscribed_at = COALESCE(unsubscribed_at, now()), updated_at = now()
			WHERE id = $1 RETURNING `+subscriberColumns, id, string(to)))
		if err != nil {
			return fmt.Errorf("%s subscriber: %w", action, err)
		}
		return insertOperatorConsent(ctx, tx, id, action, actor)
	})
	return s, err
}

// EraseSubscriber removes what identifies a person: the address becomes
// its keyed hash (erasedKeys), their choices and tokens go, the IP and
// browser of every consent are blanked, and so are their deliveries' SMTP
// replies and the words of the bounces that came back about their mail
// (which often quote the address). Delivery statuses and the bounces'
// kinds and codes stay, for editions' counts. actor is the operator who
// asked, or "" when the person asked themselves (from their preferences
// page); newToken replaces their token, so no link of theirs works any
// more.
func (db *DB) EraseSubscriber(ctx context.Context, id int64, actor, newToken string) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// The deliveries before their subscriber, the order in which a
		// send's record and a bounce report take them (edition, delivery,
		// subscriber): the other way round, a record of one of them in
		// flight would deadlock with the erasure. Every one handed out is
		// taken, not only those with a reply: a record of one being sent,
		// or a bounce report about one sent days ago, either finishes
		// first (and what it wrote is blanked here) or waits for the
		// erasure and then sees it (RecordOutcomes and RecordBounce keep
		// no server's words about an erased reader). One still pending
		// is left to the senders' claims, which skip a locked row;
		// nothing has come back about it unless it has a reply.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM deliveries WHERE subscriber_id = $1 AND status <> $2 FOR NO KEY UPDATE`,
			id, domain.DeliveryPending); err != nil {
			return fmt.Errorf("erase delivery replies: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE deliveries SET last_error = '', bounce_diagnostic = ''
			WHERE subscriber_id = $1 AND (last_error <> '' OR bounce_diagnostic <> '')`, id); err != nil {
			return fmt.Errorf("erase delivery replies: %w", err)
		}
		to, err := lockStatus(ctx, tx, id, domain.SubscriberErase)
		if err != nil {
			return err
		}
		var email string
		if err := tx.QueryRow(ctx, `SELECT email FROM subscribers WHERE id = $1`, id).Scan(&email); err != nil {
			return fmt.Errorf("erase subscriber: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE subscribers SET status = $4, email = $3, countries = '{}', topics = '{}', all_stories = false,
			       token = $2, confirm_token = NULL, confirm_expires_at = NULL, confirm_due_at = NULL,
			       confirm_claimed_at = NULL, unsubscribed_at = COALESCE(unsubscribed_at, now()), updated_at = now(),
			       paused_until = NULL, frequency = NULL, timezone = NULL, hour = NULL, send_thin = false,
			       next_due_at = NULL, due_before_change = NULL, window_start = NULL, joins_desk = false
			WHERE id = $1`, id, newToken, db.erasedKeys(email)[0], string(to)); err != nil {
			return fmt.Errorf("erase subscriber: %w", err)
		}
		// After their row is taken: a report about a one-off mail takes it
		// before it writes (RecordNoticeBounce).
		if _, err := tx.Exec(ctx, `UPDATE notice_bounce_reports SET diagnostic = '' WHERE subscriber_id = $1 AND diagnostic <> ''`, id); err != nil {
			return fmt.Errorf("erase notice bounce reports: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM notices WHERE subscriber_id = $1`, id); err != nil {
			return fmt.Errorf("erase notices: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM export_links WHERE subscriber_id = $1`, id); err != nil {
			return fmt.Errorf("erase export links: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM retired_tokens WHERE subscriber_id = $1`, id); err != nil {
			return fmt.Errorf("erase retired tokens: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM test_sends WHERE lower(recipient) = lower($1) OR subscriber_id = $2`, email, id); err != nil {
			return fmt.Errorf("erase test sends: %w", err)
		}
		// The audit log names people by id; entries written before it did
		// may quote the address, which goes too.
		if _, err := tx.Exec(ctx, `
			UPDATE audit_log SET detail = regexp_replace(detail, $1, 'subscriber '||$2, 'gi')
			WHERE strpos(lower(detail), lower($3)) > 0`, regexp.QuoteMeta(email), fmt.Sprint(id), email); err != nil {
			return fmt.Errorf("erase audit details: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE consents SET ip = '', user_agent = '' WHERE subscriber_id = $1`, id); err != nil {
			return fmt.Errorf("erase consents: %w", err)
		}
		if actor == "" {
			// The person's own request: recorded as such, and without the
			// IP and browser that the erasure has just blanked everywhere.
			_, err := tx.Exec(ctx, `
				INSERT INTO consents (subscriber_id, action, at, form_version) VALUES ($1, $2, now(), 'preferences')`,
				id, domain.ActionErase)
			if err != nil {
				return fmt.Errorf("record consent: %w", err)
			}
			return nil
		}
		return insertOperatorConsent(ctx, tx, id, domain.ActionErase, actor)
	})
}

// lockStatus locks a subscriber's row and says where ev takes them
// (domain.NextSubscriber); a status the event cannot start from is the
// lifecycle's conflict, and an unknown id errs.NotFound.
func lockStatus(ctx context.Context, tx pgx.Tx, id int64, ev domain.SubscriberEvent) (domain.SubscriberStatus, error) {
	var status domain.SubscriberStatus
	err := tx.QueryRow(ctx, `SELECT status FROM subscribers WHERE id = $1 FOR UPDATE`, id).Scan(&status)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", errs.New(errs.NotFound, "subscriber not found")
	}
	if err != nil {
		return "", fmt.Errorf("find subscriber: %w", err)
	}
	return domain.NextSubscriber(status, ev)
}

// insertOperatorConsent records what an operator did on a person's
// behalf; the request's own IP and browser are the operator's, not the
// person's, so they are not recorded.
func insertOperatorConsent(ctx context.Context, tx pgx.Tx, id int64, action, actor string) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO consents (subscriber_id, action, at, form_version, actor) VALUES ($1, $2, now(), 'operator', $3)`,
		id, action, actor)
	if err != nil {
		return fmt.Errorf("record consent: %w", err)
	}
	return nil
}
