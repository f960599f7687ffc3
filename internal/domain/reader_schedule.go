package domain

import (
	"slices"
	"strings"
	"time"

	"newsdigest/internal/errs"
)

// How often a reader with their own schedule gets a digest: weekly on
// the desk's day (DIGEST_CRON's weekday), daily, or every two weeks on
// that day.
const (
	FrequencyWeekly   = "weekly"
	FrequencyDaily    = "daily"
	FrequencyBiweekly = "biweekly"
)

// Frequencies are every frequency, in the order forms offer them.
var Frequencies = []string{FrequencyWeekly, FrequencyDaily, FrequencyBiweekly}

// ReaderSchedule is when a reader wants their digest: at Hour, on their
// wall clock in Timezone (an IANA name), at Frequency. SendThin sends
// whatever there is instead of waiting for the desk's minimum of stories.
// A reader without one follows the desk's DIGEST_CRON.
type ReaderSchedule struct {
	Frequency string `json:"frequency"`
	Timezone  string `json:"timezone"`
	Hour      int    `json:"hour"`
	SendThin  bool   `json:"send_thin"`
}

// MovedSchedule is a reader who moved the hour or time zone of their own
// schedule: the new schedule, and the due time it replaced.
type MovedSchedule struct {
	SubscriberID int64
	Schedule     ReaderSchedule
	DueBefore    time.Time
}

// Validate checks a schedule against what the desk offers; the error
// names the field.
func (s *ReaderSchedule) Validate(offered []string) error {
	s.Frequency = strings.ToLower(strings.TrimSpace(s.Frequency))
	s.Timezone = strings.TrimSpace(s.Timezone)
	if !slices.Contains(Frequencies, s.Frequency) {
		return errs.New(errs.Invalid, "frequency: %q is not weekly, daily or biweekly", s.Frequency)
	}
	if !slices.Contains(offered, s.Frequency) {
		return errs.New(errs.Invalid, "frequency: %q is not offered", s.Frequency)
	}
	if _, err := LoadZone(s.Timezone); err != nil {
		return err
	}
	if s.Hour < 0 || s.Hour > 23 {
		return errs.New(errs.Invalid, "hour: %d is not between 0 and 23", s.Hour)
	}
	return nil
}

// LoadZone loads an IANA time zone by name; "Local" and the empty name
// are refused, since they mean the server's zone, not the reader's, and
// so is a zone whose local time is unknown ("Factory", abbreviated
// "-00"): no reader lives there.
func LoadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" || len(name) > 64 {
		return nil, errs.New(errs.Invalid, "timezone: %q is not a known time zone", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, errs.New(errs.Invalid, "timezone: %q is not a known time zone", name)
	}
	if abbr, _ := time.Now().In(loc).Zone(); abbr == "-00" {
		return nil, errs.New(errs.Invalid, "timezone: %q is not a place's time zone", name)
	}
	return loc, nil
}

// ScheduleSettings are the desk's rules for readers' own schedules: the
// frequencies it offers, and the minimum of stories a digest waits for,
// up to WaitDays since the reader's last one.
type ScheduleSettings struct {
	Frequencies []string `json:"frequencies"`
	MinStories  int      `json:"min_stories"`
	WaitDays    int      `json:"wait_days"`
}

// ThinBelow is the number of stories under which a digest of a reader's
// own schedule waits for more (unless they chose to have it anyway), or
// 0 when none ever waits: a minimum of one, or no days to wait.
func (s ScheduleSettings) ThinBelow() int {
	if s.MinStories <= 1 || s.WaitDays <= 0 {
		return 0
	}
	return s.MinStories
}

// DefaultScheduleSettings are the settings before the desk changes them.
var DefaultScheduleSettings = ScheduleSettings{Frequencies: Frequencies, MinStories: 3, WaitDays: 28}

// Validate checks the settings; the error names the field.
func (s *ScheduleSettings) Validate() error {
	var offered []string
	for _, f := range Frequencies { // kept in the forms' order
		if slices.Contains(s.Frequencies, f) {
			offered = append(offered, f)
		}
	}
	if len(offered) != len(slices.Compact(slices.Sorted(slices.Values(s.Frequencies)))) {
		return errs.New(errs.Invalid, "frequencies: only weekly, daily and biweekly")
	}
	if len(offered) == 0 {
		return errs.New(errs.Invalid, "frequencies: offer at least one")
	}
	s.Frequencies = offered
	if s.MinStories < 0 || s.MinStories > 100 {
		return errs.New(errs.Invalid, "min_stories: %d is not between 0 and 100", s.MinStories)
	}
	if s.WaitDays < 0 || s.WaitDays > 365 {
		return errs.New(errs.Invalid, "wait_days: %d is not between 0 and 365", s.WaitDays)
	}
	return nil
}

// SlotRecipient is a reader of a slot: their choices and history, where
// their own window begins, and whether a thin digest goes out.
type SlotRecipient struct {
	Recipient
	WindowStart time.Time
	SendThin    bool
}
