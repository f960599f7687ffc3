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
// a weekly reader's day, and the hour of a reader who chose none.
func DeskDay(sched cron.Schedule, zone *time.Location, now time.Time) (time.Weekday, int) {
	next := Next(sched, zone, now)
	if next.IsZero() {
		return time.Monday, 7
	}
	return next.Weekday(), next.Hour()
}

// FirstDue is a reader's first due time after after: the next day (any
// day when daily; the desk's weekday otherwise) at hour in loc.
func FirstDue(frequency string, loc *time.Location, hour int, weekday time.Weekday, after time.Time) time.Time {
	a := after.In(loc)
	for d := 0; d <= 8; d++ {
		at := time.Date(a.Year(), a.Month(), a.Day()+d, hour, 0, 0, 0, loc)
		if !at.After(after) {
			continue
		}
		if frequency == "daily" || at.Weekday() == weekday {
			return at
		}
	}
	return time.Time{} // not reached: a week holds every weekday
}

// NextDue is when a reader's digest is due after the one sent at sent:
// the next day at their hour when daily, the desk's weekday after it when
// weekly, and the one a week later when every two weeks. Weeks are
// counted on the reader's calendar, so an hour lost or gained to
// daylight saving moves nothing.
func NextDue(frequency string, loc *time.Location, hour int, weekday time.Weekday, sent time.Time) time.Time {
	if frequency == "biweekly" {
		// A week on, on the reader's wall clock (AddDate keeps it).
		return FirstDue(frequency, loc, hour, weekday, sent.In(loc).AddDate(0, 0, 7))
	}
	return FirstDue(frequency, loc, hour, weekday, sent)
}

// SlotOf is the quarter hour a due check at now serves.
func SlotOf(now time.Time) time.Time {
	return now.UTC().Truncate(Quarter)
}
