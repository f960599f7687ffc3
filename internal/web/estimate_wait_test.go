package web

import (
	"testing"

	"newsdigest/internal/subscribers"
)

// TestWaitDays: a schedule of one's own that waits for 3 stories comes
// as often as chosen when the choices bring that many a period, and
// otherwise about as often as they gather, never past the wait limit.
func TestWaitDays(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		stories, period, want int // stories in the estimate's 8 weeks
		ok                    bool
	}{
		{"daily, 3 a day", 168, 1, 0, false},
		{"daily, 1 a day", 56, 1, 3, true},
		{"daily, 2 a week", 16, 1, 11, true},
		{"daily, 2 in 8 weeks: the wait limit", 2, 1, 28, true},
		{"weekly, 3 a week", 24, 7, 0, false},
		{"weekly, 1 a week", 8, 7, 21, true},
		{"biweekly, 2 a week", 16, 14, 0, false},
		{"biweekly, 1 a week", 8, 14, 28, true},
		{"nothing matches", 0, 1, 0, false},
	} {
		got, ok := waitDays(subscribers.Estimate{Stories: tc.stories}, tc.period, 3, 28)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: %d, %v; want %d, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
	if _, ok := waitDays(subscribers.Estimate{Stories: 1}, 1, 0, 28); ok {
		t.Error("a desk whose digests never wait said one would")
	}
}
