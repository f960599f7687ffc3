package postgres_test

import (
	"fmt"
	"testing"

	"newsdigest/internal/postgres"
)

// An edition's console page counts its failed deliveries by kind and its
// skipped ones by reason, each from a partial index that holds just
// those. Planned as web runs them (prepared, generic) on an edition whose
// pages are all visible, each count must read its index alone: a
// condition the index does not hold (status) sends PostgreSQL to the
// table for every failed or skipped row, 30 to 50 ms each at a million
// deliveries.
func TestConsoleCountsReadOnlyTheirIndexes(t *testing.T) {
	t.Parallel()
	p := newPlanner(t)
	e := p.editionOf(20000)
	// Mostly sent; one in fifty skipped, one in a hundred failed. The
	// rows' commit is flushed before VACUUM looks at them (the test
	// databases commit asynchronously): only then can it mark their
	// pages all visible, as it does on a server's pages of an edition
	// sent a while ago.
	p.exec(`SET synchronous_commit = on`)
	p.exec(`INSERT INTO deliveries (edition_id, subscriber_id, group_id, status, sent_at, failure, reason)
	      SELECT $1, s.id, g.id,
	             CASE WHEN s.id % 100 = 0 THEN 'failed' WHEN s.id % 50 = 1 THEN 'skipped' ELSE 'sent' END,
	             CASE WHEN s.id % 100 = 0 OR s.id % 50 = 1 THEN NULL ELSE now() END,
	             CASE WHEN s.id % 100 = 0 THEN (ARRAY['permanent','temporary','uncertain'])[s.id % 3 + 1] ELSE '' END,
	             CASE WHEN s.id % 50 = 1 THEN (ARRAY['unsubscribed','bounced'])[s.id % 2 + 1] ELSE '' END
	      FROM subscribers s, edition_groups g WHERE g.edition_id = $1`, e.ID)
	p.exec(`VACUUM ANALYZE deliveries`)
	p.allVisible("deliveries")
	p.exec(`RESET synchronous_commit`)

	for _, q := range []struct{ name, sql, index string }{
		{"failure_counts", postgres.FailureCountsSQL, "deliveries_failed_kind"},
		{"skip_reasons", postgres.SkipReasonsSQL, "deliveries_skipped"},
	} {
		plan := joinLines(p.plan(q.name, "bigint", q.sql, "", fmt.Sprint(e.ID)))
		scans := deliveryScans(plan)
		if len(scans) == 0 {
			t.Errorf("%s: no scan of the deliveries in the plan:\n%s", q.name, plan)
		}
		for _, s := range scans {
			if s.kind != "Index Only Scan" || s.index != q.index {
				t.Errorf("%s reads more than %s (%s %s):\n%s", q.name, q.index, s.kind, s.index, plan)
				break
			}
		}
	}
}
