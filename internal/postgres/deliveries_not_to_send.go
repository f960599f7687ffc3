package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// DeliveriesNotToSend returns those of the deliveries ids a batch in progress
// is not to send after all: their reader is no longer active
// (unsubscribed, complained, bounced, or erased), or the delivery is no
// longer sending, a report having come back about a copy sent by a
// worker that died before recording it (reportedSent). The batch asks
// every second and skips them. One lookup by key per delivery, the few
// hundred of a batch.
func (db *DB) DeliveriesNotToSend(ctx context.Context, ids []int64) ([]int64, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT d.id FROM deliveries d LEFT JOIN subscribers s ON s.id = d.subscriber_id
		WHERE d.id = ANY($1) AND (s.status IS DISTINCT FROM $2 OR d.status <> $3)`,
		ids, domain.StatusActive, domain.DeliverySending)
	if err != nil {
		return nil, fmt.Errorf("deliveries not to send after all: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}
