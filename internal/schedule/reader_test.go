package schedule

import (
	"testing"
	"time"
)

func TestReaderDueAcrossDaylightSaving(t *testing.T) {
	t.Parallel()
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	mexico, err := time.LoadLocation("America/Mexico_City")
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
	for _, tc := range []struct {
		name      string
		frequency string
		loc       *time.Location
		sent      string
		want      string
	}{
		// Madrid moves to summer time on Sunday 29 March 2026: 07:00 is
		// 06:00 UTC before and 05:00 UTC after.
		{"Madrid daily, the night clocks go forward", "daily", madrid, "2026-03-28T06:00:00Z", "2026-03-29T05:00:00Z"},
		{"Madrid weekly over the spring change", "weekly", madrid, "2026-03-23T06:00:00Z", "2026-03-30T05:00:00Z"},
		// and back to winter time on Sunday 25 October 2026.
		{"Madrid weekly over the autumn change", "weekly", madrid, "2026-10-19T05:00:00Z", "2026-10-26T06:00:00Z"},
		{"Madrid biweekly over the autumn change", "biweekly", madrid, "2026-10-19T05:00:00Z", "2026-11-02T06:00:00Z"},
		{"Madrid biweekly sent late keeps the fortnight", "biweekly", madrid, "2026-10-19T05:10:00Z", "2026-11-02T06:00:00Z"},
		// Mexico City keeps UTC-6 all year since 2022, while the United
		// States change on 8 March and 1 November 2026: 07:00 stays 13:00 UTC.
		{"Mexico City daily over the US spring change", "daily", mexico, "2026-03-07T13:00:00Z", "2026-03-08T13:00:00Z"},
		{"Mexico City weekly over Madrid's spring change", "weekly", mexico, "2026-03-23T13:00:00Z", "2026-03-30T13:00:00Z"},
		{"Mexico City daily over the US autumn change", "daily", mexico, "2026-10-31T13:00:00Z", "2026-11-01T13:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := NextDue(tc.frequency, tc.loc, 7, time.Monday, utc(tc.sent))
			if !got.Equal(utc(tc.want)) {
				t.Errorf("next due %s (%s local), want %s", got.UTC(), got, tc.want)
			}
			if got.In(tc.loc).Hour() != 7 {
				t.Errorf("local hour %d, want 7", got.In(tc.loc).Hour())
			}
		})
	}
}

func TestFirstDue(t *testing.T) {
	t.Parallel()
	madrid, _ := time.LoadLocation("Europe/Madrid")
	// Wednesday 1 April 2026, 10:00 in Madrid.
	now := time.Date(2026, 4, 1, 10, 0, 0, 0, madrid)
	for _, tc := range []struct {
		frequency string
		hour      int
		want      time.Time
	}{
		{"daily", 11, time.Date(2026, 4, 1, 11, 0, 0, 0, madrid)},
		{"daily", 9, time.Date(2026, 4, 2, 9, 0, 0, 0, madrid)},
		{"weekly", 7, time.Date(2026, 4, 6, 7, 0, 0, 0, madrid)},
		{"biweekly", 7, time.Date(2026, 4, 6, 7, 0, 0, 0, madrid)},
	} {
		if got := FirstDue(tc.frequency, madrid, tc.hour, time.Monday, now); !got.Equal(tc.want) {
			t.Errorf("%s at %d: %s, want %s", tc.frequency, tc.hour, got, tc.want)
		}
	}
	if got := SlotOf(time.Date(2026, 4, 1, 7, 14, 59, 0, time.UTC)); !got.Equal(time.Date(2026, 4, 1, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("slot %s", got)
	}
}

// A reader who moves their hour gets the digest they were due at the new
// hour nearest it: not a period later when moved the morning of it, not
// a second one the same day when moved just after it, however much later
// the new hour is.
func TestMoved(t *testing.T) {
	utc := time.UTC
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		name, frequency string
		hour            int
		dueBefore, now  string
		want            string
	}{
		{"weekly, an hour earlier, moved just before", "weekly", 6, "2026-12-07T07:00:00Z", "2026-12-07T06:50:00Z", "2026-12-07T06:50:00Z"},
		{"weekly, an hour earlier, moved days before", "weekly", 6, "2026-12-07T07:00:00Z", "2026-12-04T10:00:00Z", "2026-12-07T06:00:00Z"},
		{"weekly, later, moved just before", "weekly", 9, "2026-12-07T07:00:00Z", "2026-12-07T06:50:00Z", "2026-12-07T09:00:00Z"},
		{"weekly, moved just after the digest", "weekly", 9, "2026-12-14T07:00:00Z", "2026-12-07T07:10:00Z", "2026-12-14T09:00:00Z"},
		{"daily, later, moved just after the digest", "daily", 9, "2026-12-06T07:00:00Z", "2026-12-05T07:10:00Z", "2026-12-06T09:00:00Z"},
		{"daily, to the evening, moved just after the morning's", "daily", 20, "2026-12-06T07:00:00Z", "2026-12-05T07:15:00Z", "2026-12-06T20:00:00Z"},
		{"daily, to the evening, moved the morning of it", "daily", 20, "2026-12-05T07:00:00Z", "2026-12-05T06:50:00Z", "2026-12-05T20:00:00Z"},
		{"daily, earlier, moved just before", "daily", 6, "2026-12-05T07:00:00Z", "2026-12-05T06:50:00Z", "2026-12-05T06:50:00Z"},
		{"daily, from 23:00 to 01:00", "daily", 1, "2026-12-05T23:00:00Z", "2026-12-05T20:00:00Z", "2026-12-06T01:00:00Z"},
		{"biweekly, keeps its week", "biweekly", 6, "2026-12-14T07:00:00Z", "2026-12-07T10:00:00Z", "2026-12-14T06:00:00Z"},
	} {
		got := Moved(tc.frequency, utc, tc.hour, time.Monday, at(tc.dueBefore), at(tc.now))
		if got.UTC().Format(time.RFC3339) != tc.want {
			t.Errorf("%s: due %s, want %s", tc.name, got.UTC().Format(time.RFC3339), tc.want)
		}
	}
	// The night New York's clocks go forward the day is 23 hours long:
	// 19:00 on the day of the morning's digest is within twelve hours of
	// the next morning's, and is still the same day.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	got := Moved("daily", ny, 19, time.Monday, at("2027-03-14T11:00:00Z"), at("2027-03-13T12:15:00Z"))
	if want := "2027-03-14T23:00:00Z"; got.UTC().Format(time.RFC3339) != want {
		t.Errorf("daily in New York, to the evening the day before the clocks go forward: due %s, want %s", got.UTC().Format(time.RFC3339), want)
	}
}
