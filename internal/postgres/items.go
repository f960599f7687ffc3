package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// ingestLock is the advisory lock that orders item ingestion against the
// cut-off of scheduled editions. Ingest holds it shared and stamps items
// after taking it; an edition takes it exclusively to read its cut-off, so
// no item can commit with a timestamp before a cut-off it missed.
const ingestLock = 0x6e6469676573 // "ndiges"

const itemColumns = `id, published_on, title, summary, url, language, countries, regions, topics, hidden, ingested_at`

func scanItem(r pgx.Row) (domain.Item, error) {
	var it domain.Item
	var day time.Time
	err := r.Scan(&it.ID, &day, &it.Title, &it.Summary, &it.URL, &it.Language,
		&it.Countries, &it.Regions, &it.Topics, &it.Hidden, &it.IngestedAt)
	it.PublishedOn = domain.Date{Time: day}
	return it, err
}

// InsertItems stores new items in one transaction: all of them or none.
// An item whose fingerprint is already stored is a duplicate and is left
// as it is. It reports how many were new and how many were duplicates.
func (db *DB) InsertItems(ctx context.Context, items []domain.Item) (imported, duplicates int, err error) {
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var now time.Time
		if err := tx.QueryRow(ctx,
			`SELECT clock_timestamp() FROM (SELECT pg_advisory_xact_lock_shared($1)) l`, ingestLock,
		).Scan(&now); err != nil {
			return fmt.Errorf("take ingest lock: %w", err)
		}
		batch := &pgx.Batch{}
		for _, it := range items {
			batch.Queue(`
				INSERT INTO items (published_on, title, summary, url, language, countries, regions, topics, fingerprint, ingested_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
				ON CONFLICT (fingerprint) DO NOTHING`,
				it.PublishedOn.Time, it.Title, it.Summary, it.URL, it.Language,
				nonNil(it.Countries), nonNil(it.Regions), nonNil(it.Topics), it.Fingerprint, now)
		}
		results := tx.SendBatch(ctx, batch)
		for range items {
			tag, err := results.Exec()
			if err != nil {
				results.Close()
				return fmt.Errorf("insert item: %w", err)
			}
			if tag.RowsAffected() == 1 {
				imported++
			} else {
				duplicates++
			}
		}
		return results.Close()
	})
	if err != nil {
		return 0, 0, err
	}
	return imported, duplicates, nil
}

// Item returns one item.
func (db *DB) Item(ctx context.Context, id int64) (domain.Item, error) {
	it, err := scanItem(db.pool.QueryRow(ctx, `SELECT `+itemColumns+` FROM items WHERE id = $1`, id))
	if err != nil {
		return domain.Item{}, notFound(err, "item")
	}
	return it, nil
}

// Items lists items newest first, one page at a time.
func (db *DB) Items(ctx context.Context, f domain.ItemFilter) ([]domain.Item, error) {
	sql := `SELECT ` + itemColumns + ` FROM items WHERE true`
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.Country != "" {
		sql += ` AND countries @> ARRAY[` + arg(f.Country) + `]::text[]`
	}
	if f.Topic != "" {
		sql += ` AND topics @> ARRAY[` + arg(f.Topic) + `]::text[]`
	}
	if f.From != nil {
		sql += ` AND published_on >= ` + arg(f.From.Time)
	}
	if f.To != nil {
		sql += ` AND published_on <= ` + arg(f.To.Time)
	}
	if f.After != nil {
		sql += ` AND (published_on, id) < (` + arg(f.After.PublishedOn.Time) + `, ` + arg(f.After.ID) + `)`
	}
	sql += ` ORDER BY published_on DESC, id DESC LIMIT ` + arg(f.Limit)
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("list items: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Item, error) { return scanItem(r) })
}

// UpdateItem applies an editor's change inside a transaction, validating
// the result with check before it is written.
func (db *DB) UpdateItem(ctx context.Context, id int64, u domain.ItemUpdate, check func(*domain.Item) error) (domain.Item, error) {
	var it domain.Item
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var err error
		it, err = scanItem(tx.QueryRow(ctx, `SELECT `+itemColumns+` FROM items WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return notFound(err, "item")
		}
		u.Apply(&it)
		if err := check(&it); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			UPDATE items SET title = $2, summary = $3, url = $4, countries = $5, regions = $6,
			       topics = $7, hidden = $8, updated_at = now()
			WHERE id = $1`,
			id, it.Title, it.Summary, it.URL, nonNil(it.Countries), nonNil(it.Regions), nonNil(it.Topics), it.Hidden)
		return err
	})
	return it, err
}

// nonNil keeps NOT NULL array columns from receiving NULL.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
