package schedule

import (
	"time"

	"github.com/robfig/cron/v3"
)

// wallClock is DIGEST_CRON as a desk reads it on its wall clock in zone
// across daylight saving, as cron daemons do: a time the clocks pass
// twice (01:30 on the night they go back) ticks once, the first time; a
// time they skip (02:30 on the night they go forward) ticks when the
// clocks jump past it, at 03:30. robfig/cron alone ticks twice on the
// first night and not at all on the second: two editions one night, a
// week without one.
type wallClock struct {
	sched cron.Schedule
	zone  *time.Location
}

// inZone is sched ticking on zone's wall clock.
func inZone(sched cron.Schedule, zone *time.Location) wallClock {
	return wallClock{sched: sched, zone: zone}
}

// Next is the first tick after t.
func (c wallClock) Next(t time.Time) time.Time {
	t = t.In(c.zone)
	n := c.sched.Next(t)
	for !n.IsZero() && c.repeats(n) {
		n = c.sched.Next(n)
	}
	if m, ok := c.skipped(t, n); ok {
		return m
	}
	return n
}

// repeats reports whether the wall clock showed n's time once already,
// just before the clocks went back.
func (c wallClock) repeats(n time.Time) bool {
	_, now := n.Zone()
	_, before := n.Add(-backWindow).Zone()
	if before <= now {
		return false
	}
	earlier := n.Add(-time.Duration(before-now) * time.Second).In(c.zone)
	return earlier.Hour() == n.Hour() && earlier.Minute() == n.Minute() && earlier.Day() == n.Day()
}

// backWindow is how long before a tick the clocks may have gone back for
// it to fall in the repeated time: more than any zone's shift.
const backWindow = 3 * time.Hour

// skipped finds a tick that fell in a time the clocks skipped between t
// and n (a zero n: none after t): sched read on the clock as it was before
// the jump, the first tick from the jump on that is still in the skipped
// time. It is the instant the clocks jumped past that time.
func (c wallClock) skipped(t, n time.Time) (time.Time, bool) {
	end := n
	if end.IsZero() {
		end = t.Add(Lookback)
	}
	_, from := t.Zone()
	_, to := end.In(c.zone).Zone()
	if to <= from {
		return time.Time{}, false
	}
	// The jump: the first minute on the new offset.
	lo, hi := t, end
	for hi.Sub(lo) > time.Minute {
		mid := lo.Add(hi.Sub(lo) / 2)
		if _, off := mid.In(c.zone).Zone(); off == from {
			lo = mid
		} else {
			hi = mid
		}
	}
	jump := hi.Truncate(time.Minute)
	if _, off := jump.In(c.zone).Zone(); off == from {
		jump = jump.Add(time.Minute)
	}
	before := time.FixedZone("", from)
	m := c.sched.Next(jump.Add(-time.Second).In(before))
	if m.IsZero() || !m.Before(jump.Add(time.Duration(to-from)*time.Second)) || !m.After(t) {
		return time.Time{}, false // no tick in the skipped time
	}
	if !n.IsZero() && !m.Before(n) {
		return time.Time{}, false
	}
	return m.In(c.zone), true
}
