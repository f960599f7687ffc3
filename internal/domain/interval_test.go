package domain

import (
	"testing"
	"time"
)

// TestParseInterval: an interval reads as Go writes durations or as an
// editor says it, in English, Spanish or French; anything else is refused.
func TestParseInterval(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"30m": 30 * time.Minute, "1h30m": 90 * time.Minute, " 6h ": 6 * time.Hour,
		"2 hours": 2 * time.Hour, "1 hour 30 minutes": 90 * time.Minute, "1 day": 24 * time.Hour,
		"90 Minutos": 90 * time.Minute, "2 días": 48 * time.Hour, "1,5 heures": 90 * time.Minute,
		"1.5 h": 90 * time.Minute, "3 jours": 72 * time.Hour,
	} {
		if got, err := ParseInterval(in); err != nil || got != want {
			t.Errorf("ParseInterval(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "two hours", "2", "hours", "2 fortnights", "-1 hour", "1e300 hours", "2 hours 5", "NaN hours"} {
		if got, err := ParseInterval(in); err == nil {
			t.Errorf("ParseInterval(%q) = %v, want an error", in, got)
		}
	}
}
