package postgres

import (
	"context"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// SetFeatured features a story until a time, or stops featuring it (nil).
func (db *DB) SetFeatured(ctx context.Context, id int64, until *time.Time) (domain.Item, error) {
	tag, err := db.pool.Exec(ctx, `UPDATE items SET featured_until = $2 WHERE id = $1`, id, until)
	if err != nil {
		return domain.Item{}, err
	}
	if tag.RowsAffected() == 0 {
		return domain.Item{}, errs.New(errs.NotFound, "item %d not found", id)
	}
	return db.Item(ctx, id)
}
