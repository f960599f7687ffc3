package editions_test

import (
	"testing"
	"time"

	"newsdigest/internal/domain"
)

// pick has an editor pick the story titled title (or leave it out).
func (s *slots) pick(title string, picked bool) {
	s.t.Helper()
	check := func(*domain.Item) error { return nil }
	if _, err := s.db.UpdateItem(s.ctx, "editor@example.org", s.itemID(title), domain.ItemUpdate{Picked: &picked}, check); err != nil {
		s.t.Fatal(err)
	}
}

// pickOwed checks whether readers on their own schedule are still to get
// the story titled title.
func (s *slots) pickOwed(title string, want bool) {
	s.t.Helper()
	owed, err := s.db.PickOwed(s.ctx, s.itemID(title))
	if err != nil {
		s.t.Fatal(err)
	}
	if owed != want {
		s.t.Errorf("%s owed to readers of their own schedule: %v, want %v", title, owed, want)
	}
}

// TestPickReachesReadersOfTheirOwnSchedule: a story older than any
// window, which an editor picks, goes out in the desk's next edition and
// in the next digest of each reader on a schedule of their own, even
// after the desk's edition has spent the pick (the story's page says it
// is still owed to them); once only. A story picked and then left out
// again, before the desk's edition or after it, is not in their digest.
func TestPickReachesReadersOfTheirOwnSchedule(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	const week = 7 * 24 * time.Hour
	s.reader("own@example.org", "daily", "Europe/Madrid", 7, false, "CR")
	s.subscriber("desk@example.org", "CR")
	s.story("Costa Rica: this week", "CR")
	s.item(*day("2019-05-02"), "Costa Rica: a find of 2019", "CR")
	s.item(*day("2019-05-03"), "Costa Rica: a second look at 2019", "CR")
	s.item(*day("2019-05-04"), "Costa Rica: a third look at 2019", "CR")
	all := []string{"Costa Rica: this week", "Costa Rica: a find of 2019", "Costa Rica: a second look at 2019",
		"Costa Rica: a third look at 2019", "Costa Rica: the day after"}

	s.due("2026-03-27T14:00:00Z") // works out when own@ is first due
	s.due("2026-03-28T06:05:00Z")
	if got := s.got("own@example.org", 0, all...); got != "Costa Rica: this week" {
		t.Fatalf("own@'s first digest holds %q, want only this week's story (the old ones are not picked)", got)
	}

	s.pick("Costa Rica: a find of 2019", true)
	s.pick("Costa Rica: a second look at 2019", true)
	s.pick("Costa Rica: a second look at 2019", false)
	s.pick("Costa Rica: a third look at 2019", true)
	s.run(domain.NewEdition{MaxAge: week})
	if got := s.got("desk@example.org", 0, all...); got != "Costa Rica: a find of 2019,Costa Rica: a third look at 2019,Costa Rica: this week" {
		t.Fatalf("the desk's edition holds %q", got)
	}
	if it, _ := s.db.Item(s.ctx, s.itemID("Costa Rica: a find of 2019")); it.Picked {
		t.Fatal("the desk's edition did not spend the pick")
	}
	s.pick("Costa Rica: a third look at 2019", false)
	s.pickOwed("Costa Rica: a find of 2019", true)
	s.pickOwed("Costa Rica: a third look at 2019", false)
	s.pickOwed("Costa Rica: a second look at 2019", false)

	s.story("Costa Rica: the day after", "CR")
	s.due("2026-03-29T05:05:00Z")
	if got := s.got("own@example.org", 1, all...); got != "Costa Rica: a find of 2019,Costa Rica: the day after" {
		t.Errorf("own@'s digest after the pick holds %q, want the picked story and the new one", got)
	}
	s.pickOwed("Costa Rica: a find of 2019", false)
	s.story("Costa Rica: two days after", "CR")
	s.due("2026-03-30T05:05:00Z")
	if got := s.got("own@example.org", 2, append(all, "Costa Rica: two days after")...); got != "Costa Rica: two days after" {
		t.Errorf("own@'s next digest holds %q, want the new story alone", got)
	}
}
