// Package schedule is the digest's schedule (DIGEST_CRON in DIGEST_TZ):
// which tick is due and whether it is too late to send (due.go), and, in
// a reader's language, when the digest goes out: the rule when it has
// one a reader would recognise ("every Monday at 07:00"), in the desk's
// time zone, and always the date of the next send.
package schedule

import (
	"fmt"
	"math/bits"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/robfig/cron/v3"

	"newsdigest/internal/dates"
	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
)

// words are one language's, from the [schedule] section of the
// catalogue (internal/i18n/locales).
type words struct {
	And      string
	Every    string // weekday list
	EveryDay string
	At       string // rule, clock time, zone
	Next     string // date
	NextAt   string // date, clock time, zone
	Joined   string // rule, next
	Zone     string // zone name
	Clock    string // a Go time layout: "15:04", "15 h 04"
	lang     string // whose city names the zone
}

func wordsOf(lang string) words {
	t := func(key string) string { return i18n.Text(lang, "schedule."+key) }
	return words{And: t("and"), Every: t("every"), EveryDay: t("every_day"), At: t("at"), Next: t("next"),
		NextAt: t("next_at"), Joined: t("joined"), Zone: t("zone"), Clock: t("clock"), lang: lang}
}

// Describe says when sched sends after now, in lang: its rule if it is a
// daily or weekly one at a fixed time (else only the next date and time),
// in loc, the desk's time zone, and the date of the next send. The
// answer is one sentence, capitalised, without a final full stop.
func Describe(sched cron.Schedule, loc *time.Location, now time.Time, lang string) string {
	w := wordsOf(lang)
	next := Next(sched, loc, now)
	var s string
	// The year is said only when it is not this one.
	day := dates.Weekday(lang, next, next.Year() != now.In(loc).Year())
	if rule, ok := ruleAt(w, lang, sched, next, loc); ok {
		s = fmt.Sprintf(w.Joined, rule, fmt.Sprintf(w.Next, day))
	} else {
		s = fmt.Sprintf(w.NextAt, day, next.Format(w.Clock), zoneName(w, loc))
	}
	return capitalise(s)
}

// Rule says sched's rule in lang ("Every Monday at 07:00 (UTC)"), in
// loc, capitalised, or reports false for a schedule Describe leaves
// unworded (several times a day, days of the month).
func Rule(sched cron.Schedule, loc *time.Location, now time.Time, lang string) (string, bool) {
	rule, ok := ruleAt(wordsOf(lang), lang, sched, Next(sched, loc, now), loc)
	if !ok {
		return "", false
	}
	return capitalise(rule), true
}

// ruleAt words sched's rule at the clock time of next, one of its sends.
func ruleAt(w words, lang string, sched cron.Schedule, next time.Time, loc *time.Location) (string, bool) {
	rule, ok := ruleOf(w, lang, sched)
	if !ok {
		return "", false
	}
	return fmt.Sprintf(w.At, rule, next.Format(w.Clock), zoneName(w, loc)), true
}

// Date writes t's calendar day in lang ("Tuesday 15 December 2026",
// "martes 15 de diciembre de 2026"), as it is in loc.
func Date(t time.Time, loc *time.Location, lang string) string {
	return dates.Weekday(lang, t.In(loc), true)
}

// week is the weekdays as people list them: Monday first, Sunday last.
var week = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// starBit marks a field given as "*" in robfig/cron's parsed schedules.
const starBit = 1 << 63

// ruleOf words a schedule that sends at one fixed time every day, or on
// some days of the week, whatever the month and day of month. Any other
// schedule (several times a day, days of the month, some months) is left
// unworded: the next date says enough.
func ruleOf(w words, lang string, sched cron.Schedule) (string, bool) {
	spec, ok := sched.(*cron.SpecSchedule)
	if !ok || bits.OnesCount64(spec.Second) != 1 || bits.OnesCount64(spec.Minute) != 1 || bits.OnesCount64(spec.Hour) != 1 {
		return "", false
	}
	if spec.Dom&starBit == 0 || spec.Month&starBit == 0 {
		return "", false
	}
	days := spec.Dow &^ starBit
	if spec.Dow&starBit != 0 || days == 1<<7-1 {
		return w.EveryDay, true
	}
	var names []string
	for _, d := range week {
		if days&(1<<uint(d)) != 0 {
			names = append(names, dates.WeekdayName(lang, d))
		}
	}
	if len(names) == 0 {
		return "", false
	}
	list := names[len(names)-1]
	if len(names) > 1 {
		list = strings.Join(names[:len(names)-1], ", ") + w.And + list
	}
	return fmt.Sprintf(w.Every, list), true
}

// zoneName names a time zone for readers by its city in their language,
// from CLDR: "Costa Rica time" for America/Costa_Rica, "hora de Tokio"
// for Asia/Tokyo; UTC by its abbreviation.
func zoneName(w words, loc *time.Location) string {
	name := loc.String()
	if name == "UTC" || name == "Local" || name == "" {
		abbr, _ := time.Now().In(loc).Zone()
		return abbr
	}
	return fmt.Sprintf(w.Zone, i18n.ZoneCity(w.lang, name))
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// DeskFrequency is how often sched, DIGEST_CRON, sends as a reader's
// frequency: daily when it sends every day, weekly otherwise (the
// desk's usual; a schedule of several days a week is nearer a week's
// news than a day's).
func DeskFrequency(sched cron.Schedule) string {
	spec, ok := sched.(*cron.SpecSchedule)
	if ok && spec.Dom&starBit != 0 && (spec.Dow&starBit != 0 || spec.Dow&^starBit == 1<<7-1) {
		return domain.FrequencyDaily
	}
	return domain.FrequencyWeekly
}
