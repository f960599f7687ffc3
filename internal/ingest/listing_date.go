package ingest

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"newsdigest/internal/dates"
	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
	"newsdigest/internal/tagging"
)

// Month and weekday names the listings are written with, folded (lower
// case, no accents) as dateWords produces them: English's and Spanish's
// short forms and variants here, every language's own names added from
// its catalogue (init, below).
var monthNames = map[string]time.Month{
	"january": 1, "jan": 1, "enero": 1, "ene": 1,
	"february": 2, "feb": 2, "febrero": 2,
	"march": 3, "mar": 3, "marzo": 3,
	"april": 4, "apr": 4, "abril": 4, "abr": 4,
	"may": 5, "mayo": 5,
	"june": 6, "jun": 6, "junio": 6,
	"july": 7, "jul": 7, "julio": 7,
	"august": 8, "aug": 8, "agosto": 8, "ago": 8,
	"september": 9, "sep": 9, "sept": 9, "septiembre": 9, "setiembre": 9, "set": 9,
	"october": 10, "oct": 10, "octubre": 10,
	"november": 11, "nov": 11, "noviembre": 11,
	"december": 12, "dec": 12, "diciembre": 12, "dic": 12,
}

var weekdayNames = map[string]time.Weekday{
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
	"mon": time.Monday, "tue": time.Tuesday, "tues": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "fri": time.Friday,
	"sat": time.Saturday, "sun": time.Sunday,
	"lunes": time.Monday, "martes": time.Tuesday, "miercoles": time.Wednesday, "jueves": time.Thursday,
	"viernes": time.Friday, "sabado": time.Saturday, "domingo": time.Sunday,
}

// ordinals are the marks after a day's number: "16th", "1º" (the º is
// read as a space), and each language's mark of the first ("1er").
var ordinals = map[string]bool{"st": true, "nd": true, "rd": true, "th": true, "o": true}

// Every language the program speaks writes its dates in a listing as its
// readers do: its month and weekday names, and its mark of the first, are
// those its catalogue writes dates with ([date]), so a language added as
// one file is read in the listings too.
func init() {
	for _, lang := range i18n.Languages() {
		for m := time.January; m <= time.December; m++ {
			monthNames[tagging.Fold(dates.MonthName(lang, m))] = m
		}
		for d := time.Sunday; d <= time.Saturday; d++ {
			weekdayNames[tagging.Fold(dates.WeekdayName(lang, d))] = d
		}
		if o := dates.FirstOrdinal(lang); o != "" {
			ordinals[tagging.Fold(o)] = true
		}
	}
}

// Words that join the parts of a date: "16 de diciembre de 2020",
// "the 16th of December".
var dateFillers = map[string]bool{"de": true, "del": true, "of": true, "the": true}

// maxDateRunes bounds what may be a date line. The longest real shape,
// "miércoles, 16 de septiembre de 2020", is 35 characters; titles that
// happen to start with a number or "May" are usually longer.
const maxDateRunes = 48

type dateKind int

const (
	dkUnknown dateKind = iota
	dkNumber           // 1-4 digits, maybe with an ordinal suffix
	dkISO              // 2020-12-16
	dkMonth
	dkWeekday
	dkFiller
	dkNumeric // 05/09/2018: read only when day and month can be told apart
)

type dateWord struct {
	kind    dateKind
	text    string
	num     int
	digits  int
	ordinal bool
	month   time.Month
	weekday time.Weekday
}

// dateWords splits a candidate date line into classified words. Commas,
// periods ("Dec.") and ordinal marks ("1º") separate words; hyphens and
// slashes do not, so an ISO date stays one word, and neither do the dots
// of a numeric date ("16.12.2020" is read as "16/12/2020").
func dateWords(s string) []dateWord {
	if strings.Count(s, ".") >= 2 {
		s = undotNumeric(s)
	}
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212':
			return '-' // typographic dashes pasted into an ISO date
		case ',', '.', 'º', 'ª', '°', ';':
			return ' '
		}
		return r
	}, s)
	var out []dateWord
	for _, f := range strings.Fields(s) {
		t := tagging.Fold(f)
		if strings.ContainsAny(f, "-/") {
			t = strings.ToLower(f)
		}
		out = append(out, classifyDateWord(t))
	}
	return out
}

// undotNumeric writes the dots of numeric dates ("16.12.2020") as
// slashes, leaving other dots ("Dec.") alone.
func undotNumeric(s string) string {
	fields := strings.Fields(s)
	for i, f := range fields {
		core := strings.TrimRight(f, ".,;")
		parts := strings.Split(core, ".")
		if len(parts) != 3 {
			continue
		}
		numeric := true
		for _, p := range parts {
			numeric = numeric && p != "" && len(p) <= 4 && strings.Trim(p, "0123456789") == ""
		}
		if numeric {
			fields[i] = strings.ReplaceAll(core, ".", "/") + f[len(core):]
		}
	}
	return strings.Join(fields, " ")
}

func classifyDateWord(t string) dateWord {
	w := dateWord{text: t}
	if m, ok := monthNames[t]; ok {
		w.kind, w.month = dkMonth, m
		return w
	}
	if wd, ok := weekdayNames[t]; ok {
		w.kind, w.weekday = dkWeekday, wd
		return w
	}
	switch {
	case dateFillers[t]:
		w.kind = dkFiller
		return w
	case isISODate(t):
		w.kind = dkISO
		return w
	case strings.ContainsAny(t, "-/") && strings.Trim(t, "0123456789-/") == "" && strings.ContainsAny(t, "0123456789"):
		w.kind = dkNumeric
		return w
	}
	digits := 0
	for digits < len(t) && t[digits] >= '0' && t[digits] <= '9' {
		digits++
	}
	if digits == 0 || digits > 4 {
		return w
	}
	if suffix := t[digits:]; suffix != "" {
		if !ordinals[suffix] {
			return w
		}
		w.ordinal = true
	}
	w.num, _ = strconv.Atoi(t[:digits])
	w.kind, w.digits = dkNumber, digits
	return w
}

