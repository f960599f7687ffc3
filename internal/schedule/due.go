package schedule

import (
	"time"

	"github.com/robfig/cron/v3"
)

// The weekly schedule is kept by the database, not by a timer: every
// worker, on every turn of its loop, asks which tick is due, and its
// edition is made if it has none (scheduled_for is unique, so however
// many workers ask, each tick gets one edition). A tick that passed while
// no worker ran, while Redis refused the compile, or while the loop was
// busy is made at the next turn. A tick missed for longer than the late
// limit (DIGEST_LATE_LIMIT) is not sent late: its edition is recorded as
// skipped, and its stories wait for the next one.

// Lookback bounds how far back, past the late limit, the schedule looks
// for a missed tick: a tick missed for longer is only recorded as
// skipped, and a later one supersedes it. Five weeks covers weekly and
// monthly schedules.
const Lookback = 35 * 24 * time.Hour

// maxTicks bounds the ticks walked to find the last one due, for a
// schedule that ticks very often.
const maxTicks = 100_000

// Tick is a tick of the schedule that is due: its edition is to be made,
// or, Late, recorded as skipped.
type Tick struct {
	At time.Time
	// Late: the tick passed more than the late limit ago.
	Late bool
	// By is how long ago it passed.
	By time.Duration
}

// Due is the tick of sched, in zone, that is due at now: the last one
// after covered (the moment up to which every tick has its edition) and
// at or before now, looking back at most lateLimit + Lookback. ok is
// false when no tick is due.
func Due(sched cron.Schedule, zone *time.Location, covered, now time.Time, lateLimit time.Duration) (t Tick, ok bool) {
	from := now.Add(-lateLimit - Lookback)
	if covered.After(from) {
		from = covered
	}
	at := LastTick(sched, zone, from, now)
	if at.IsZero() {
		return Tick{}, false
	}
	by := now.Sub(at)
	return Tick{At: at, Late: by > lateLimit, By: by}, true
}

// LastTick is the last tick of s in zone after after and at or before
// now; zero if there is none.
func LastTick(sched cron.Schedule, zone *time.Location, after, now time.Time) time.Time {
	s := inZone(sched, zone)
	var last time.Time
	for t, n := s.Next(after), 0; !t.IsZero() && !t.After(now) && n < maxTicks; t, n = s.Next(t), n+1 {
		last = t
	}
	return last
}

// Next is the first tick of sched in zone after now: when the next
// edition is made.
func Next(sched cron.Schedule, zone *time.Location, now time.Time) time.Time {
	return inZone(sched, zone).Next(now)
}
