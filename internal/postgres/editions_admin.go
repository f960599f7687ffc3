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

// ReasonCancelled is the reason of a cancelled edition and of the
// WindowItems returns the items an edition made now would hold, by the
// same rule CreateEdition freezes (see ingestedWindow, publishedWindow,
// withVersions);
// it writes nothing.
func (db *DB) WindowItems(ctx context.Context, from, to *domain.Date, age time.Duration) ([]domain.Item, error) {
	var rows pgx.Rows
	var err error
	if from != nil || to != nil {
		rows, err = db.pool.Query(ctx, `SELECT `+itemColumns+` FROM items WHERE `+withVersions(publishedWindow("$1", "$2")),
			dateOrNil(from), dateOrNil(to))
	} else {
		rows, err = db.pool.Query(ctx, `SELECT `+itemColumns+` FROM items
			WHERE `+withVersions(`(`+ingestedWindow(`(SELECT `+nextWindowStart("$1")+` FROM editions)`, "clock_timestamp()", "$2")+
			` OR `+picked+`) OR `+carried), domain.FirstWindow, maxAge(age))
	}
	if err != nil {
		return nil, fmt.Errorf("window items: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Item, error) { return scanItem(r) })
}

// NextWindowStart is where the window of the next edition of new stories
// begins: the last edition's cut-off, or domain.FirstWindow ago.
func (db *DB) NextWindowStart(ctx context.Context) (time.Time, error) {
	var t time.Time
	err := db.pool.QueryRow(ctx, `SELECT `+nextWindowStart("$1")+` FROM editions`, domain.FirstWindow).Scan(&t)
	if err != nil {
		return t, fmt.Errorf("next window start: %w", err)
	}
	return t, nil
}

// ActiveFilters counts the active subscribers by their choices: few rows
// however long the list, since most people choose alike.
func (db *DB) ActiveFilters(ctx context.Context) ([]domain.FilterCount, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT all_stories, countries, topics, language, mode, count(*) FROM subscribers
		WHERE status = $1 GROUP BY 1, 2, 3, 4, 5`, domain.StatusActive)
	if err != nil {
		return nil, fmt.Errorf("active filters: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.FilterCount, error) {
		var fc domain.FilterCount
		err := r.Scan(&fc.Filter.All, &fc.Filter.Countries, &fc.Filter.Topics, &fc.Filter.Language, &fc.Filter.Mode, &fc.Count)
		return fc, err
	})
}

// CancelEdition stops an edition that is queued, compiling or sending:
// what was sent stays sent, deliveries not yet taken become skipped with
// reason "cancelled", and nothing more is claimed. Deliveries in flight
// finish as they will; the edition is done (reason "cancelled") once
// none is left. A compile in progress sees the reason and settles.
func (db *DB) CancelEdition(ctx context.Context, id int64) (domain.Edition, error) {
	var e domain.Edition
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		state, err := lockEdition(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := domain.NextEdition(id, state, domain.EditionCancel); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE editions SET reason = $2 WHERE id = $1`, id, domain.ReasonCancelled); err != nil {
			return err
		}
		// A compiling edition is settled by its compile, which may be
		// writing deliveries at this moment.
		if state.Status != domain.EditionCompiling {
			if err := settleCancelled(ctx, tx, id); err != nil {
				return err
			}
		}
		e, err = scanEdition(tx.QueryRow(ctx, `SELECT `+editionColumns+` FROM editions e WHERE e.id = $1`, id))
		return err
	})
	if err != nil {
		return e, fmt.Errorf("cancel edition %d: %w", id, err)
	}
	return e, nil
}

