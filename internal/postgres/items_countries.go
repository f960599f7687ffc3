package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// StoryCountries returns the country codes the desk's stories are tagged
// with, each once, for the console's lists that offer the desk's own
// countries first.
func (db *DB) StoryCountries(ctx context.Context) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT DISTINCT c FROM items, unnest(countries) AS c ORDER BY c`)
	if err != nil {
		return nil, fmt.Errorf("story countries: %w", err)
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("story countries: %w", err)
	}
	return codes, nil
}
