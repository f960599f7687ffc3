package editions_test

import (
	"testing"
)

// TestThinDigestGoesOnTheDayTheWaitEnds: a short digest waits up to the
// desk's days of waiting, counted as the reader's calendar counts them.
// Four weeks whose Sunday the clocks went forward are an hour short of
// 28 × 24 hours, and a digest made a few minutes earlier in its quarter
// hour than the last one is minutes short: neither may hold the digest
// back a further period. Three weeks is still a wait.
func TestThinDigestGoesOnTheDayTheWaitEnds(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 3) // the default wait: 28 days
	s.reader("spring@example.org", "weekly", "Europe/Paris", 7, false, "CR")
	s.reader("minutes@example.org", "weekly", "UTC", 7, false, "CR")
	s.reader("three@example.org", "weekly", "UTC", 7, false, "CR")
	s.due("2026-12-04T10:00:00Z") // Friday: first due times, Monday 7 December
	s.exec(`UPDATE subscribers SET window_start = now() - CASE email
		WHEN 'spring@example.org' THEN interval '28 days' - interval '1 hour'
		WHEN 'minutes@example.org' THEN interval '28 days' - interval '4 minutes'
		ELSE interval '21 days' END`)
	all := []string{"Alpha", "Bravo"}
	s.story("Alpha", "CR")
	s.story("Bravo", "CR")
	s.exec(`UPDATE subscribers SET next_due_at = '2026-12-07T07:00:00Z'`)
	s.due("2026-12-07T07:05:00Z")
	for _, addr := range []string{"spring@example.org", "minutes@example.org"} {
		if got := s.got(addr, 0, all...); got != "Alpha,Bravo" {
			t.Errorf("%s, whose last digest was four weeks ago, got %q, want the two stories", addr, got)
		}
	}
	if n := len(s.smtp.To("three@example.org")); n != 0 {
		t.Errorf("the reader whose last digest was three weeks ago got %d messages; two stories wait", n)
	}
}
