package schedule

import (
	"time"

	"github.com/robfig/cron/v3"
)

// A reader's own schedule is a wall-clock hour in their zone: each due
// time is built with time.Date in that zone, so across a daylight-saving
// change the digest stays at the reader's hour and its UTC instant moves.

// Quarter is how close to a reader's hour their digest goes out: the due
// check groups the readers due in one quarter hour into one slot.
const Quarter = 15 * time.Minute

// DeskDay is the weekday and hour of the desk's schedule (sched in zone):
// a weekly reader's day, and the hour of a reader who chose none. A desk
// that sends on several days, or every day, gives the first of them,
// Monday first: the day of its next send would move with each send, and
// a weekly reader's digest with it, to every one of the desk's days.
func DeskDay(sched cron.Schedule, zone *time.Location, now time.Time) (time.Weekday, int) {
	next := Next(sched, zone, now)
	if next.IsZero() {
		return time.Monday, 7
	}
	if spec, ok := sched.(*cron.SpecSchedule); ok {
		for _, d := range week {
			if spec.Dow&(1<<uint(d)) != 0 {
				return d, next.Hour()
			}
		}
	}
	return next.Weekday(), next.Hour()
}

// FirstDue is a reader's first due time after after: the next day (any
// day when daily; the desk's weekday otherwise) at hour in loc.
func FirstDue(frequency string, loc *time.Location, hour int, weekday time.Weekday, after time.Time) time.Time {
	a := after.In(loc)
	for d := 0; d <= 8; d++ {
		// The day's weekday, not the due time's: an hour the clocks skip
		// late in the evening is passed on the next day.
		day := time.Date(a.Year(), a.Month(), a.Day()+d, 12, 0, 0, 0, time.UTC)
		if frequency != "daily" && day.Weekday() != weekday {
			continue
		}
		if at := atHour(a.Year(), a.Month(), a.Day()+d, hour, loc); at.After(after) {
			return at
		}
	}
	return time.Time{} // not reached: a week holds every weekday
}

// atHour is hour o'clock on day y-m-d on loc's wall clock. An hour the
// clocks skip that day (02:00 in New York the night they go forward,
// midnight in Santiago, 23:00 in Nuuk) is the instant it would have
// been, as the clocks pass it, as the desk's schedule keeps it
// (wallClock): time.Date leaves the choice open, and may give the hour
// before, or the day before.
func atHour(y int, m time.Month, d, hour int, loc *time.Location) time.Time {
	at := time.Date(y, m, d, hour, 0, 0, 0, loc)
	if at.Hour() == hour && at.Minute() == 0 {
		return at
	}
	// The clock shown before the change, which no zone makes twice
	// within backWindow.
	_, before := at.Add(-backWindow).In(loc).Zone()
	return time.Date(y, m, d, hour, 0, 0, 0, time.FixedZone("", before)).In(loc)
}

// NextDue is when a reader's digest is due after the one sent at sent:
// the next day at their hour when daily, the desk's weekday after it when
// weekly, and the one a week later when every two weeks. Weeks are
// counted on the reader's calendar, so an hour lost or gained to
// daylight saving moves nothing.
func NextDue(frequency string, loc *time.Location, hour int, weekday time.Weekday, sent time.Time) time.Time {
	if frequency == "biweekly" {
		// The second of their days after it: a week added to sent's
		// wall clock could fall in an hour the clocks skip, which
		// time.Date may move before that day's digest.
		return FirstDue(frequency, loc, hour, weekday, FirstDue(frequency, loc, hour, weekday, sent))
	}
	return FirstDue(frequency, loc, hour, weekday, sent)
}

// SlotOf is the quarter hour a due check at now serves.
func SlotOf(now time.Time) time.Time {
	return now.UTC().Truncate(Quarter)
}
