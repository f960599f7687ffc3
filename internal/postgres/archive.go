package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// ArchiveItems lists the stories that went out in an edition (one
// published, domain.EditionState.Published: a failed or queued edition
// published nothing, and a cancelled one was stopped, perhaps because a
// story in it was wrong), never hidden ones. A story of a cancelled edition shows once
// another edition has sent it. A story with versions in several languages shows once, in
// f.Language when it has that version, else its first stored one; the
// choice is made over the whole archive, so it does not change from page
// to page.
func (db *DB) ArchiveItems(ctx context.Context, f domain.ArchiveFilter) ([]domain.Item, error) {
	var beforeDay any
	var beforeID int64
	if f.Before != nil {
		beforeDay, beforeID = f.Before.PublishedOn.Time, f.Before.ID
	}
	rows, err := db.pool.Query(ctx, `
		SELECT `+itemColumns+` FROM items
		WHERE id IN (
			SELECT DISTINCT ON (COALESCE(a.translation_of, a.id)) a.id FROM items a
			WHERE NOT a.hidden
			  AND EXISTS (SELECT 1 FROM edition_items ei JOIN editions e ON e.id = ei.edition_id
			              WHERE ei.item_id = a.id AND e.status = ANY($9) AND e.reason <> $8)
			  AND ($1 = '' OR $1 = ANY(a.countries) OR a.regions && $2)
			  AND ($3 = '' OR $3 = ANY(a.topics))
			ORDER BY COALESCE(a.translation_of, a.id), (a.language = $4) DESC, a.id)
		  AND ($5::date IS NULL OR (published_on, id) < ($5::date, $6))
		ORDER BY published_on DESC, id DESC
		LIMIT $7`,
		f.Country, nonNil(f.Regions), f.Topic, f.Language, beforeDay, beforeID, f.Limit, domain.ReasonCancelled,
		domain.PublishingStatuses())
	if err != nil {
		return nil, fmt.Errorf("archive items: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Item, error) { return scanItem(r) })
}
