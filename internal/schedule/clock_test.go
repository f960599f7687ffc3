package schedule

import (
	"slices"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

// TestTicksReadTheWallClockAcrossDaylightSaving: a desk's schedule ticks
// once at a time the clocks pass twice, and at a time they skip, when
// they jump past it; other ticks are robfig/cron's.
func TestTicksReadTheWallClockAcrossDaylightSaving(t *testing.T) {
	for _, tc := range []struct {
		name, spec, zone string
		from, to         string // UTC
		want             []string
	}{
		{"New York, clocks back: 01:30 once", "30 1 * * 0", "America/New_York", "2026-10-31T00:00:00Z", "2026-11-09T00:00:00Z",
			[]string{"2026-11-01T05:30:00Z", "2026-11-08T06:30:00Z"}},
		{"New York, clocks forward: 02:30 at 03:30", "30 2 * * 0", "America/New_York", "2026-03-07T00:00:00Z", "2026-03-16T00:00:00Z",
			[]string{"2026-03-08T07:30:00Z", "2026-03-15T06:30:00Z"}},
		{"New York, clocks forward: 03:30 as it is", "30 3 * * 0", "America/New_York", "2026-03-07T00:00:00Z", "2026-03-09T00:00:00Z",
			[]string{"2026-03-08T07:30:00Z"}},
		{"London, clocks forward: 01:30 at 02:30", "30 1 * * *", "Europe/London", "2026-03-28T00:00:00Z", "2026-03-30T12:00:00Z",
			[]string{"2026-03-28T01:30:00Z", "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z"}},
		{"New York, hourly, clocks back: the repeated hour once", "0 * * * *", "America/New_York", "2026-11-01T04:30:00Z", "2026-11-01T08:30:00Z",
			[]string{"2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z", "2026-11-01T08:00:00Z"}},
		{"New York, hourly, clocks forward: no hour twice", "0 * * * *", "America/New_York", "2026-03-08T05:30:00Z", "2026-03-08T08:30:00Z",
			[]string{"2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z"}},
		{"UTC, weekly: as cron says", "0 7 * * 1", "UTC", "2026-12-01T00:00:00Z", "2026-12-22T00:00:00Z",
			[]string{"2026-12-07T07:00:00Z", "2026-12-14T07:00:00Z", "2026-12-21T07:00:00Z"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sched, err := cron.ParseStandard(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			zone, err := time.LoadLocation(tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			from, to := parseUTC(t, tc.from), parseUTC(t, tc.to)
			var got []string
			for at := Next(sched, zone, from); !at.After(to); at = Next(sched, zone, at) {
				got = append(got, at.UTC().Format(time.RFC3339))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("ticks %v, want %v", got, tc.want)
			}
			// The schedule's loop finds the same last tick.
			if last := LastTick(sched, zone, from, to).UTC().Format(time.RFC3339); last != tc.want[len(tc.want)-1] {
				t.Errorf("last tick %s, want %s", last, tc.want[len(tc.want)-1])
			}
		})
	}
}

// TestNoSecondEditionInTheRepeatedHour: with the first 01:30 covered,
// nothing is due an hour later, when the clocks show 01:30 again.
func TestNoSecondEditionInTheRepeatedHour(t *testing.T) {
	sched, err := cron.ParseStandard("30 1 * * 0")
	if err != nil {
		t.Fatal(err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	if tick, ok := Due(sched, ny, parseUTC(t, "2026-11-01T05:30:00Z"), parseUTC(t, "2026-11-01T06:45:00Z"), 24*time.Hour); ok {
		t.Errorf("a tick is due at %s, after the night's edition", tick.At.UTC())
	}
}

func parseUTC(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}
