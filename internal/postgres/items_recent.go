package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// RecentStories returns the visible items first ingested since since,
// holding only what matching needs: id, language, tags, and the story a
// translation belongs to (as its one Translations entry, which is all
// domain.PickLanguage reads). It is the input of the sign-up estimate.
func (db *DB) RecentStories(ctx context.Context, since time.Time) ([]domain.Item, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT id, language, countries, regions, topics, translation_of
		FROM items WHERE NOT hidden AND ingested_at >= $1
		ORDER BY ingested_at DESC, id DESC`, since)
	if err != nil {
		return nil, fmt.Errorf("recent stories: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Item, error) {
		var it domain.Item
		var of *int64
		err := r.Scan(&it.ID, &it.Language, &it.Countries, &it.Regions, &it.Topics, &of)
		if of != nil {
			it.Translations = []int64{*of}
		}
		return it, err
	})
}