// SettleCancelled finishes what cancelling left of a cancelled edition:
// deliveries still pending, or leased by a worker that is gone, become
// skipped, and the edition is done once nothing is in flight. It does
// nothing to an edition not cancelled.
func (db *DB) SettleCancelled(ctx context.Context, id int64) error {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var cancelled bool
		err := tx.QueryRow(ctx, `SELECT reason = $2 FROM editions WHERE id = $1 FOR UPDATE`, id, domain.ReasonCancelled).Scan(&cancelled)
		if err != nil || !cancelled {
			return err
		}
		return settleCancelled(ctx, tx, id)
	})
	if err != nil {
		return fmt.Errorf("settle cancelled edition %d: %w", id, err)
	}
	return nil
}

// settleCancelled skips a cancelled edition's untaken deliveries
// (domain.DeliveryCancel), counts them, and settles the edition
// (domain.EditionSettle) when none is in flight.
func settleCancelled(ctx context.Context, tx pgx.Tx, id int64) error {
	dFrom, dLapsed, _ := domain.DeliveryRule(domain.DeliveryCancel)
	_, err := tx.Exec(ctx, `
		WITH s AS (
		    UPDATE deliveries SET status = $5, reason = $2, lease_until = NULL, updated_at = now()
		    WHERE edition_id = $1 AND (status = ANY($3) OR (status = ANY($4) AND lease_until < now()))
		    RETURNING 1)
		UPDATE editions SET skipped = skipped + (SELECT count(*) FROM s)
		WHERE id = $1`, id, domain.ReasonCancelled, dFrom, dLapsed, domain.DeliverySkipped)
	if err != nil {
		return err
	}
	from, cancelled, to := domain.EditionRule(domain.EditionSettle)
	_, err = tx.Exec(ctx, `
		UPDATE editions SET status = $4, finished_at = COALESCE(finished_at, now())
		WHERE id = $1 AND status = ANY($2) AND (reason = $6) = $3 AND NOT EXISTS (
		    SELECT 1 FROM deliveries WHERE edition_id = $1 AND status = ANY($5))`,
		id, from, cancelled, to, domain.UnfinishedDeliveryStatuses(), domain.ReasonCancelled)
	return err
}

// EditionCancelled reports whether an editor cancelled the edition.
func (db *DB) EditionCancelled(ctx context.Context, id int64) (bool, error) {
	var cancelled bool
	err := db.pool.QueryRow(ctx, `SELECT reason = $2 FROM editions WHERE id = $1`, id, domain.ReasonCancelled).Scan(&cancelled)
	return cancelled, notFound(err, "edition")
}

