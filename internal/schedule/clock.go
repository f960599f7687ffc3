package schedule

import (
	"time"

	"github.com/robfig/cron/v3"
)

// wallClock is DIGEST_CRON as a desk reads it on its wall clock in zone
// across daylight saving, as cron daemons do: a time the clocks show
// twice (01:30 on the night they go back) ticks once, the first time; a
// time they skip (02:30 on the night they go forward) ticks as the
// clocks pass it, at the instant it would have been (03:30). robfig/cron
// reads a zone's clock well only between its changes: on the nights they
// happen it ticked twice, or not at all, and in zones that change by
// half an hour or at midnight on other nights around them too. Between
// two changes a zone is a fixed offset, where robfig/cron is right: the
// ticks are worked out one stretch of fixed offset at a time.
type wallClock struct {
	sched cron.Schedule
	zone  *time.Location
}

// inZone is sched ticking on zone's wall clock.
func inZone(sched cron.Schedule, zone *time.Location) wallClock {
	return wallClock{sched: sched, zone: zone}
}

// maxSteps bounds the stretches and the repeated ticks Next walks.
const maxSteps = 10_000

// Next is the first tick after t; zero if there is none.
func (c wallClock) Next(t time.Time) time.Time {
	from := t
	_, off := t.In(c.zone).Zone()
	// Just after the clocks went forward, a time they skipped may still
	// be to tick (02:30 at 03:30, asked at 03:10): the walk starts before
	// the change.
	if _, before := t.Add(-backWindow).In(c.zone).Zone(); before < off {
		from, off = t.Add(-backWindow), before
	}
	// skipped is the tick of a time the clocks skipped, found at a change:
	// the answer, unless the next stretch ticks before it.
	var skipped time.Time
	for range maxSteps {
		fixed := time.FixedZone("", off)
		cand := c.sched.Next(from.In(fixed))
		if !skipped.IsZero() && (cand.IsZero() || !cand.Before(skipped)) {
			return skipped.In(c.zone)
		}
		if cand.IsZero() {
			return time.Time{}
		}
		change, next, changes := c.change(from, cand, off)
		if !changes {
			if cand.After(t) && !c.shownBefore(cand) {
				return cand.In(c.zone)
			}
			// Before t, or its time was on the clock already, before it
			// went back.
			from = cand
			continue
		}
		if next > off && skipped.IsZero() {
			// The clocks go forward at change: each time they skip ticks
			// at the instant it would have been.
			start := change.Add(-time.Second)
			if start.Before(from) {
				start = from
			}
			until := change.Add(time.Duration(next-off) * time.Second)
			for m := c.sched.Next(start.In(fixed)); !m.IsZero() && m.Before(until); m = c.sched.Next(m) {
				if m.After(t) {
					skipped = m
					break
				}
			}
		}
		// On with the next stretch, from the first time its clock shows.
		from, off = change.Add(-time.Nanosecond), next
	}
	return time.Time{}
}

// change finds the first instant after from and at or before until at
// which zone's offset is no longer off, and the offset from then on.
func (c wallClock) change(from, until time.Time, off int) (at time.Time, next int, ok bool) {
	const step = 6 * time.Hour
	for lo := from; lo.Before(until); lo = lo.Add(step) {
		hi := lo.Add(step)
		if hi.After(until) {
			hi = until
		}
		if _, o := hi.In(c.zone).Zone(); o == off {
			continue
		}
		// Between lo (off) and hi (not): to the second.
		for hi.Sub(lo) > time.Second {
			mid := lo.Add(hi.Sub(lo) / 2)
			if _, o := mid.In(c.zone).Zone(); o == off {
				lo = mid
			} else {
				hi = mid
			}
		}
		// Zones change on a whole second: the first one on the new offset.
		at = hi.Truncate(time.Second)
		if _, o := at.In(c.zone).Zone(); o == off {
			at = at.Add(time.Second)
		}
		_, next = at.In(c.zone).Zone()
		return at, next, true
	}
	return time.Time{}, 0, false
}

// shownBefore reports whether the clock showed at's time already, at a
// larger offset, just before it went back.
func (c wallClock) shownBefore(at time.Time) bool {
	at = at.In(c.zone)
	_, now := at.Zone()
	_, before := at.Add(-backWindow).In(c.zone).Zone()
	if before <= now {
		return false
	}
	earlier := at.Add(-time.Duration(before-now) * time.Second).In(c.zone)
	y1, m1, d1 := at.Date()
	y0, m0, d0 := earlier.Date()
	return y0 == y1 && m0 == m1 && d0 == d1 && earlier.Hour() == at.Hour() && earlier.Minute() == at.Minute() &&
		earlier.Second() == at.Second()
}

// backWindow is how long before a tick the clocks may have gone back for
// it to fall in the repeated time: more than any zone's change.
const backWindow = 3 * time.Hour
