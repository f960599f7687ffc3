// Package dates writes calendar days as readers of the languages the
// digest speaks write them: "2 March 2026", "2 de marzo de 2026". The
// emails, the web pages and the schedule's words all use it, so a date
// reads the same wherever it is shown.
package dates

import (
	"fmt"
	"time"
)

// names are one language's day and month names and how a date is put
// together from them.
type names struct {
	weekdays [7]string  // Sunday first, as time.Weekday
	months   [12]string // January first
	day      string     // day of month, month name
	year     string     // day (as above), year
	weekday  string     // weekday name, day (as above)
}

var languages = map[string]names{
	"en": {
		weekdays: [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		months: [12]string{"January", "February", "March", "April", "May", "June",
			"July", "August", "September", "October", "November", "December"},
		day: "%d %s", year: "%s %d", weekday: "%s %s",
	},
	"es": {
		weekdays: [7]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"},
		months: [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio",
			"julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		day: "%d de %s", year: "%s de %d", weekday: "%s %s",
	},
}

// of returns lang's names; English for a language it does not know.
func of(lang string) names {
	if n, ok := languages[lang]; ok {
		return n
	}
	return languages["en"]
}

// Day writes t's day, month and year: "2 March 2026", "2 de marzo de 2026".
func Day(lang string, t time.Time) string {
	n := of(lang)
	return fmt.Sprintf(n.year, fmt.Sprintf(n.day, t.Day(), n.months[t.Month()-1]), t.Year())
}

// Weekday writes t's weekday and day, with the year if withYear:
// "Tuesday 15 December 2026", "martes 15 de diciembre".
func Weekday(lang string, t time.Time, withYear bool) string {
	n := of(lang)
	d := fmt.Sprintf(n.day, t.Day(), n.months[t.Month()-1])
	if withYear {
		d = fmt.Sprintf(n.year, d, t.Year())
	}
	return fmt.Sprintf(n.weekday, n.weekdays[t.Weekday()], d)
}

// WeekdayName names d in lang: "Monday", "lunes".
func WeekdayName(lang string, d time.Weekday) string {
	return of(lang).weekdays[d]
}
