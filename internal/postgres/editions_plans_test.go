package postgres_test

import (
	"strings"
	"testing"

	"newsdigest/internal/postgres"
)

// The reconciler reads the unfinished editions every minute, and the
// metrics read them with the latest at every scrape, while the table
// keeps every edition ever made (readers' slots add one every quarter
// hour). Planned as the worker runs them (prepared, generic), both must
// read the unfinished from their partial index, not the whole table;
// the test also fails if a status is added to the domain's unfinished
// ones and not to the index (the planner can no longer match them).
func TestUnfinishedEditionsReadFromTheirIndex(t *testing.T) {
	t.Parallel()
	p := newPlanner(t)
	p.exec(`INSERT INTO editions (status, finished_at) SELECT 'done', now() FROM generate_series(1, 20000)`)
	p.exec(`INSERT INTO editions (status) VALUES ('sending'), ('paused'), ('queued')`)
	p.exec(`ANALYZE editions`)
	for _, q := range []struct{ name, types, sql, args string }{
		{"unfinished", "", postgres.UnfinishedSQL, ""},
		{"watch", "int", postgres.EditionsToWatchSQL, "20"},
	} {
		plan := joinLines(p.plan(q.name, q.types, q.sql, "COSTS OFF", q.args))
		if strings.Contains(plan, "Seq Scan on editions") || !strings.Contains(plan, "editions_unfinished") {
			t.Errorf("%s reads more editions than the unfinished:\n%s", q.name, plan)
		}
	}
}
