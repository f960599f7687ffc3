package web

import (
	"testing"
	"time"

	"newsdigest/internal/domain"
)

// TestFrequencyLabelSaysTheDay: the forms name the day a weekly or
// two-weekly digest comes on, in the reader's language.
func TestFrequencyLabelSaysTheDay(t *testing.T) {
	for _, tc := range []struct{ lang, frequency, want string }{
		{"en", domain.FrequencyWeekly, "Every week, on Monday"},
		{"es", domain.FrequencyBiweekly, "Cada dos semanas, el lunes"},
		{"fr", domain.FrequencyWeekly, "Chaque semaine, le lundi"},
		{"fr", domain.FrequencyDaily, "Chaque jour"},
	} {
		if got := frequencyLabel(tc.lang, tc.frequency, time.Monday); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.lang, tc.frequency, got, tc.want)
		}
	}
}
