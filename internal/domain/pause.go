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
