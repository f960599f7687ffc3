package schedule

import (
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

// TestWeeklyReaderOfADeskSendingOnSeveralDays: a reader who chose every
// week (or every other week) from a desk that sends every day, or on
// several days a week, gets one digest a week (or a fortnight), on one
// weekday, however the due check's "now" falls among the desk's days.
func TestWeeklyReaderOfADeskSendingOnSeveralDays(t *testing.T) {
	t.Parallel()
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		spec      string
		frequency string
		days      int
		want      time.Weekday
	}{
		{"0 7 * * *", "weekly", 7, time.Monday},
		{"0 7 * * *", "biweekly", 14, time.Monday},
		{"0 7 * * 1,4", "weekly", 7, time.Monday},
		{"0 7 * * 2,5", "weekly", 7, time.Tuesday},
		{"0 7 * * 0,6", "weekly", 7, time.Saturday},
		{"0 7 * * 3", "weekly", 7, time.Wednesday},
	} {
		t.Run(tc.spec+" "+tc.frequency, func(t *testing.T) {
			desk, err := cron.ParseStandard(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			// As RunDue does: the desk's day read at each due check.
			now := time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)
			day, _ := DeskDay(desk, time.UTC, now)
			due := FirstDue(tc.frequency, madrid, 9, day, now)
			if due.In(madrid).Weekday() != tc.want {
				t.Fatalf("first due on %s, want a %s", due.In(madrid), tc.want)
			}
			for range 8 {
				now = due.Add(5 * time.Minute)
				day, _ = DeskDay(desk, time.UTC, now)
				next := NextDue(tc.frequency, madrid, 9, day, now)
				if next.In(madrid).Weekday() != tc.want {
					t.Fatalf("due on %s, want a %s", next.In(madrid), tc.want)
				}
				if gap := next.In(madrid).YearDay() - due.In(madrid).YearDay(); gap != tc.days {
					t.Fatalf("digest on %s, then on %s: %d days apart, want %d", due.In(madrid), next.In(madrid), gap, tc.days)
				}
				due = next
			}
		})
	}
}
