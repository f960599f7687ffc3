package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// maxSkippedRows bounds the skipped rows a preview lists one by one.
const maxSkippedRows = 200

// PreviewImportSubscribers runs ImportSubscribers in a transaction that
// is rolled back, so the preview follows the import's own rules and
// writes nothing.
func (db *DB) PreviewImportSubscribers(ctx context.Context, src domain.ImportSource, c domain.Consent) (domain.ImportPreview, error) {
	var p domain.ImportPreview
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return p, fmt.Errorf("begin import preview: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	p.Imported, p.Skipped, err = importSubscribers(ctx, tx, src, c, &p, db.erasedKeys)
	return p, err
}

// skippedRows selects the rows of subscriber_import the insert will pass
// over, with why: the same three things its DISTINCT ON, NOT skip and
// conflicts (ON CONFLICT, erased_keys) decide.
var skippedRows = `
	WITH firsts AS (
		SELECT DISTINCT ON (lower(email)) ord FROM subscriber_import ORDER BY lower(email), ord
	)
	SELECT i.ord, i.line, i.email,
	       CASE WHEN i.skip THEN '` + domain.SkipListed + `' WHEN f.ord IS NULL THEN '` + domain.SkipRepeated + `' ELSE s.status END AS reason
	FROM subscriber_import i
	LEFT JOIN firsts f ON f.ord = i.ord
	LEFT JOIN LATERAL (
		SELECT status FROM subscribers WHERE lower(email) = lower(i.email) OR lower(email) = ANY(i.erased_keys) LIMIT 1
	) s ON true
	WHERE i.skip OR f.ord IS NULL OR s.status IS NOT NULL`

// explainSkips fills in why rows will be skipped; it runs before the
// insert, so that what is already stored is told from what the import
// adds.
func explainSkips(ctx context.Context, tx pgx.Tx, p *domain.ImportPreview) error {
	rows, err := tx.Query(ctx, `SELECT reason, count(*) FROM (`+skippedRows+`) x GROUP BY reason`)
	if err != nil {
		return fmt.Errorf("explain import: %w", err)
	}
	p.SkipReasons = map[string]int{}
	var reason string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&reason, &n}, func() error {
		p.SkipReasons[reason] = n
		return nil
	}); err != nil {
		return fmt.Errorf("explain import: %w", err)
	}
	rows, err = tx.Query(ctx, `SELECT line, email, reason FROM (`+skippedRows+`) x ORDER BY ord LIMIT $1`, maxSkippedRows)
	if err != nil {
		return fmt.Errorf("explain import: %w", err)
	}
	p.SkippedRows, err = pgx.CollectRows(rows, pgx.RowToStructByPos[domain.SkippedRow])
	if err != nil {
		return fmt.Errorf("explain import: %w", err)
	}
	return nil
}
