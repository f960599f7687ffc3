package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// ReleaseClaims gives claimed deliveries back (domain.DeliveryRelease),
// untried, when their batch cannot go on (what every digest is made from
// could not be loaded): they are pending again, their attempt not
// counted, for the batch's retry to claim at once rather than after the
// lease.
func (db *DB) ReleaseClaims(ctx context.Context, ids []int64) error {
	from, _, _ := domain.DeliveryRule(domain.DeliveryRelease)
	_, err := db.pool.Exec(ctx, `
		UPDATE deliveries SET status = $3, lease_until = NULL, attempts = greatest(attempts - 1, 0), updated_at = now()
		WHERE id = ANY($1) AND status = ANY($2)`, ids, from, domain.DeliveryPending)
	if err != nil {
		return fmt.Errorf("release claimed deliveries: %w", err)
	}
	return nil
}

// EditionSnapshot reads whether an edition was cancelled, paused or
// failed and where its stories stand, in one cheap query.
func (db *DB) EditionSnapshot(ctx context.Context, id int64) (domain.EditionSnapshot, error) {
	var s domain.EditionSnapshot
	var n int
	var changed *time.Time
	// Asked before every batch: the edition's stories are read once.
	err := db.pool.QueryRow(ctx, `
		SELECT e.reason = $2, e.status = $3, e.status = $4, st.shown, st.changed
		FROM editions e, LATERAL (
		    SELECT count(*) FILTER (WHERE NOT i.hidden) AS shown, max(i.updated_at) AS changed
		    FROM edition_items ei JOIN items i ON i.id = ei.item_id WHERE ei.edition_id = e.id) st
		WHERE e.id = $1`, id, domain.ReasonCancelled, domain.EditionPaused, domain.EditionFailed).
		Scan(&s.Cancelled, &s.Paused, &s.Failed, &n, &changed)
	if err != nil {
		return s, notFound(err, "edition")
	}
	s.Stories = fmt.Sprint(n)
	if changed != nil {
		s.Stories += "@" + changed.UTC().Format(time.RFC3339Nano)
	}
	return s, nil
}

// SubscriberGroup returns the digest an edition has for one subscriber;
// found is false when they have none (not a reader then, or nothing
// matched).
func (db *DB) SubscriberGroup(ctx context.Context, editionID, subscriberID int64) (g domain.DigestGroup, found bool, err error) {
	err = db.pool.QueryRow(ctx, `
		SELECT g.id, g.language, g.sections, g.view_token FROM deliveries d JOIN edition_groups g ON g.id = d.group_id
		WHERE d.edition_id = $1 AND d.subscriber_id = $2`, editionID, subscriberID).Scan(&g.ID, &g.Language, &g.Sections, &g.ViewToken)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return g, false, nil
	case err != nil:
		return g, false, fmt.Errorf("subscriber's digest: %w", err)
	}
	return g, true, nil
}
