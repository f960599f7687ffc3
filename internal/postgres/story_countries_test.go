package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/postgres"
	"newsdigest/internal/testenv"
)

// StoryCountries reads counts that triggers keep (migration 00046), never
// the stories themselves; the counts must name exactly the countries the
// stories have after every kind of write: one story, many at once, from
// two connections (two shards), a change of countries, a change of
// something else, deletes and a truncate.
func TestStoryCountriesFollowTheStories(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	pool := db.Pool()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	check := func(when string, want ...string) {
		t.Helper()
		got, err := db.StoryCountries(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := pool.Query(ctx, `SELECT DISTINCT c FROM items, unnest(countries) AS c ORDER BY c`)
		counted, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, counted) || !slices.Equal(got, want) {
			t.Errorf("%s: StoryCountries = %v, the stories have %v, want %v", when, got, counted, want)
		}
	}
	const story = `INSERT INTO items (published_on, title, fingerprint, ingested_at, countries)
		VALUES ('2026-01-01', $1, $1, now(), $2)`

	rows, _ := pool.Query(ctx, "EXPLAIN "+postgres.StoryCountriesSQL)
	plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if joined := strings.Join(plan, "\n"); strings.Contains(joined, " on items") {
		t.Errorf("the desk's countries are read from the stories themselves:\n%s", joined)
	}

	check("no stories")
	exec(story, "one", []string{"MX"})
	check("one story", "MX")
	exec(`INSERT INTO items (published_on, title, fingerprint, ingested_at, countries)
	      SELECT '2026-01-01', 'many ' || i, 'many-' || i, now(),
	             CASE WHEN i % 3 = 0 THEN ARRAY['GT', 'MX'] WHEN i % 3 = 1 THEN ARRAY['HN'] ELSE '{}' END
	      FROM generate_series(1, 300) i`)
	check("300 at once", "GT", "HN", "MX")

	// Two connections: the second may write another shard (the shard is
	// the backend's pid modulo 16), whose counts add to the first's.
	conns := make([]*pgx.Conn, 2)
	for i := range conns {
		c, err := pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Release()
		conns[i] = c.Conn()
	}
	if _, err := conns[0].Exec(ctx, story, "other", []string{"CR"}); err != nil {
		t.Fatal(err)
	}
	if _, err := conns[1].Exec(ctx, `UPDATE items SET countries = '{}' WHERE title = 'other'`); err != nil {
		t.Fatal(err)
	}
	check("a story added on one connection and emptied on another", "GT", "HN", "MX")

	exec(`UPDATE items SET countries = ARRAY['PA'] WHERE countries = ARRAY['HN']`)
	check("Honduras's stories moved to Panama", "GT", "MX", "PA")
	exec(`UPDATE items SET summary = 'edited'`)
	check("every story edited, no country changed", "GT", "MX", "PA")
	exec(`DELETE FROM items WHERE 'GT' = ANY(countries)`)
	check("Guatemala's stories deleted", "MX", "PA")
	exec(`TRUNCATE items CASCADE`)
	check("truncated")
	exec(story, "again", []string{"HT"})
	check("a story after the truncate", "HT")
}
