package editions_test

import (
	"testing"
)

// TestLateDigestIsNotFollowedAtOnceByTheNext: with the worker down
// across a reader's hour, the check that comes back sends the digest
// missed, with every story since the last, and the reader's next hour,
// minutes or hours later, brings no second one: the next is the one
// after it.
func TestLateDigestIsNotFollowedAtOnceByTheNext(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	s.reader("daily@example.org", "daily", "UTC", 9, true, "CR")
	s.reader("weekly@example.org", "weekly", "UTC", 7, true, "CR")
	all := []string{"Alpha", "Bravo", "Charlie"}
	s.due("2026-12-04T10:00:00Z") // Friday: daily due Saturday 09:00, weekly Monday 7 December 07:00
	s.story("Alpha", "CR")

	// Down from Friday until Monday 14 December, 06:55: one digest each.
	s.due("2026-12-14T06:55:00Z")
	if got := s.got("daily@example.org", 0, all...); got != "Alpha" {
		t.Fatalf("the daily reader's digest on the worker's return holds %q", got)
	}
	if got := s.got("weekly@example.org", 0, all...); got != "Alpha" {
		t.Fatalf("the weekly reader's digest on the worker's return holds %q", got)
	}
	if d, w := s.nextDue("daily@example.org"), s.nextDue("weekly@example.org"); d != "2026-12-15T09:00:00Z" || w != "2026-12-21T07:00:00Z" {
		t.Errorf("after the late digests: daily due %s, want 2026-12-15T09:00:00Z; weekly %s, want 2026-12-21T07:00:00Z", d, w)
	}
	s.story("Bravo", "CR")
	s.due("2026-12-14T07:05:00Z")
	s.due("2026-12-14T09:05:00Z")
	for _, addr := range []string{"daily@example.org", "weekly@example.org"} {
		if n := len(s.smtp.To(addr)); n != 1 {
			t.Errorf("%s got %d digests on the morning the worker came back, want 1", addr, n)
		}
	}

	// Then the reader's days as before.
	s.story("Charlie", "CR")
	s.due("2026-12-15T09:05:00Z")
	if got := s.got("daily@example.org", 1, all...); got != "Bravo,Charlie" {
		t.Errorf("the daily reader's next digest holds %q", got)
	}
}
