package postgres_test

import (
	"strings"
	"testing"

	"newsdigest/internal/postgres"
)

// The purge of sign-ups never confirmed runs at every reconcile, every
// minute, and the subscribers' table keeps every reader the desk ever
// had (erased and unsubscribed rows stay: docs/privacy.md). Planned as
// the worker runs it (prepared, generic), it must read the unconfirmed
// sign-ups from their partial index, not every subscriber: 7,145
// buffers and 78 ms a minute at 245,000 rows, more with every reader.
func TestPurgeUnconfirmedReadsOnlyUnconfirmedSignups(t *testing.T) {
	t.Parallel()
	p := newPlanner(t)
	p.exec(`INSERT INTO subscribers (email, status, token, confirmed_at, created_at)
	        SELECT 'r' || i || '@example.org', CASE WHEN i % 3 = 0 THEN 'unsubscribed' ELSE 'active' END,
	               'tok' || i, now() - interval '1 year', now() - interval '1 year'
	        FROM generate_series(1, 20000) i`)
	p.exec(`INSERT INTO subscribers (email, status, token, created_at)
	        SELECT 'p' || i || '@example.org', 'pending', 'ptok' || i, now() - interval '1 day'
	        FROM generate_series(1, 20) i`)
	p.exec(`ANALYZE subscribers`)
	plan := joinLines(p.plan("purge", "interval, int, text[]", postgres.PurgeUnconfirmedSQL, "COSTS OFF",
		`'7 days', 1000, '{pending}'`))
	if strings.Contains(plan, "Seq Scan on subscribers") || !strings.Contains(plan, "subscribers_unconfirmed") {
		t.Errorf("the purge of unconfirmed sign-ups reads more than the unconfirmed ones:\n%s", plan)
	}
}
