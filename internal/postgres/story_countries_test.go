package postgres_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/postgres"
)

// StoryCountries reads counts that triggers keep (migration 00046), never
// the stories themselves; the counts must name exactly the countries the
// stories have after every kind of write: one story, many at once, from
// two connections (perhaps two shards), a change of countries, a change of
// something else, deletes and a truncate.
func TestStoryCountriesFollowTheStories(t *testing.T) {
	t.Parallel()
	p := newPlanner(t)
	if plan := joinLines(p.plan("story_countries", "", postgres.StoryCountriesSQL, "", "")); strings.Contains(plan, " on items") {
		t.Errorf("the desk's countries are read from the stories themselves:\n%s", plan)
	}
	exec := p.exec
	check := func(when string, want ...string) {
		t.Helper()
		got, err := p.db.StoryCountries(p.ctx)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := p.conn.Query(p.ctx, `SELECT DISTINCT c FROM items, unnest(countries) AS c ORDER BY c`)
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

	check("no stories")
	exec(story, "one", []string{"MX"})
	check("one story", "MX")
	exec(`INSERT INTO items (published_on, title, fingerprint, ingested_at, countries)
	      SELECT '2026-01-01', 'many ' || i, 'many-' || i, now(),
	             CASE WHEN i % 3 = 0 THEN ARRAY['GT', 'MX'] WHEN i % 3 = 1 THEN ARRAY['HN'] ELSE '{}' END
	      FROM generate_series(1, 300) i`)
	check("300 at once", "GT", "HN", "MX")

	// Another connection: it may write another shard (the shard is the
	// backend's pid modulo 16), whose counts add to the first's.
	other, err := p.db.Pool().Acquire(p.ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Release()
	if _, err := other.Exec(p.ctx, story, "other", []string{"CR"}); err != nil {
		t.Fatal(err)
	}
	exec(`UPDATE items SET countries = '{}' WHERE title = 'other'`)
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
