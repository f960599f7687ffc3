package postgres_test

import (
	"context"
	"newsdigest/internal/postgres"
	"strings"
	"testing"
)

// The reconciler looks, every minute, for deliveries of failed editions
// to abandon (AbandonLapsed). Failed is an edition's last state, and
// failed editions are kept: read through deliveries_edition, the check
// read every delivery of every failed edition ever made, 2.3 s a minute
// for five failed editions of 100,000. Once a failed edition has been
// found with nothing in flight, long enough after it failed that nothing
// can be put back, its deliveries are not read again.
func TestReconcileReadsNoDeliveriesOfSettledFailedEditions(t *testing.T) {
	t.Parallel()
	p := newPlanner(t)
	const n = 5000
	e := p.editionOf(n)
	p.exec(`INSERT INTO deliveries (edition_id, subscriber_id, group_id, status, sent_at, reason)
	        SELECT $1, s.id, g.id, CASE WHEN s.id % 10 = 0 THEN 'skipped' ELSE 'sent' END,
	               CASE WHEN s.id % 10 = 0 THEN NULL ELSE now() END, CASE WHEN s.id % 10 = 0 THEN 'edition failed' ELSE '' END
	        FROM subscribers s, edition_groups g WHERE g.edition_id = $1`, e.ID)
	p.exec(`UPDATE editions SET status = 'failed', reason = 'compile failed', finished_at = now() - interval '2 hours' WHERE id = $1`, e.ID)
	p.exec(`ANALYZE deliveries`)
	p.exec(`ANALYZE editions`)

	// The reconciles after its failure.
	for range 2 {
		if err := p.db.AbandonLapsed(context.Background()); err != nil {
			t.Fatal(err)
		}
	}

	plan := joinLines(p.plan("abandonable", "text, text[], text[]", postgres.AbandonableSQL, "ANALYZE, COSTS OFF",
		`'failed', '{sending}', '{pending}'`))
	for _, l := range strings.Split(plan, "\n") {
		if strings.Contains(l, "on deliveries") && !strings.Contains(l, "never executed") {
			t.Fatalf("the reconcile reads the deliveries of a failed edition settled long ago:\n%s", plan)
		}
	}
}
