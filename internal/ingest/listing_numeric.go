package ingest

import (
	"strings"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// DateOrder says how the all-numeric dates of a listing are written. Most
// of Latin America writes the day first and the United States the month
// first, and nothing in "05/09/2018" tells which: only the person
// importing the listing knows.
type DateOrder int

// The orders a listing's numeric dates may be written in.
const (
	DateOrderUnknown DateOrder = iota // read only dates that cannot be misread
	DateOrderMDY                      // 12/16/2020
	DateOrderDMY                      // 16/12/2020
)

// ParseDateOrder reads a date order as the API spells it: "mdy", "dmy",
// or "" for none. Anything else is an errs.Malformed naming date_order.
func ParseDateOrder(s string) (DateOrder, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return DateOrderUnknown, nil
	case "mdy":
		return DateOrderMDY, nil
	case "dmy":
		return DateOrderDMY, nil
	}
	return DateOrderUnknown, errs.New(errs.Malformed, "date_order: want mdy (month/day/year) or dmy (day/month/year), got %q", clip(s))
}

// String returns the order as the API spells it.
func (o DateOrder) String() string {
	switch o {
	case DateOrderMDY:
		return "mdy"
	case DateOrderDMY:
		return "dmy"
	}
	return ""
}

// ListingOption changes how a listing is read.
type ListingOption func(*listingParser)

// WithDateOrder reads all-numeric dates in the given order. Without it
// such dates are read only when they cannot be misread: a part above 12
// is the day, day and month are equal, or the weekday on the line fits
// only one reading.
func WithDateOrder(o DateOrder) ListingOption {
	return func(p *listingParser) { p.order = o }
}

// parseNumericDate reads "16/12/2020", "12-16-2020" or "16.12.2020" (dots
// are made slashes by dateWords). weekday, or -1, is a weekday written on
// the same line, which may settle an ambiguous date.
func parseNumericDate(t string, order DateOrder, weekday time.Weekday) (domain.Date, dateProblem) {
	sep := "/"
	if !strings.Contains(t, "/") {
		sep = "-"
	}
	parts := strings.Split(t, sep)
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return domain.Date{}, dateUnreadable // mixed separators or stray signs
		}
	}
	if len(parts) == 2 && len(parts[0]) <= 2 && len(parts[1]) <= 2 {
		a, b := atoi(parts[0]), atoi(parts[1])
		if validDay(2000, time.Month(b), a) || validDay(2000, time.Month(a), b) {
			return domain.Date{}, dateNoYear
		}
		return domain.Date{}, dateUnreadable
	}
	if len(parts) != 3 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return domain.Date{}, dateUnreadable
	}
	if len(parts[2]) == 2 {
		return domain.Date{}, dateShortYear
	}
	a, b, y := atoi(parts[0]), atoi(parts[1]), atoi(parts[2])
	if len(parts[2]) != 4 || y < minYear || y > maxYear {
		return domain.Date{}, dateUnreadable
	}
	dmy := validDay(y, time.Month(b), a)
	mdy := validDay(y, time.Month(a), b)
	dmyDate, mdyDate := domain.NewDate(y, time.Month(b), a), domain.NewDate(y, time.Month(a), b)
	switch {
	case !dmy && !mdy:
		return domain.Date{}, dateUnreadable
	case order == DateOrderDMY && dmy, order == DateOrderUnknown && dmy && !mdy:
		return dmyDate, dateOK
	case order == DateOrderMDY && mdy, order == DateOrderUnknown && mdy && !dmy:
		return mdyDate, dateOK
	case order != DateOrderUnknown:
		return domain.Date{}, dateOrderMismatch
	case a == b:
		return dmyDate, dateOK
	case weekday >= 0 && dmyDate.Weekday() == weekday && mdyDate.Weekday() != weekday:
		return dmyDate, dateOK
	case weekday >= 0 && mdyDate.Weekday() == weekday && dmyDate.Weekday() != weekday:
		return mdyDate, dateOK
	}
	return domain.Date{}, dateAmbiguous
}

// atoi reads a run of at most four digits, already checked.
func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
