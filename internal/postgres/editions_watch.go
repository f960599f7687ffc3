package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// editionsToWatchSQL reads the unfinished editions from their index
// and the latest ($1) from the primary key's end: two short reads,
// however many editions are kept.
var editionsToWatchSQL = `
	SELECT ` + editionColumns + ` FROM editions e WHERE ` + unfinishedSQL + `
	UNION
	(SELECT ` + editionColumns + ` FROM editions e ORDER BY e.id DESC LIMIT $1)
	ORDER BY 1 DESC`

// EditionsToWatch are the editions whose progress the metrics report:
// the latest (limit) and, however old, every one not finished. Readers'
// slots make an edition every quarter hour, so a desk edition paused on
// its bounces, or stuck, would fall out of the latest within hours, and
// its alert end while it still waits. The unfinished are few, and read
// from their index (editionsToWatchSQL).
func (db *DB) EditionsToWatch(ctx context.Context, limit int) ([]domain.Edition, error) {
	rows, err := db.pool.Query(ctx, editionsToWatchSQL, limit)
	if err != nil {
		return nil, fmt.Errorf("editions to watch: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Edition, error) { return scanEdition(r) })
}
