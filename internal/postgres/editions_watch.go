package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// EditionsToWatch are the editions whose progress the metrics report:
// the latest (limit) and, however old, every one not finished. Readers'
// slots make an edition every quarter hour, so a desk edition paused on
// its bounces, or stuck, would fall out of the latest within hours, and
// its alert end while it still waits. The unfinished are few; the table
// is read whole, a few thousand rows a month.
func (db *DB) EditionsToWatch(ctx context.Context, limit int) ([]domain.Edition, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+editionColumns+` FROM editions e
		WHERE e.status <> ALL($2) OR e.id >= (SELECT min(id) FROM (SELECT id FROM editions ORDER BY id DESC LIMIT $1) latest)
		ORDER BY e.id DESC`, limit, finishedStatuses())
	if err != nil {
		return nil, fmt.Errorf("editions to watch: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Edition, error) { return scanEdition(r) })
}
