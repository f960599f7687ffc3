package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/domain"
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
	// The due check's queries: the schedules of the readers due, and
	// the readers of those schedules it takes into a slot.
	for _, q := range []string{`SELECT DISTINCT frequency, timezone, hour FROM subscribers
		WHERE status = 'active' AND next_due_at <= now() + interval '3 hours' AND frequency IS NOT NULL`,
		`UPDATE subscribers s SET next_due_at = n.due FROM unnest('{daily}'::text[], '{UTC}'::text[], '{7}'::smallint[],
		  ARRAY[now() + interval '1 day']) AS n(frequency, timezone, hour, due)
		WHERE s.status = 'active' AND s.next_due_at <= now() + interval '3 hours'
		  AND s.frequency = n.frequency AND s.timezone = n.timezone AND s.hour = n.hour`} {
		rows, err := db.Pool().Query(ctx, "EXPLAIN "+q)
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
			t.Errorf("the due query reads no index:\n%s\n%s", q, plan.String())
		}
	}
	due, err := db.DueSchedules(ctx, time.Now().Add(150*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if want := []domain.ReaderSchedule{{Frequency: "daily", Timezone: "UTC", Hour: 7}}; !slices.Equal(due, want) {
		t.Errorf("schedules due in 150 minutes: %v, want %v", due, want)
	}
	if n, err := db.DueBefore(ctx, time.Now().Add(150*time.Minute)); err != nil || n != 2 {
		t.Errorf("%d readers due in 150 minutes (%v), want 2", n, err)
	}
	n, err := db.DueBefore(ctx, time.Now().Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n != 23 && n != 24 {
		t.Errorf("%d readers due within 24 hours, want 23 or 24", n)
	}
}
