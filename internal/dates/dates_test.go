package dates

import (
	"testing"
	"time"
)

func TestDates(t *testing.T) {
	day := time.Date(2026, 12, 15, 7, 0, 0, 0, time.UTC) // a Tuesday
	for _, tc := range []struct{ got, want string }{
		{Day("en", day), "15 December 2026"},
		{Day("es", day), "15 de diciembre de 2026"},
		{Day("fr", day), "15 December 2026"},
		{Weekday("en", day, true), "Tuesday 15 December 2026"},
		{Weekday("es", day, true), "martes 15 de diciembre de 2026"},
		{Weekday("en", day, false), "Tuesday 15 December"},
		{Weekday("es", day, false), "martes 15 de diciembre"},
		{WeekdayName("es", time.Sunday), "domingo"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