func isISODate(t string) bool {
	if len(t) < 8 || len(t) > 10 || t[4] != '-' && t[4] != '/' {
		return false
	}
	for i := 0; i < len(t); i++ {
		if c := t[i]; (c < '0' || c > '9') && c != t[4] {
			return false
		}
	}
	return strings.Count(t, t[4:5]) == 2
}

// looksLikeDate reports whether a line is an attempt at a date, readable or
// not. It must say yes to "32 Foo, 2020" (so the editor hears about the
// typo) and no to titles like "2020 in review" or "May Day marches": a date
// is short, starts with a number or a month or weekday name, holds at least
// one number, and has at most one word that is not part of a date.
func looksLikeDate(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > maxDateRunes || strings.ContainsAny(s, ":?!\"“”«»()") {
		return false
	}
	ws := dateWords(s)
	if len(ws) == 0 || len(ws) > 7 {
		return false
	}
	switch ws[0].kind {
	case dkNumber, dkISO, dkNumeric, dkMonth, dkWeekday:
	default:
		return false
	}
	unknown, numbers := 0, 0
	for _, w := range ws {
		switch w.kind {
		case dkUnknown:
			unknown++
		case dkNumber, dkISO, dkNumeric:
			numbers++
		}
	}
	return unknown <= 1 && numbers > 0
}

// dateProblem says why a date line could not be read.
type dateProblem int

const (
	dateOK dateProblem = iota
	dateUnreadable
	dateNoYear
	dateAmbiguous     // 05/09/2018 with no date order to read it by
	dateOrderMismatch // 25/12/2020 in a listing said to be month-first
	dateShortYear     // 05/09/18
)

// Years outside this range are typos ("2102", "202"), not news.
const (
	minYear = domain.MinYear
	maxYear = domain.MaxYear
)

// parseDate reads a date line in any of the shapes listings use: "16
// December, 2020", "December 16, 2020", "Wednesday, September 5, 2018",
// "2020-12-16", "16 de diciembre de 2020", "16/12/2020". Day, month and year
// are told apart by form (a month is a name, a year has four digits), so
// their order does not matter. All-numeric dates other than ISO are read by
// parseNumericDate, since 05/09/2018 means a different day in Mexico and in
// the United States.
func parseDate(s string, order DateOrder) (domain.Date, dateProblem) {
	var (
		day, year    int
		month        time.Month
		days, months int
		years        int
		weekday      = time.Weekday(-1)
	)
	ws := dateWords(s)
	for _, w := range ws {
		if w.kind == dkWeekday {
			weekday = w.weekday
		}
	}
	for _, w := range ws {
		switch w.kind {
		case dkWeekday, dkFiller:
			// The weekday is redundant; when it disagrees with the date,
			// the date is what the publisher meant.
		case dkISO:
			d, err := parseISO(w.text)
			if err != nil {
				return domain.Date{}, dateUnreadable
			}
			return checkOnlyWeekday(ws, d, dateOK)
		case dkNumeric:
			d, problem := parseNumericDate(w.text, order, weekday)
			return checkOnlyWeekday(ws, d, problem)
		case dkMonth:
			month = w.month
			months++
		case dkNumber:
			switch {
			case w.digits == 4 && !w.ordinal:
				year = w.num
				years++
			case w.digits <= 2:
				day = w.num
				days++
			default:
				return domain.Date{}, dateUnreadable
			}
		default:
			return domain.Date{}, dateUnreadable
		}
	}
	if months != 1 || days != 1 || years > 1 {
		return domain.Date{}, dateUnreadable
	}
	if years == 0 {
		if !validDay(2000, month, day) { // 2000 is a leap year: 29 February passes
			return domain.Date{}, dateUnreadable
		}
		return domain.Date{}, dateNoYear
	}
	if year < minYear || year > maxYear || !validDay(year, month, day) {
		return domain.Date{}, dateUnreadable
	}
	return domain.NewDate(year, month, day), dateOK
}

// checkOnlyWeekday accepts an ISO or numeric date only when nothing but a
// weekday accompanies it, so "2020-12-16 17" is not silently read.
func checkOnlyWeekday(ws []dateWord, d domain.Date, problem dateProblem) (domain.Date, dateProblem) {
	dates := 0
	for _, w := range ws {
		switch w.kind {
		case dkISO, dkNumeric:
			dates++
		case dkWeekday:
		default:
			return domain.Date{}, dateUnreadable
		}
	}
	if dates != 1 {
		return domain.Date{}, dateUnreadable
	}
	return d, problem
}

func parseISO(t string) (domain.Date, error) {
	parts := strings.Split(t, t[4:5])
	y, _ := strconv.Atoi(parts[0])
	m, _ := strconv.Atoi(parts[1])
	d, _ := strconv.Atoi(parts[2])
	if y < minYear || y > maxYear || m < 1 || m > 12 || !validDay(y, time.Month(m), d) {
		return domain.Date{}, strconv.ErrRange
	}
	return domain.NewDate(y, time.Month(m), d), nil
}

// validDay rejects days the calendar does not have, such as 31 November,
// which time.Date would quietly turn into 1 December.
func validDay(y int, m time.Month, d int) bool {
	if d < 1 || d > 31 {
		return false
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return t.Day() == d && t.Month() == m
}
