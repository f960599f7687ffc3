package editions_test

import (
	"slices"
	"testing"

	"newsdigest/internal/domain"
)

// move sets a reader's own schedule from their preference centre.
func (s *slots) move(email, frequency string, hour int) {
	s.t.Helper()
	var tok string
	if err := s.db.Pool().QueryRow(s.ctx, `SELECT token FROM subscribers WHERE email = $1`, email).Scan(&tok); err != nil {
		s.t.Fatal(err)
	}
	rs := domain.ReaderSchedule{Frequency: frequency, Timezone: "UTC", Hour: hour}
	if err := s.svc.SetReaderSchedule(s.ctx, tok, rs, true); err != nil {
		s.t.Fatal(err)
	}
}

// TestMovingTheHourNeitherSkipsNorRepeatsADigest: a reader who moves
// their hour gets the digest they were due at the new hour nearest it.
// Moved earlier on the morning of their weekly digest, past the new
// hour, it goes at the next due check, not a week later; moved later
// just after their daily digest, the next one is tomorrow at the new
// hour, not a second one today; moved twice before the worker looked,
// it is worked out from the first due time.
func TestMovingTheHourNeitherSkipsNorRepeatsADigest(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	s.reader("weekly@example.org", "weekly", "UTC", 7, false, "CR")
	s.reader("daily@example.org", "daily", "UTC", 7, false, "CR")
	s.reader("twice@example.org", "weekly", "UTC", 7, false, "CR")
	all := []string{"Alpha", "Bravo"}
	s.due("2026-12-04T10:00:00Z") // Friday: first due times
	if w, d := s.nextDue("weekly@example.org"), s.nextDue("daily@example.org"); w != "2026-12-07T07:00:00Z" || d != "2026-12-05T07:00:00Z" {
		t.Fatalf("first due: weekly %s, daily %s", w, d)
	}
	s.story("Alpha", "CR")
	s.due("2026-12-05T07:05:00Z") // Saturday's daily digest
	if got := s.got("daily@example.org", 0, all...); got != "Alpha" {
		t.Fatalf("Saturday's daily digest %q", got)
	}

	// Just after it, the daily reader moves to 09:00.
	s.move("daily@example.org", "daily", 9)
	s.due("2026-12-05T07:15:00Z")
	if got := s.nextDue("daily@example.org"); got != "2026-12-06T09:00:00Z" {
		t.Errorf("moved to 09:00 just after Saturday's digest: due %s, want Sunday 09:00", got)
	}
	s.due("2026-12-05T09:05:00Z")
	if n := len(s.smtp.To("daily@example.org")); n != 1 {
		t.Errorf("the daily reader got %d digests on Saturday, want 1", n)
	}

	// Monday 06:50, the weekly readers move to 06:00, one of them twice.
	s.move("weekly@example.org", "weekly", 6)
	s.move("twice@example.org", "weekly", 5)
	s.move("twice@example.org", "weekly", 6)
	s.story("Bravo", "CR")
	slot := s.due("2026-12-07T06:50:00Z")
	if got := s.readersOf(slot.ID); !slices.Contains(got, "weekly@example.org") || !slices.Contains(got, "twice@example.org") {
		t.Fatalf("Monday 06:50's slot serves %v; want the weekly readers who moved their hour before it", got)
	}
	if got := s.got("weekly@example.org", 0, all...); got != "Alpha,Bravo" {
		t.Errorf("the weekly digest after the move holds %q", got)
	}
	for _, who := range []string{"weekly@example.org", "twice@example.org"} {
		if got := s.nextDue(who); got != "2026-12-14T06:00:00Z" {
			t.Errorf("%s: next due %s, want the next Monday at 06:00", who, got)
		}
	}
}
