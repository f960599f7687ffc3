package dates

import (
	"testing"
	"time"
)

func TestDates(t *testing.T) {
	day := time.Date(2026, 12, 15, 7, 0, 0, 0, time.UTC) // a Tuesday
	first := time.Date(2026, 3, 1, 7, 0, 0, 0, time.UTC) // a Sunday
	for _, tc := range []struct{ got, want string }{
		{Day("en", day), "15 December 2026"},
		{Day("es", day), "15 de diciembre de 2026"},
		{Day("fr", day), "15 décembre 2026"},
		{Day("de", day), "15 December 2026"}, // no catalogue file: English
		{Weekday("en", day, true), "Tuesday 15 December 2026"},
		{Weekday("es", day, true), "martes 15 de diciembre de 2026"},
		{Weekday("fr", day, true), "mardi 15 décembre 2026"},
		{Weekday("en", day, false), "Tuesday 15 December"},
		{Weekday("es", day, false), "martes 15 de diciembre"},
		{Weekday("fr", day, false), "mardi 15 décembre"},
		{Day("en", first), "1 March 2026"},
		{Day("es", first), "1 de marzo de 2026"},
		{Day("fr", first), "1er mars 2026"},
		{Weekday("fr", first, false), "dimanche 1er mars"},
		{WeekdayName("es", time.Sunday), "domingo"},
		{WeekdayName("fr", time.Monday), "lundi"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
