package schedule

import (
	"testing"
	"time"
)

// TestReaderHourTheClocksSkip: on the day the clocks skip a reader's
// hour, their digest goes at the instant it would have been, as the
// clocks pass it (the desk's rule, wallClock): on their day, never the
// hour or the day before; and the next one is on its usual day.
func TestReaderHourTheClocksSkip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, zone, frequency string
		hour                  int
		weekday               time.Weekday
		sent                  string // UTC: the digest before
		want, then            string // UTC: the next one, and the one after
	}{
		// 02:00 on Sunday 8 March 2026 in New York is 03:00 EDT.
		{"New York daily at 02:00", "America/New_York", "daily", 2, time.Sunday,
			"2026-03-07T07:05:00Z", "2026-03-08T07:00:00Z", "2026-03-09T06:00:00Z"},
		{"New York weekly at 02:00", "America/New_York", "weekly", 2, time.Sunday,
			"2026-03-01T07:05:00Z", "2026-03-08T07:00:00Z", "2026-03-15T06:00:00Z"},
		{"New York biweekly at 02:00", "America/New_York", "biweekly", 2, time.Sunday,
			"2026-02-22T07:05:00Z", "2026-03-08T07:00:00Z", "2026-03-22T06:00:00Z"},
		// A fortnight from a digest on the skipped hour's day.
		{"New York biweekly sent the week before", "America/New_York", "biweekly", 2, time.Sunday,
			"2026-03-01T07:05:00Z", "2026-03-15T06:00:00Z", "2026-03-29T06:00:00Z"},
		// 02:00 on Sunday 29 March 2026 in Madrid is 03:00 CEST.
		{"Madrid weekly at 02:00", "Europe/Madrid", "weekly", 2, time.Sunday,
			"2026-03-22T01:05:00Z", "2026-03-29T01:00:00Z", "2026-04-05T00:00:00Z"},
		// Lord Howe goes forward half an hour at 02:00 on 4 October 2026.
		{"Lord Howe daily at 02:00", "Australia/Lord_Howe", "daily", 2, time.Sunday,
			"2026-10-02T15:35:00Z", "2026-10-03T15:30:00Z", "2026-10-04T15:00:00Z"},
		// Santiago goes forward at midnight, Saturday 5 to Sunday 6
		// September 2026: Sunday's 00:00 is 01:00 -03, on Sunday.
		{"Santiago daily at midnight", "America/Santiago", "daily", 0, time.Sunday,
			"2026-09-05T04:05:00Z", "2026-09-06T04:00:00Z", "2026-09-07T03:00:00Z"},
		{"Santiago weekly at midnight", "America/Santiago", "weekly", 0, time.Sunday,
			"2026-08-30T04:05:00Z", "2026-09-06T04:00:00Z", "2026-09-13T03:00:00Z"},
		{"Santiago biweekly at midnight", "America/Santiago", "biweekly", 0, time.Sunday,
			"2026-08-23T04:05:00Z", "2026-09-06T04:00:00Z", "2026-09-20T03:00:00Z"},
		// Beirut went forward at midnight on Sunday 27 March 2022.
		{"Beirut weekly at midnight", "Asia/Beirut", "weekly", 0, time.Sunday,
			"2022-03-19T22:05:00Z", "2022-03-26T22:00:00Z", "2022-04-02T21:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loc, err := time.LoadLocation(tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			got := NextDue(tc.frequency, loc, tc.hour, tc.weekday, parseUTC(t, tc.sent))
			if !got.Equal(parseUTC(t, tc.want)) {
				t.Fatalf("next due %s (%s), want %s", got.UTC(), got.In(loc), tc.want)
			}
			if tc.frequency != "daily" && got.In(loc).Weekday() != tc.weekday {
				t.Errorf("due on a %s on the reader's clock, want %s", got.In(loc).Weekday(), tc.weekday)
			}
			then := NextDue(tc.frequency, loc, tc.hour, tc.weekday, got.Add(5*time.Minute))
			if !then.Equal(parseUTC(t, tc.then)) {
				t.Errorf("then %s (%s), want %s", then.UTC(), then.In(loc), tc.then)
			}
		})
	}
}

// TestReaderDigestOncePerDayAllYear: through 2026 and into 2027, in
// zones that change by an hour, by half an hour, at midnight, late in
// the evening, or not at all far from UTC, a daily reader's digests fall
// one for each day of their calendar, at their hour or, on a day the
// clocks skip it, as the clocks pass it; a weekly or biweekly reader's
// seven or fourteen days apart, for their weekday.
func TestReaderDigestOncePerDayAllYear(t *testing.T) {
	t.Parallel()
	// naive is t's wall clock in loc, read as if it were UTC.
	naive := func(t time.Time, loc *time.Location) time.Time {
		l := t.In(loc)
		return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), 0, 0, time.UTC)
	}
	for _, name := range []string{"America/New_York", "Europe/Madrid", "Australia/Lord_Howe", "America/Santiago",
		"Asia/Beirut", "America/Havana", "America/Nuuk", "Pacific/Chatham", "Antarctica/Troll", "Pacific/Kiritimati",
		"Pacific/Pago_Pago"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		for hour := range 24 {
			for frequency, step := range map[string]int{"daily": 1, "weekly": 7, "biweekly": 14} {
				for weekday := range time.Weekday(7) {
					start := time.Date(2025, 12, 31, 12, 0, 0, 0, loc)
					due := FirstDue(frequency, loc, hour, weekday, start)
					// The day it is for: its hour's, if the clocks pass it
					// into the next day.
					day := naive(due, loc).Add(-time.Duration(hour) * time.Hour).Truncate(24 * time.Hour)
					if frequency != "daily" && day.Weekday() != weekday {
						t.Fatalf("%s %s at %02d:00: first due %s, for a %s, want a %s", name, frequency, hour, due.In(loc), day.Weekday(), weekday)
					}
					for due.Before(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)) {
						at := day.Add(time.Duration(hour) * time.Hour)
						if late := naive(due, loc).Sub(at); late < 0 || late > 2*time.Hour {
							t.Fatalf("%s %s at %02d:00 on %ss: due %s, want on %s", name, frequency, hour, weekday, due.In(loc), at.Format(time.DateTime))
						}
						// Sent a few minutes late, as the due check is.
						due = NextDue(frequency, loc, hour, weekday, due.Add(5*time.Minute))
						day = day.AddDate(0, 0, step)
					}
					if frequency == "daily" {
						break
					}
				}
			}
		}
	}
}
