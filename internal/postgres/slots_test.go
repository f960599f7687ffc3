package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/testenv"
)

// TestDueReadersReadTheIndex: finding who is due reads the next_due_at
// index, not every reader, and counts who is due within a day.
func TestDueReadersReadTheIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	// 20,000 readers, one hour apart in their due times, and as many
	// following the desk's schedule.
	if _, err := db.Pool().Exec(ctx, `
		INSERT INTO subscribers (email, status, token, frequency, timezone, hour, next_due_at)
		SELECT 'r' || g || '@example.org', 'active', 'tok-r' || g, 'daily', 'UTC', 7, now() + g * interval '1 hour'
		FROM generate_series(1, 20000) g;
		INSERT INTO subscribers (email, status, token)
		SELECT 'd' || g || '@example.org', 'active', 'tok-d' || g FROM generate_series(1, 20000) g;
		ANALYZE subscribers`); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Pool().Query(ctx, `EXPLAIN SELECT id FROM subscribers
		WHERE status = 'active' AND next_due_at IS NOT NULL AND next_due_at <= now() + interval '3 hours'
		ORDER BY next_due_at LIMIT 250000`)
	if err != nil {
		t.Fatal(err)
	}
	var plan strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(line + "\n")
	}
	rows.Close()
	if !strings.Contains(plan.String(), "subscribers_next_due") {
		t.Errorf("the due query reads no index:\n%s", plan.String())
	}
	due, err := db.DueReaders(ctx, time.Now().Add(150*time.Minute), 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 2 {
		t.Errorf("%d readers due in 150 minutes, want 2", len(due))
	}
	n, err := db.DueBefore(ctx, time.Now().Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n != 23 && n != 24 {
		t.Errorf("%d readers due within 24 hours, want 23 or 24", n)
	}
}
