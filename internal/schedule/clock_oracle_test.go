package schedule

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

// TestTicksMatchTheWallClockMinuteByMinute: around every change of
// clocks in 2026 in zones that change by an hour, by half an hour, at
// midnight or in the southern summer, Next gives the ticks that reading
// the wall clock minute by minute gives: a time shown twice ticks once,
// a time skipped ticks at the instant it would have been.
func TestTicksMatchTheWallClockMinuteByMinute(t *testing.T) {
	t.Parallel()
	zones := []string{"America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Beirut", "America/Santiago",
		"Australia/Sydney", "Pacific/Chatham", "America/Havana", "Antarctica/Troll"}
	specs := []string{"0 7 * * 1", "30 1 * * *", "30 2 * * *", "0 * * * *", "*/15 * * * *", "0 0 * * *", "30 0 * * *",
		"0 2 * * 0", "45 23 * * *"}
	year := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, name := range zones {
		zone, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		for at := year; at.Before(year.AddDate(1, 0, 0)); at = at.Add(time.Hour) {
			_, a := at.In(zone).Zone()
			_, b := at.Add(time.Hour).In(zone).Zone()
			if a == b {
				continue
			}
			from, to := at.Add(-30*time.Hour), at.Add(30*time.Hour)
			for _, spec := range specs {
				sched, err := cron.ParseStandard(spec)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for tick := Next(sched, zone, from); !tick.IsZero() && !tick.After(to); tick = Next(sched, zone, tick) {
					got = append(got, tick.UTC().Format(time.RFC3339))
				}
				want := wallTicks(sched, zone, from, to)
				if !slices.Equal(got, want) {
					t.Errorf("%s %q around %s:\n got %v\nwant %v", name, spec, at.Format(time.RFC3339), got, want)
				}
				// Asked at any minute near the change, as the worker does.
				for ask := at.Add(-3 * time.Hour); ask.Before(at.Add(3 * time.Hour)); ask = ask.Add(5 * time.Minute) {
					i := slices.IndexFunc(want, func(w string) bool { return w > ask.UTC().Format(time.RFC3339) })
					if i < 0 {
						continue
					}
					if next := Next(sched, zone, ask).UTC().Format(time.RFC3339); next != want[i] {
						t.Errorf("%s %q: the tick after %s is %s, want %s", name, spec, ask.UTC().Format(time.RFC3339), next, want[i])
					}
				}
			}
		}
	}
}

// wallTicks reads zone's clock minute by minute from from to to and says
// when sched ticks: at the first minute the clock shows a time it
// matches; for a time the clocks skip, at the instant it would have been.
func wallTicks(sched cron.Schedule, zone *time.Location, from, to time.Time) []string {
	matches := func(wall time.Time) bool { return sched.Next(wall.Add(-time.Second)).Equal(wall) }
	key := func(wall time.Time) string { return wall.Format("2006-01-02 15:04") }
	shown := map[string]bool{}
	ticks := map[time.Time]bool{}
	for m := from.Truncate(time.Minute); !m.After(to); m = m.Add(time.Minute) {
		_, off := m.In(zone).Zone()
		if _, prev := m.Add(-time.Minute).In(zone).Zone(); off > prev {
			// The clocks went forward at m: the times skipped, on the
			// clock as it was, from m on.
			old := time.FixedZone("", prev)
			for s := m; s.Before(m.Add(time.Duration(off-prev) * time.Second)); s = s.Add(time.Minute) {
				if w := s.In(old); !shown[key(w)] {
					shown[key(w)] = true
					if matches(w) {
						ticks[s] = true
					}
				}
			}
		}
		w := m.In(time.FixedZone("", off))
		if shown[key(w)] {
			continue
		}
		shown[key(w)] = true
		if matches(w) {
			ticks[m] = true
		}
	}
	var out []string
	for m := from.Truncate(time.Minute); !m.After(to); m = m.Add(time.Minute) {
		if ticks[m] && m.After(from) {
			out = append(out, m.UTC().Format(time.RFC3339))
		}
	}
	return out
}

// ExampleNext shows the two nights in New York.
func ExampleNext() {
	ny, _ := time.LoadLocation("America/New_York")
	for _, tc := range []struct{ spec, from string }{{"30 1 * * 0", "2026-11-01T00:00:00Z"}, {"30 2 * * 0", "2026-03-08T00:00:00Z"}} {
		sched, _ := cron.ParseStandard(tc.spec)
		from, _ := time.Parse(time.RFC3339, tc.from)
		a := Next(sched, ny, from)
		b := Next(sched, ny, a)
		fmt.Println(tc.spec, a.Format("Jan 2 15:04 MST"), "then", b.Format("Jan 2 15:04 MST"))
	}
	// Output:
	// 30 1 * * 0 Nov 1 01:30 EDT then Nov 8 01:30 EST
	// 30 2 * * 0 Mar 8 03:30 EDT then Mar 15 02:30 EDT
}
