// Package dates writes calendar days as readers of the digest's languages
// write them: "2 March 2026", "2 de marzo de 2026", "1er mars 2026". The
// emails, the web pages and the schedule's words all use it, so a date
// reads the same wherever it is shown. The words and the order are the
// [date] section of the catalogue (internal/i18n/locales).
package dates

import (
	"fmt"
	"strings"
	"time"

	"newsdigest/internal/i18n"
)

func word(lang, key string) string { return i18n.Text(lang, "date."+key) }

// MonthName names m in lang: "March", "marzo", "mars".
func MonthName(lang string, m time.Month) string {
	return word(lang, strings.ToLower(m.String()))
}

// dayMonth writes the day of the month and the month: "2 March", "1er mars".
func dayMonth(lang string, t time.Time) string {
	if t.Day() == 1 {
		return fmt.Sprintf(word(lang, "first_day"), MonthName(lang, t.Month()))
	}
	return fmt.Sprintf(word(lang, "day"), t.Day(), MonthName(lang, t.Month()))
}

// Day writes t's day, month and year: "2 March 2026", "2 de marzo de 2026".
func Day(lang string, t time.Time) string {
	return fmt.Sprintf(word(lang, "year"), dayMonth(lang, t), t.Year())
}

// Weekday writes t's weekday and day, with the year if withYear:
// "Tuesday 15 December 2026", "martes 15 de diciembre", "mardi 1er mars".
func Weekday(lang string, t time.Time, withYear bool) string {
	d := dayMonth(lang, t)
	if withYear {
		d = fmt.Sprintf(word(lang, "year"), d, t.Year())
	}
	return fmt.Sprintf(word(lang, "weekday"), WeekdayName(lang, t.Weekday()), d)
}

// WeekdayName names d in lang: "Monday", "lunes", "lundi".
func WeekdayName(lang string, d time.Weekday) string {
	return word(lang, strings.ToLower(d.String()))
}

// FirstOrdinal is what lang writes after the 1 of the first of a month
// ("er" in French's "1er mars"), as its first_day says; "" when it
// writes the number alone.
func FirstOrdinal(lang string) string {
	f := word(lang, "first_day")
	if !strings.HasPrefix(f, "1") {
		return ""
	}
	suffix, _, _ := strings.Cut(f[1:], " ")
	if strings.Contains(suffix, "%") {
		return ""
	}
	return suffix
}
