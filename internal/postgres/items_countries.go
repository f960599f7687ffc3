package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// storyCountriesSQL sums story_countries (migration 00046), which
// triggers keep with every write of items: a few hundred rows, however
// large the archive, where reading the stories themselves took tens of
// milliseconds a page at 100,000.
const storyCountriesSQL = `
	SELECT code FROM story_countries GROUP BY code HAVING sum(stories) > 0 ORDER BY code`

// StoryCountries returns the codes of the countries the desk's stories
// are tagged with, each once, for the console's lists that offer the
// desk's own countries first.
func (db *DB) StoryCountries(ctx context.Context) ([]string, error) {
	rows, err := db.pool.Query(ctx, storyCountriesSQL)
	if err != nil {
		return nil, fmt.Errorf("story countries: %w", err)
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("story countries: %w", err)
	}
	return codes, nil
}
