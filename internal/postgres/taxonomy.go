package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
)

// Vocabulary loads the countries, regions and topics as they are now.
// Their names are not stored: they come from CLDR and the catalogue, in
// every language (domain.Country.Name and its kin).
func (db *DB) Vocabulary(ctx context.Context) (domain.Vocabulary, error) {
	var v domain.Vocabulary
	var err error
	v.Countries, err = queryAll(ctx, db, `SELECT code FROM countries ORDER BY code`,
		func(r pgx.Rows) (c domain.Country, err error) {
			err = r.Scan(&c.Code)
			return
		})
	if err != nil {
		return v, fmt.Errorf("load countries: %w", err)
	}
	v.Regions, err = queryAll(ctx, db, `SELECT code, countries FROM regions ORDER BY position, code`,
		func(r pgx.Rows) (g domain.Region, err error) {
			err = r.Scan(&g.Code, &g.Countries)
			return
		})
	if err != nil {
		return v, fmt.Errorf("load regions: %w", err)
	}
	v.Topics, err = queryAll(ctx, db, `SELECT slug FROM topics ORDER BY position, slug`,
		func(r pgx.Rows) (t domain.Topic, err error) {
			err = r.Scan(&t.Slug)
			return
		})
	if err != nil {
		return v, fmt.Errorf("load topics: %w", err)
	}
	return v, nil
}

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, db *DB, sql string, scan func(pgx.Rows) (T, error), args ...any) ([]T, error) {
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r.(pgx.Rows)) })
}
