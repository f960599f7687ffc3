package editions_test

import (
	"slices"
	"testing"
)

// TestChangingHowOftenBringsNoDigestTooSoon: a reader who changes how
// often they get their digest just after one went gets the first of the
// new schedule no sooner than half its period after it, as after any
// digest: from daily to weekly on the weekly day, not a second digest
// two hours after the daily one, but a week later; from weekly to daily,
// tomorrow; to every two weeks, the next Monday. One who changes days after their last digest gets the new
// schedule's first hour.
func TestChangingHowOftenBringsNoDigestTooSoon(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	s.reader("toweekly@example.org", "daily", "UTC", 7, true, "CR")
	s.reader("todaily@example.org", "weekly", "UTC", 7, true, "CR")
	s.reader("tobiweekly@example.org", "daily", "UTC", 7, true, "CR")
	s.reader("later@example.org", "weekly", "UTC", 7, true, "CR")
	s.due("2026-12-11T10:00:00Z") // Friday: first due times
	s.story("Alpha", "CR")
	if slot := s.due("2026-12-14T07:05:00Z"); len(s.readersOf(slot.ID)) != 4 {
		t.Fatalf("Monday's slot serves %v, want the four readers", s.readersOf(slot.ID))
	}
	// Where that digest left the windows, on the test's clock.
	s.exec(`UPDATE subscribers SET window_start = '2026-12-14T07:05:00Z'`)
	s.move("toweekly@example.org", "weekly", 9)
	s.move("todaily@example.org", "daily", 9)
	s.move("tobiweekly@example.org", "biweekly", 9)
	s.due("2026-12-14T08:00:00Z")
	for addr, want := range map[string]string{
		"toweekly@example.org": "2026-12-21T09:00:00Z",
		"todaily@example.org":  "2026-12-15T09:00:00Z",
		// The next of their days, whose fortnights begin there.
		"tobiweekly@example.org": "2026-12-21T09:00:00Z",
	} {
		if got := s.nextDue(addr); got != want {
			t.Errorf("%s, changed an hour after Monday's digest, is due %s, want %s", addr, got, want)
		}
	}
	if slot := s.due("2026-12-14T09:05:00Z"); slot.ID != 0 {
		t.Errorf("a slot at 09:00 on Monday serves %v, two hours after their digest", s.readersOf(slot.ID))
	}

	s.move("later@example.org", "daily", 9)
	s.due("2026-12-17T08:00:00Z") // Thursday
	if got := s.nextDue("later@example.org"); got != "2026-12-17T09:00:00Z" {
		t.Errorf("changed to daily on Thursday, due %s, want Thursday 09:00", got)
	}
	if slot := s.due("2026-12-17T09:05:00Z"); !slices.Equal(s.readersOf(slot.ID), []string{"later@example.org"}) {
		t.Errorf("Thursday's 09:00 slot serves %v", s.readersOf(slot.ID))
	}
}
