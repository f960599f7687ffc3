package domain

import (
	"strconv"
	"strings"
	"time"

	"newsdigest/internal/errs"
)

// A subscriber may pause their digests for MinPauseWeeks to MaxPauseWeeks
// weeks: long enough for a holiday or a leave, short enough that a pause
// is never a quiet way of forgetting someone.
const (
	MinPauseWeeks = 1
	MaxPauseWeeks = 8
)

// PauseUntil reads a number of weeks as given in a form or a request and
// returns when a pause asked for now would end.
func PauseUntil(weeks string, now time.Time) (time.Time, error) {
	n, err := strconv.Atoi(strings.TrimSpace(weeks))
	if err != nil || n < MinPauseWeeks || n > MaxPauseWeeks {
		return time.Time{}, errs.New(errs.Invalid, "weeks: choose a pause of %d to %d weeks", MinPauseWeeks, MaxPauseWeeks)
	}
	return now.Add(time.Duration(n) * 7 * 24 * time.Hour), nil
}

// pauseRepeat is how close two pauses' ends are for the second to be the
// first asked again: a pause is chosen in weeks, so two that end within
// it were asked for the same weeks moments apart (a double click).
const pauseRepeat = time.Minute

// RepeatsPause reports whether a pause until until, asked while the
// reader is paused until pausedUntil (nil: not paused), is that pause
// asked again, which changes and records nothing.
func RepeatsPause(pausedUntil *time.Time, until time.Time) bool {
	if pausedUntil == nil {
		return false
	}
	d := until.Sub(*pausedUntil)
	return d > -pauseRepeat && d < pauseRepeat
}
