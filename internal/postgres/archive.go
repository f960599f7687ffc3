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
//
// The query walks items_newest from the cursor down and stops at the
// page's last story: a version is shown when no better version of its
// story (items_translation_root finds its siblings) passes the same
// filter. Picking one version per story over the whole archive first
// (DISTINCT ON) cost a sort of every archived story per page: a second
// at 100,000 (docs/performance.md). The country and topic conditions are
// only written when set, as containment (@>), so that a rare country's
// page can use the GIN indexes where `= ANY` cannot.
func (db *DB) ArchiveItems(ctx context.Context, f domain.ArchiveFilter) ([]domain.Item, error) {
	var beforeDay any
	var beforeID int64
	if f.Before != nil {
		beforeDay, beforeID = f.Before.PublishedOn.Time, f.Before.ID
	}
	filter := func(t string) string {
		cond := `NOT ` + t + `.hidden
			  AND EXISTS (SELECT 1 FROM edition_items ei JOIN editions e ON e.id = ei.edition_id
			              WHERE ei.item_id = ` + t + `.id AND e.status = ANY($9) AND e.reason <> $8)`
		if f.Country != "" {
			cond += ` AND (` + t + `.countries @> ARRAY[$1::text] OR ` + t + `.regions && $2)`
		}
		if f.Topic != "" {
			cond += ` AND ` + t + `.topics @> ARRAY[$3::text]`
		}
		return cond
	}
	// An unset filter's parameters are still named, so that every
	// parameter has a type.
	unset := ``
	if f.Country == "" {
		unset += ` AND $1::text = '' AND $2::text[] IS NOT NULL`
	}
	if f.Topic == "" {
		unset += ` AND $3::text = ''`
	}
	rows, err := db.pool.Query(ctx, `
		SELECT `+itemColumns+` FROM items
		WHERE `+filter("items")+`
		  AND ($5::date IS NULL OR (published_on, id) < ($5::date, $6))`+unset+`
		  AND NOT EXISTS (
		      SELECT 1 FROM items b
		      WHERE COALESCE(b.translation_of, b.id) = COALESCE(items.translation_of, items.id) AND b.id <> items.id
		        AND ((b.language = $4) > (items.language = $4) OR ((b.language = $4) = (items.language = $4) AND b.id < items.id))
		        AND `+filter("b")+`)
		ORDER BY published_on DESC, id DESC
		LIMIT $7`,
		f.Country, nonNil(f.Regions), f.Topic, f.Language, beforeDay, beforeID, f.Limit, domain.ReasonCancelled,
		domain.PublishingStatuses())
	if err != nil {
		return nil, fmt.Errorf("archive items: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Item, error) { return scanItem(r) })
}
