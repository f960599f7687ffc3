package schedule

import (
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

func TestDue(t *testing.T) {
	weekly, err := cron.ParseStandard("0 7 * * 1") // Mondays at 07:00
	if err != nil {
		t.Fatal(err)
	}
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	const late = 24 * time.Hour
	for _, tc := range []struct {
		name         string
		zone         *time.Location
		covered, now string
		want         string // "" for no tick due
		wantLate     bool
	}{
		{"before the first tick", time.UTC, "2026-12-01T00:00:00Z", "2026-12-06T23:00:00Z", "", false},
		{"on the tick", time.UTC, "2026-12-01T00:00:00Z", "2026-12-07T07:00:00Z", "2026-12-07T07:00:00Z", false},
		{"an hour after it", time.UTC, "2026-12-01T00:00:00Z", "2026-12-07T08:00:00Z", "2026-12-07T07:00:00Z", false},
		{"made already", time.UTC, "2026-12-07T07:00:00Z", "2026-12-07T08:00:00Z", "", false},
		{"missed by more than the limit", time.UTC, "2026-12-01T00:00:00Z", "2026-12-08T08:00:00Z", "2026-12-07T07:00:00Z", true},
		// Of several ticks missed in a row, the last one is due.
		{"three weeks missed", time.UTC, "2026-11-10T00:00:00Z", "2026-12-07T09:00:00Z", "2026-12-07T07:00:00Z", false},
		// Ticks are in the desk's zone: 07:00 in Tokyo is 22:00 UTC the
		// day before.
		{"in the desk's zone", tokyo, "2026-12-01T00:00:00Z", "2026-12-06T22:30:00Z", "2026-12-06T22:00:00Z", false},
		// Never further back than the late limit and Lookback.
		{"a schedule begun long ago", time.UTC, "2025-01-01T00:00:00Z", "2026-12-08T08:00:00Z", "2026-12-07T07:00:00Z", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Due(weekly, tc.zone, utc(tc.covered), utc(tc.now), late)
			if tc.want == "" {
				if ok {
					t.Fatalf("due %+v, want none", got)
				}
				return
			}
			if !ok || !got.At.Equal(utc(tc.want)) || got.Late != tc.wantLate {
				t.Fatalf("due %+v (%v), want %s late=%v", got, ok, tc.want, tc.wantLate)
			}
			if got.By != utc(tc.now).Sub(got.At) {
				t.Errorf("by %s", got.By)
			}
		})
	}
}

func TestNextIsInTheZone(t *testing.T) {
	weekly, _ := cron.ParseStandard("0 7 * * 1")
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	if got, want := Next(weekly, tokyo, now), time.Date(2026, 12, 6, 22, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("next %s, want %s", got, want)
	}
}
