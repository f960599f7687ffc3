package postgres_test

import (
	"strings"
	"testing"

	"newsdigest/internal/postgres"
)

// A compile takes a million ids from each sequence; looking the sequence
// up by its table's name for every id cost six times the ids themselves.
// TestTakeIDsLooksUpItsSequenceOnce plans the statement as the worker
// runs it (prepared, generic) and fails if the row source calls the
// lookup once per id; it also checks the ids come out in order.
func TestTakeIDsLooksUpItsSequenceOnce(t *testing.T) {
	t.Parallel()
	p := newPlanner(t)
	lines := p.plan("take_ids", "text, int", postgres.TakeIDsSQL, "VERBOSE, COSTS OFF", "'deliveries', 1000")
	plan := joinLines(lines)
	perRow := ""
	for i, l := range lines {
		if strings.Contains(l, "Function Scan on pg_catalog.generate_series") && i+1 < len(lines) {
			perRow = lines[i+1]
		}
	}
	if perRow == "" {
		t.Fatalf("no scan of generate_series in the plan:\n%s", plan)
	}
	if strings.Contains(perRow, "pg_get_serial_sequence") {
		t.Errorf("the sequence is looked up for every id taken:\n%s", plan)
	}

	var ids []int64
	if err := p.conn.QueryRow(p.ctx, `EXECUTE take_ids('deliveries', 1000)`).Scan(&ids); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1000 {
		t.Fatalf("took %d ids, want 1000", len(ids))
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			t.Fatalf("ids out of order at %d: %d after %d", i, ids[i], ids[i-1])
		}
	}
}
