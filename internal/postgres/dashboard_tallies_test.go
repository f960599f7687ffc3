package postgres_test

import (
	"context"
	"slices"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/testenv"
)

// TestDashboardTalliesFollowSubscribers: the dashboard's counts, kept by
// triggers in subscriber_tallies, equal what counting the subscribers
// table gives after rows are inserted one by one and in bulk, have their
// status and choices changed, and are deleted.
func TestDashboardTalliesFollowSubscribers(t *testing.T) {
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
	check := func(when string) {
		t.Helper()
		d, err := db.Dashboard(ctx, 100, 10)
		if err != nil {
			t.Fatal(err)
		}
		counted := func(q string) []domain.Tally {
			t.Helper()
			rows, err := pool.Query(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []domain.Tally
			for rows.Next() {
				var x domain.Tally
				if err := rows.Scan(&x.Key, &x.Count); err != nil {
					t.Fatal(err)
				}
				out = append(out, x)
			}
			return out
		}
		for _, c := range []struct {
			name string
			got  []domain.Tally
			q    string
		}{
			{"by status", d.SubscribersByStatus, `SELECT status, count(*) FROM subscribers GROUP BY 1 ORDER BY 2 DESC, 1`},
			{"by country", d.ActiveByCountry, `SELECT c, count(*) FROM subscribers, unnest(countries) c WHERE status = 'active' GROUP BY 1 ORDER BY 2 DESC, 1`},
			{"by topic", d.ActiveByTopic, `SELECT x, count(*) FROM subscribers, unnest(topics) x WHERE status = 'active' GROUP BY 1 ORDER BY 2 DESC, 1`},
		} {
			if want := counted(c.q); !slices.Equal(c.got, want) {
				t.Errorf("%s: %s = %v, counting gives %v", when, c.name, c.got, want)
			}
		}
		var all int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM subscribers WHERE status = 'active' AND all_stories`).Scan(&all); err != nil {
			t.Fatal(err)
		}
		if d.ActiveAllStories != all {
			t.Errorf("%s: all stories = %d, counting gives %d", when, d.ActiveAllStories, all)
		}
	}
	check("empty")
	exec(`INSERT INTO subscribers (email, status, countries, topics, token) VALUES
		('a@example.org', 'active', '{MX,GT}', '{protection}', 'ta'),
		('b@example.org', 'pending', '{MX}', '{}', 'tb'),
		('c@example.org', 'active', '{}', '{}', 'tc')`)
	exec(`UPDATE subscribers SET all_stories = true WHERE email = 'c@example.org'`)
	check("after an insert")
	exec(`INSERT INTO subscribers (email, status, countries, topics, language, token)
		SELECT 'bulk' || g || '@example.org', CASE WHEN g % 3 = 0 THEN 'pending' ELSE 'active' END,
		       CASE WHEN g % 2 = 0 THEN '{MX}'::text[] ELSE '{HN,SV}'::text[] END, '{labour-migration}', 'es', 'tok' || g
		FROM generate_series(1, 500) g`)
	check("after a bulk insert")
	exec(`UPDATE subscribers SET status = 'active' WHERE status = 'pending'`)
	exec(`UPDATE subscribers SET countries = '{CR}', topics = '{}' WHERE email LIKE 'bulk1%'`)
	exec(`UPDATE subscribers SET updated_at = now()`)
	exec(`UPDATE subscribers SET status = 'unsubscribed' WHERE email LIKE 'bulk2%'`)
	check("after updates")
	exec(`DELETE FROM subscribers WHERE email LIKE 'bulk3%' OR email = 'a@example.org'`)
	check("after deletes")
	exec(`TRUNCATE subscribers CASCADE`)
	check("after truncate")
}
