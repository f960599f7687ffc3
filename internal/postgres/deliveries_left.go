package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// DeliveriesLeft returns those of the deliveries ids whose reader is no
// longer active (unsubscribed, complained, bounced, or erased): a batch
// in progress asks every second, and skips their digests still to go.
// One lookup by key per delivery, the few hundred of a batch.
func (db *DB) DeliveriesLeft(ctx context.Context, ids []int64) ([]int64, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT d.id FROM deliveries d LEFT JOIN subscribers s ON s.id = d.subscriber_id
		WHERE d.id = ANY($1) AND s.status IS DISTINCT FROM $2`, ids, domain.StatusActive)
	if err != nil {
		return nil, fmt.Errorf("readers who left: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}