// RetryFailed puts an edition's temporarily failed deliveries back to
// pending (their attempts kept, their last error cleared: they are sent
// afresh, not waiting for their batch's next try) and the edition back to
// sending,
// correcting its counters. Those to people who are no longer active
// (bounced, suppressed, gone) are not retried: they become skipped, with
// the reason. The permanently refused and the uncertain are never
// retried: the relay would refuse the first again, and the second may
// have been delivered already.
func (db *DB) RetryFailed(ctx context.Context, id int64) (domain.Retried, error) {
	var r domain.Retried
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if err := retryAfterCompiles(ctx, tx, id); err != nil {
			return err
		}
		state, err := lockEdition(ctx, tx, id)
		if err != nil {
			return err
		}
		next, err := domain.NextEdition(id, state, domain.EditionRetry)
		if err != nil {
			return err
		}
		// The deliveries that may be retried (domain.DeliveryRetry) go
		// back to pending to an active reader, and are skipped, saying
		// why, to any other, and to one who has had every story of the
		// digest since (retry_received.go).
		from, _, failure := domain.DeliveryRule(domain.DeliveryRetry)
		had, err := receivedSince(ctx, tx, id, failure, from)
		if err != nil {
			return err
		}
		if had == nil {
			had = []int64{} // an empty list, not NULL: NOT (id = ANY(NULL)) is never true
		}
		err = tx.QueryRow(ctx, `
			WITH f AS (
			    SELECT d.id, s.status = $3 AND NOT d.id = ANY($8) AS retry,
			           CASE WHEN s.status = $3 THEN $9 WHEN s.status = ANY($4) THEN s.status ELSE 'left' END AS why
			    FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
			    WHERE d.edition_id = $1 AND d.`+failedSQL+` AND d.status = ANY($5) AND d.failure = $2
			    FOR UPDATE OF d
			), u AS (
			    UPDATE deliveries d
			    SET status = CASE WHEN f.retry THEN $6 ELSE $7 END,
			        reason = CASE WHEN f.retry THEN '' ELSE f.why END,
			        failure = '', last_error = '', lease_until = NULL, updated_at = now()
			    FROM f WHERE d.id = f.id
			    RETURNING d.status)
			SELECT count(*) FILTER (WHERE status = $6), count(*) FILTER (WHERE status = $7) FROM u`,
			id, failure, domain.StatusActive, []string{domain.StatusBounced, domain.StatusSuppressed}, from,
			domain.DeliveryPending, domain.DeliverySkipped, had, domain.ReasonReceivedSince).Scan(&r.Retried, &r.Skipped)
		if err != nil {
			return err
		}
		if r.Retried+r.Skipped == 0 {
			// The retry round under way, asked again as it begins.
			if err := tx.QueryRow(ctx, `
				SELECT COALESCE(status = $3 AND round_started_at > now() - $2::interval, false) FROM editions WHERE id = $1`,
				id, fmt.Sprintf("%d microseconds", domain.RetryRepeat.Microseconds()), domain.EditionSending).Scan(&r.Again); err != nil || r.Again {
				return err
			}
			return errs.New(errs.Conflict, "edition %d has no temporarily failed deliveries to retry (refused and uncertain ones are never retried)", id)
		}
		// Deliveries put back send the edition again; a retry that only
		// skipped some leaves it where it was.
		_, err = tx.Exec(ctx, `
			UPDATE editions SET failed = failed - $2 - $3, skipped = skipped + $3,
			       status = CASE WHEN $2 > 0 THEN $4 ELSE status END,
			       finished_at = CASE WHEN $2 > 0 THEN NULL ELSE finished_at END,
			       first_sent = CASE WHEN $2 > 0 AND finished_at IS NOT NULL THEN COALESCE(first_sent, sent) ELSE first_sent END,
			       first_finished_at = CASE WHEN $2 > 0 AND finished_at IS NOT NULL THEN COALESCE(first_finished_at, finished_at) ELSE first_finished_at END,
			       round_started_at = CASE WHEN $2 > 0 AND finished_at IS NOT NULL THEN now() ELSE round_started_at END,
			       round_sent_from = CASE WHEN $2 > 0 AND finished_at IS NOT NULL THEN sent ELSE round_sent_from END,
			       first_paused_seconds = CASE WHEN $2 > 0 AND finished_at IS NOT NULL AND first_sent IS NULL THEN paused_seconds ELSE first_paused_seconds END,
			       paused_seconds = CASE WHEN $2 > 0 AND finished_at IS NOT NULL THEN 0 ELSE paused_seconds END,
			       reason = ''
			WHERE id = $1`, id, r.Retried, r.Skipped, string(next.Status))
		return err
	})
	if err != nil {
		return r, fmt.Errorf("retry edition %d: %w", id, err)
	}
	return r, nil
}

