package postgres_test

import (
	"fmt"
	"strings"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
)

// The claim runs once per batch of an edition: read through an index on
// edition_id alone, it would read every delivery of the edition, so an
// edition of a million would cost its size squared. That is the plan
// PostgreSQL picks when the deliveries' statistics predate the compile
// that just wrote them (it takes the table for nearly empty), and it is
// the plan prepared statements keep. The finish check, once an edition's
// counts say it is done and at every reconcile, may read the edition's
// deliveries, never the table. TestSendQueriesReadOnlyTheirBatch plans
// both as the worker runs them (prepared, generic) on such statistics,
// and the claim again on fresh ones.
func TestSendQueriesReadOnlyTheirBatch(t *testing.T) {
	t.Parallel()
	p := newPlanner(t)
	exec := p.exec
	// Statistics of an empty table, and none gathered meanwhile.
	exec(`ALTER TABLE deliveries SET (autovacuum_enabled = off)`)
	exec(`ANALYZE deliveries`)
	const n = 20000
	e := p.editionOf(n)
	exec(`INSERT INTO deliveries (edition_id, subscriber_id, group_id, status)
	      SELECT $1, s.id, g.id, 'pending' FROM subscribers s, edition_groups g WHERE g.edition_id = $1`, e.ID)

	plan := func(name, types, sql, args string) string {
		t.Helper()
		return joinLines(p.plan(name, types, sql, "", args))
	}
	from, lapsed, _ := domain.DeliveryRule(domain.DeliveryClaim)
	// Planned on statistics of an empty table, then on true ones taken
	// late in the send, most deliveries sent.
	for _, stats := range []string{"stale", "fresh"} {
		if stats == "fresh" {
			exec(`UPDATE deliveries SET status = 'sent', sent_at = now() WHERE id < (SELECT min(id) + $1 FROM deliveries)`, n*9/10)
			exec(`ANALYZE deliveries`)
		}
		claim := plan("claim_"+stats, "bigint, bigint, bigint, interval, text[], text[], text, text, text, text[]", postgres.ClaimSQL,
			fmt.Sprintf(`%d, 1, 200, '1 minute', '{%s}', '{%s}', 'sending', 'cancelled', 'active', '{paused,failed}'`,
				e.ID, strings.Join(from, ","), strings.Join(lapsed, ",")))
		index, cond := batchScan(claim)
		batchOnly := (index == "deliveries_pkey" && cond == "((id >= $2) AND (id <= $3))") ||
			(index == "deliveries_edition" && cond == "((edition_id = $1) AND (id >= $2) AND (id <= $3))")
		if !batchOnly {
			t.Errorf("%s statistics: the claim of a batch reads more than the batch's range of ids:\n%s", stats, claim)
		}
		if stats == "fresh" {
			// The planner may then scan the table for the first
			// unfinished delivery: so the sender checks only once the
			// edition's counts say it is done (FinishEditionIfCounted).
			continue
		}
		finish := plan("finish_"+stats, "bigint, text[], text, text, text, text[]", postgres.FinishSQL,
			fmt.Sprintf(`%d, '{sending}', 'done', 'cancelled', 'cancelled', '{pending,sending}'`, e.ID))
		// Asked only once the edition's counts say it is done, the finish
		// check reads the edition's deliveries, but never the table.
		if strings.Contains(finish, "Seq Scan on deliveries") || !strings.Contains(finish, "deliveries_edition") {
			t.Errorf("%s statistics: the finish check reads more than the edition's deliveries:\n%s", stats, finish)
		}
	}
}

// batchScan returns the index through which a claim's plan finds the
// batch's deliveries (the subquery's, deliveries_1), and its condition.
func batchScan(plan string) (index, cond string) {
	lines := strings.Split(plan, "\n")
	for i, l := range lines {
		_, after, ok := strings.Cut(l, "Index Scan using ")
		if !ok || !strings.Contains(after, " on deliveries deliveries_1 ") {
			continue
		}
		index, _, _ = strings.Cut(after, " ")
		for _, c := range lines[i+1:] {
			if _, cond, ok := strings.Cut(c, "Index Cond: "); ok {
				return index, cond
			}
		}
	}
	return "", ""
}

// While an edition sends, each worker counts its bounces and complaints
// once a second (EditionHealth) to pause it past the limits. Planned as
// the worker runs it (prepared, generic), each count must read the
// edition's failed or reported deliveries only, through their partial
// indexes: reading every delivery of an edition of a million took most
// of a second.
func TestBounceCountsReadOnlyWhatCameBack(t *testing.T) {
	t.Parallel()
	p := newPlanner(t)
	exec := p.exec
	e := p.editionOf(20000)
	// Mostly sent; one in a hundred refused, one in five hundred bounced
	// after the send.
	exec(`INSERT INTO deliveries (edition_id, subscriber_id, group_id, status, sent_at, failure, bounce_kind)
	      SELECT $1, s.id, g.id, CASE WHEN s.id % 100 = 0 THEN 'failed' ELSE 'sent' END,
	             CASE WHEN s.id % 100 = 0 THEN NULL ELSE now() END,
	             CASE WHEN s.id % 100 = 0 THEN 'permanent' ELSE '' END,
	             CASE WHEN s.id % 500 = 7 THEN 'hard' ELSE '' END
	      FROM subscribers s, edition_groups g WHERE g.edition_id = $1`, e.ID)
	exec(`ANALYZE deliveries`)
	health := joinLines(p.plan("health", "bigint, text, text[], text", postgres.HealthSQL, "",
		fmt.Sprintf(`%d, 'permanent', '{hard,soft}', 'complaint'`, e.ID)))
	// Each scan of the deliveries goes through an index of what came
	// back: any other (the table, or an index of the edition's every
	// delivery) reads them all.
	scans := deliveryScans(health)
	if len(scans) == 0 {
		t.Fatalf("no scan of the deliveries in the plan:\n%s", health)
	}
	for _, s := range scans {
		if s.index != "deliveries_failed" && s.index != "deliveries_failed_kind" && s.index != "deliveries_reported" {
			t.Errorf("the bounce counts read every delivery of the edition (%s %s):\n%s", s.kind, s.index, health)
			break
		}
	}
}

// editionOf makes n active subscribers and an edition with one digest,
// its deliveries left to the test to write.
func (p *planner) editionOf(n int) domain.Edition {
	p.t.Helper()
	p.exec(`INSERT INTO subscribers (email, status, token) SELECT 'r' || i || '@example.org', 'active', 'tok' || i FROM generate_series(1, $1) i`, n)
	e, _, err := p.db.CreateEdition(p.ctx, postgres.NewEdition{})
	if err != nil {
		p.t.Fatal(err)
	}
	p.exec(`INSERT INTO edition_groups (edition_id, key, language, sections) VALUES ($1, 'k', 'en', '[]')`, e.ID)
	return e
}
