package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/taxonomy"
)

// Taxonomy loads the countries, regions and topics as they are now. Their
// names are not stored: they come from CLDR and the catalogue (package
// taxonomy), in every language.
func (db *DB) Taxonomy(ctx context.Context) (*taxonomy.Taxonomy, error) {
	countries, err := queryAll(ctx, db, `SELECT code FROM countries ORDER BY code`,
		func(r pgx.Rows) (c taxonomy.Country, err error) {
			err = r.Scan(&c.Code)
			return
		})
	if err != nil {
		return nil, fmt.Errorf("load countries: %w", err)
	}
	regions, err := queryAll(ctx, db, `SELECT code, countries FROM regions ORDER BY position, code`,
		func(r pgx.Rows) (g taxonomy.Region, err error) {
			err = r.Scan(&g.Code, &g.Countries)
			return
		})
	if err != nil {
		return nil, fmt.Errorf("load regions: %w", err)
	}
	topics, err := queryAll(ctx, db, `SELECT slug FROM topics ORDER BY position, slug`,
		func(r pgx.Rows) (t taxonomy.Topic, err error) {
			err = r.Scan(&t.Slug)
			return
		})
	if err != nil {
		return nil, fmt.Errorf("load topics: %w", err)
	}
	return taxonomy.New(countries, regions, topics), nil
}

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, db *DB, sql string, scan func(pgx.Rows) (T, error), args ...any) ([]T, error) {
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r.(pgx.Rows)) })
}