// FailedDeliveries lists an edition's deliveries that failed in one way
// (failure), oldest first.
func (db *DB) FailedDeliveries(ctx context.Context, id int64, failure string, limit int) ([]domain.FailedDelivery, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT d.id, d.subscriber_id, s.email, d.failure, d.last_error, d.attempts, d.updated_at
		FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
		WHERE d.edition_id = $1 AND d.`+failedSQL+` AND d.status = $4 AND d.failure = $2 ORDER BY d.id LIMIT $3`, id, failure, limit, domain.DeliveryFailed)
	if err != nil {
		return nil, fmt.Errorf("failed deliveries: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.FailedDelivery, error) {
		var f domain.FailedDelivery
		err := r.Scan(&f.ID, &f.SubscriberID, &f.Email, &f.Failure, &f.Error, &f.Attempts, &f.UpdatedAt)
		return f, err
	})
}

// failureCountsSQL and skipReasonsSQL count an edition's failed and
// skipped deliveries for its console page. They name the mark, not the
// status (deliveries_failed_marked and _skipped_marked keep the two in
// step), so each reads its partial index alone: a condition on status
// made PostgreSQL fetch every failed or skipped row from the table, 30
// to 50 ms each at a million deliveries.
const (
	failureCountsSQL = `
		SELECT failure, count(*) FROM deliveries WHERE edition_id = $1 AND ` + failedSQL + `
		GROUP BY failure`
	skipReasonsSQL = `
		SELECT reason, count(*) FROM deliveries WHERE edition_id = $1 AND ` + skippedSQL + `
		GROUP BY reason ORDER BY 2 DESC, 1`
)

// FailureCounts counts an edition's failed deliveries by how they failed
// (domain.FailureTemporary, FailurePermanent, FailureUncertain).
func (db *DB) FailureCounts(ctx context.Context, id int64) (map[string]int, error) {
	rows, err := db.pool.Query(ctx, failureCountsSQL, id)
	if err != nil {
		return nil, fmt.Errorf("failure counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return nil, fmt.Errorf("failure counts: %w", err)
		}
		out[kind] = n
	}
	return out, rows.Err()
}

// SkipReasons counts an edition's skipped deliveries by reason.
func (db *DB) SkipReasons(ctx context.Context, id int64) ([]domain.SkipReason, error) {
	rows, err := db.pool.Query(ctx, skipReasonsSQL, id)
	if err != nil {
		return nil, fmt.Errorf("skip reasons: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.SkipReason, error) {
		var s domain.SkipReason
		err := r.Scan(&s.Reason, &s.Count)
		return s, err
	})
}

// SubscriberForPreview finds a subscriber by address (any case), for a
// preview of their digest; erased people are not found.
func (db *DB) SubscriberForPreview(ctx context.Context, email string) (domain.Subscriber, error) {
	s, err := scanSubscriber(db.pool.QueryRow(ctx, `SELECT `+subscriberColumns+` FROM subscribers
		WHERE lower(email) = lower($1) AND status <> $2`, email, domain.StatusErased))
	return s, notFound(err, "subscriber "+email)
}

// lockEdition reads where an edition is in its lifecycle, locking its row
// until the transaction ends, so no one else moves it meanwhile.
func lockEdition(ctx context.Context, tx pgx.Tx, id int64) (domain.EditionState, error) {
	var e domain.Edition
	err := tx.QueryRow(ctx, `SELECT status, reason FROM editions WHERE id = $1 FOR UPDATE`, id).Scan(&e.Status, &e.Reason)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.EditionState{}, errs.New(errs.NotFound, "edition %d not found", id)
	}
	return e.State(), err
}

// HasUntriedDeliveries reports whether any of an edition's unfinished
// deliveries is being sent or waits for its first try: pending with no
// error, or with one of untried (put back without being tried, as by a
// pause). The others are pending after a temporary failure, waiting for
// their batch to be tried again. It stops at the first it finds, so a
// large send in progress answers at once.
func (db *DB) HasUntriedDeliveries(ctx context.Context, id int64, untried []string) (bool, error) {
	var any bool
	err := db.pool.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM deliveries
		    WHERE edition_id = $1 AND status = ANY($2)
		      AND (status = $3 OR last_error = '' OR last_error = ANY($4)))`,
		id, domain.UnfinishedDeliveryStatuses(), domain.DeliverySending, untried).Scan(&any)
	if err != nil {
		return false, fmt.Errorf("untried deliveries of edition %d: %w", id, err)
	}
	return any, nil
}
