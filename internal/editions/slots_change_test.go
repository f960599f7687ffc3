package editions_test

import (
	"testing"

	"newsdigest/internal/domain"
)

// TestChangingScheduleLosesNothingAndRepeatsNothing: a reader of the
// desk's edition who takes their own schedule gets in their first slot
// only what the desk's edition did not give them; changing from daily to
// weekly and to another zone keeps their window where it was.
func TestChangingScheduleLosesNothingAndRepeatsNothing(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	s.subscriber("switch@example.org", "CR")
	all := []string{"Alpha", "Bravo", "Charlie", "Delta"}
	s.story("Alpha", "CR")
	s.run(domain.NewEdition{})
	if got := s.got("switch@example.org", 0, all...); got != "Alpha" {
		t.Fatalf("the desk's edition gave %q", got)
	}
	var tok string
	if err := s.db.Pool().QueryRow(s.ctx, `SELECT token FROM subscribers WHERE email = 'switch@example.org'`).Scan(&tok); err != nil {
		t.Fatal(err)
	}
	set := func(freq, zone string) {
		t.Helper()
		rs, own, err := s.svc.ResolveSchedule(s.ctx, editionsInput(freq, zone, 7))
		if err != nil || !own {
			t.Fatalf("resolve %s %s: %v %v", freq, zone, own, err)
		}
		if err := s.svc.SetReaderSchedule(s.ctx, tok, rs, own); err != nil {
			t.Fatal(err)
		}
	}
	set("daily", "UTC")
	s.story("Bravo", "CR")
	s.due("2026-12-04T10:00:00Z")
	s.due("2026-12-05T07:05:00Z")
	if got := s.got("switch@example.org", 1, all...); got != "Bravo" {
		t.Fatalf("the first slot after the desk's edition gave %q, want only the new story", got)
	}
	set("weekly", "Europe/Madrid")
	s.story("Charlie", "CR")
	s.due("2026-12-05T10:00:00Z") // works out the new due time: Monday 07:00 in Madrid
	if got := s.nextDue("switch@example.org"); got != "2026-12-07T06:00:00Z" {
		t.Fatalf("due %s after the change, want Monday 07:00 in Madrid", got)
	}
	s.story("Delta", "CR")
	s.due("2026-12-07T06:05:00Z")
	if got := s.got("switch@example.org", 2, all...); got != "Charlie,Delta" {
		t.Errorf("the first weekly digest gave %q", got)
	}
}
