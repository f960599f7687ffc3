package schedule

import (
	"fmt"
	"time"

	"github.com/robfig/cron/v3"

	"newsdigest/internal/dates"
	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
)

// ForReader says when a reader's digest goes out, in lang: the desk's
// schedule (Describe) for a reader who follows it (rs nil), else their
// own, on their wall clock in their zone: "Every day at 08:00 (Madrid
// time); the next one on Tuesday 8 December". due is their next due time
// as the worker worked it out, nil while it has not yet.
func ForReader(rs *domain.ReaderSchedule, due *time.Time, desk cron.Schedule, deskTZ *time.Location, now time.Time, lang string) string {
	if rs == nil {
		return Describe(desk, deskTZ, now, lang)
	}
	loc, err := domain.LoadZone(rs.Timezone)
	if err != nil {
		loc = deskTZ // a zone this system no longer knows: the worker uses the desk's too
	}
	weekday, _ := DeskDay(desk, deskTZ, now)
	return DescribeReader(rs.Frequency, loc, ReaderNext(rs.Frequency, loc, rs.Hour, weekday, due, now), now, lang)
}

// ReaderNext is a reader's next digest: their due time when the worker
// has worked it out and it is not long past (a digest due in the quarter
// hour just gone is still on its way), else the first one the worker will
// give them, as RunDue does for a new schedule.
func ReaderNext(frequency string, loc *time.Location, hour int, weekday time.Weekday, due *time.Time, now time.Time) time.Time {
	if due != nil && due.After(now.Add(-Quarter)) {
		return *due
	}
	return FirstDue(frequency, loc, hour, weekday, now)
}

// DescribeReader words a reader's own schedule whose next digest is at
// next, in loc: its rule ("every day", "every Monday", "every other
// Monday"), its hour and zone, and the date of the next one. The answer
// is one sentence, capitalised, without a final full stop.
func DescribeReader(frequency string, loc *time.Location, next, now time.Time, lang string) string {
	w := wordsOf(lang)
	next = next.In(loc)
	var rule string
	switch frequency {
	case domain.FrequencyDaily:
		rule = w.EveryDay
	case domain.FrequencyBiweekly:
		rule = fmt.Sprintf(i18n.Text(lang, "schedule.every_other"), dates.WeekdayName(lang, next.Weekday()))
	default:
		rule = fmt.Sprintf(w.Every, dates.WeekdayName(lang, next.Weekday()))
	}
	day := dates.Weekday(lang, next, next.Year() != now.In(loc).Year())
	return capitalise(fmt.Sprintf(w.Joined, fmt.Sprintf(w.At, rule, next.Format(w.Clock), zoneName(w, loc)),
		fmt.Sprintf(w.Next, day)))
}

// HourLabel words an hour on the clock, on the hour, as the schedule's
// sentences do in lang ("07:00", "07 h 00"), for the menus that offer
// it: the menu and the sentence below it say the hour alike.
func HourLabel(lang string, hour int) string {
	return time.Date(2000, time.January, 1, hour, 0, 0, 0, time.UTC).Format(wordsOf(lang).Clock)
}
