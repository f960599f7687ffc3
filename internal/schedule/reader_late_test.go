package schedule

import (
	"testing"
	"time"
)

// TestAfterDigest: a digest made on time is followed a period later, as
// NextDue says; one made late, close to the reader's next hour, is
// followed by the one after that, not by a second digest at once.
func TestAfterDigest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, zone, frequency string
		hour                  int
		made, want            string // UTC
	}{
		{"daily, on time", "UTC", "daily", 9, "2026-12-14T09:05:00Z", "2026-12-15T09:00:00Z"},
		{"daily, made late in the evening", "UTC", "daily", 9, "2026-12-14T22:00:00Z", "2026-12-16T09:00:00Z"},
		{"daily, made half a day before the next", "UTC", "daily", 9, "2026-12-14T21:00:00Z", "2026-12-15T09:00:00Z"},
		{"daily, made just before the next", "UTC", "daily", 9, "2026-12-14T08:55:00Z", "2026-12-15T09:00:00Z"},
		{"weekly, on time", "UTC", "weekly", 7, "2026-12-07T07:05:00Z", "2026-12-14T07:00:00Z"},
		{"weekly, made just before the next", "UTC", "weekly", 7, "2026-12-14T06:55:00Z", "2026-12-21T07:00:00Z"},
		{"weekly, made days late", "UTC", "weekly", 7, "2026-12-10T07:00:00Z", "2026-12-14T07:00:00Z"},
		{"biweekly, on time", "UTC", "biweekly", 7, "2026-12-07T07:05:00Z", "2026-12-21T07:00:00Z"},
		{"biweekly, made the day before its day", "UTC", "biweekly", 7, "2026-12-13T07:00:00Z", "2026-12-21T07:00:00Z"},
		// Paris goes forward on Sunday 29 March 2026: 07:00 is 05:00 UTC.
		{"daily in Paris, on time the day before the change", "Europe/Paris", "daily", 7, "2026-03-28T06:05:00Z", "2026-03-29T05:00:00Z"},
		{"daily in Paris, made just before the hour on the change", "Europe/Paris", "daily", 7, "2026-03-29T04:55:00Z", "2026-03-30T05:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loc, err := time.LoadLocation(tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			got := AfterDigest(tc.frequency, loc, tc.hour, time.Monday, parseUTC(t, tc.made))
			if !got.Equal(parseUTC(t, tc.want)) {
				t.Errorf("next due %s (%s), want %s", got.UTC().Format(time.RFC3339), got.In(loc), tc.want)
			}
		})
	}
}

// TestAfterDigestOnTimeIsNextDue: through a year of daylight-saving
// changes, in zones that change by an hour, half an hour, two hours or at
// midnight, a digest made within its quarter hour is followed by the
// reader's next due time, whatever the hour and frequency.
func TestAfterDigestOnTimeIsNextDue(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"America/Havana", "Europe/Paris", "Australia/Lord_Howe", "America/Santiago", "Antarctica/Troll"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		for hour := range 24 {
			for _, frequency := range []string{"daily", "weekly", "biweekly"} {
				due := FirstDue(frequency, loc, hour, time.Sunday, time.Date(2025, 12, 31, 12, 0, 0, 0, loc))
				for due.Before(time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)) {
					made := due.Add(14 * time.Minute)
					next := NextDue(frequency, loc, hour, time.Sunday, made)
					if got := AfterDigest(frequency, loc, hour, time.Sunday, made); !got.Equal(next) {
						t.Fatalf("%s %s at %02d:00, made %s: next %s, want %s", name, frequency, hour, made.In(loc), got.In(loc), next.In(loc))
					}
					due = next
				}
			}
		}
	}
}
