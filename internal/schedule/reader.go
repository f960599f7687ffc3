package schedule

import (
	"fmt"
	"strconv"
	"time"

	"github.com/robfig/cron/v3"

	"newsdigest/internal/domain"
)

// A reader's own schedule is a wall-clock hour in their zone, read as the
// desk's DIGEST_CRON is (wallClock): across a daylight-saving change the
// digest stays at the reader's hour and its UTC instant moves.

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
// day when daily; the desk's weekday otherwise) at hour in loc, read on
// loc's wall clock as the desk's schedule is (wallClock): an hour the
// clocks skip (02:00 in New York the night they go forward, midnight in
// Santiago, 23:00 in Nuuk) goes at the instant it would have been, on its
// own day; one they show twice goes the first time.
func FirstDue(frequency string, loc *time.Location, hour int, weekday time.Weekday, after time.Time) time.Time {
	return inZone(readerRule(frequency, hour, weekday), loc).Next(after)
}

// readerRule is a reader's schedule as a cron rule: their hour, every
// day or on the desk's weekday.
func readerRule(frequency string, hour int, weekday time.Weekday) cron.Schedule {
	dow := "*"
	if frequency != domain.FrequencyDaily {
		dow = strconv.Itoa(int(weekday))
	}
	sched, err := cron.ParseStandard(fmt.Sprintf("0 %d * * %s", hour, dow))
	if err != nil {
		panic(fmt.Sprintf("schedule: reader rule for hour %d, weekday %d: %v", hour, weekday, err)) // hours are 0–23, weekdays 0–6
	}
	return sched
}

// NextDue is when a reader's digest is due after the one sent at sent:
// the next day at their hour when daily, the desk's weekday after it when
// weekly, and the one a week later when every two weeks. Weeks are
// counted on the reader's calendar, so an hour lost or gained to
// daylight saving moves nothing.
func NextDue(frequency string, loc *time.Location, hour int, weekday time.Weekday, sent time.Time) time.Time {
	if frequency == "biweekly" {
		// The second of their days after it, so that the weeks are
		// the reader's calendar's whatever the clocks did between.
		return FirstDue(frequency, loc, hour, weekday, FirstDue(frequency, loc, hour, weekday, sent))
	}
	return FirstDue(frequency, loc, hour, weekday, sent)
}

// AfterDigest is when a reader's digest is due after one made at now:
// NextDue, unless that is less than half a day away when daily, half a
// week otherwise (as Moved counts nearness), and then the one after it.
// Made on time, a digest's next is a period away; made that close to the
// next, it was late (the worker down across the reader's hour), and it
// holds what the next would have: sending that one too would make two
// digests in a row, the second of a few stories or none.
func AfterDigest(frequency string, loc *time.Location, hour int, weekday time.Weekday, now time.Time) time.Time {
	next := NextDue(frequency, loc, hour, weekday, now)
	if next.Sub(now) < HalfPeriod(frequency) {
		return NextDue(frequency, loc, hour, weekday, next)
	}
	return next
}

// HalfPeriod is how near to a reader's last digest their next is too
// soon, for Moved, AfterDigest and a change of how often: half a day when
// daily, half a week otherwise (a reader every two weeks has their days a
// week apart).
func HalfPeriod(frequency string) time.Duration {
	if frequency == domain.FrequencyDaily {
		return 12 * time.Hour
	}
	return 84 * time.Hour
}

// Moved is when the digest of a reader who moved their hour or zone, and
// not how often, is due: at the new hour nearest the due time they had
// (within half a day of it when daily, half a week otherwise), so that
// moving the hour on the morning of a digest does not skip it, and moving
// it just after a digest does not bring a second one; at now when that
// hour has passed already. A daily digest stays on the day it was due
// (in loc), or later: moved from 07:00 to 20:00 just after the morning's
// went, the next is tomorrow evening, not a second one tonight.
func Moved(frequency string, loc *time.Location, hour int, weekday time.Weekday, dueBefore, now time.Time) time.Time {
	after := dueBefore.Add(-HalfPeriod(frequency))
	if frequency == domain.FrequencyDaily {
		d := dueBefore.In(loc)
		dayBegins := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc).Add(-time.Second)
		after = later(after, dayBegins)
	}
	due := FirstDue(frequency, loc, hour, weekday, after)
	if due.Before(now) {
		return now
	}
	return due
}

// SlotOf is the quarter hour a due check at now serves.
func SlotOf(now time.Time) time.Time {
	return now.UTC().Truncate(Quarter)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
