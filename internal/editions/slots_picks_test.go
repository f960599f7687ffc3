package editions_test

import (
	"testing"
	"time"

	"newsdigest/internal/domain"
)

// update has an editor change the story titled title.
func (s *slots) update(title string, u domain.ItemUpdate) {
	s.t.Helper()
	check := func(*domain.Item) error { return nil }
	if _, err := s.db.UpdateItem(s.ctx, "editor@example.org", s.itemID(title), u, check); err != nil {
		s.t.Fatal(err)
	}
}

// pick has an editor pick the story titled title (or leave it out).
func (s *slots) pick(title string, picked bool) {
	s.t.Helper()
	s.update(title, domain.ItemUpdate{Picked: &picked})
}

// newPickSlots is a desk with one reader on a daily schedule of their
// own (own@, Costa Rica, 07:00 in Madrid), first due on 28 March 2026,
// and a story of 2019, older than any window.
func newPickSlots(t *testing.T) *slots {
	t.Helper()
	s := newSlots(t, 0)
	s.reader("own@example.org", "daily", "Europe/Madrid", 7, false, "CR")
	s.item(*day("2019-05-02"), "Costa Rica: a find of 2019", "CR")
	s.due("2026-03-27T14:00:00Z") // works out when own@ is first due
	return s
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
// is still on its way to them); once only, picked again or not. A story
// picked and then left out again, before the desk's edition or after
// it, is not in their digest.
func TestPickReachesReadersOfTheirOwnSchedule(t *testing.T) {
	t.Parallel()
	s := newPickSlots(t)
	const week = 7 * 24 * time.Hour
	s.subscriber("desk@example.org", "CR")
	s.story("Costa Rica: this week", "CR")
	s.item(*day("2019-05-03"), "Costa Rica: a second look at 2019", "CR")
	s.item(*day("2019-05-04"), "Costa Rica: a third look at 2019", "CR")
	all := []string{"Costa Rica: this week", "Costa Rica: a find of 2019", "Costa Rica: a second look at 2019",
		"Costa Rica: a third look at 2019", "Costa Rica: the day after"}

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
	// Picked again, it is on its way again; a reader who had it is
	// spared it.
	s.pick("Costa Rica: a find of 2019", true)
	s.pickOwed("Costa Rica: a find of 2019", true)
	s.story("Costa Rica: two days after", "CR")
	s.due("2026-03-30T05:05:00Z")
	if got := s.got("own@example.org", 2, append(all, "Costa Rica: two days after")...); got != "Costa Rica: two days after" {
		t.Errorf("own@'s next digest holds %q, want the new story alone", got)
	}
}

// A pick that waits while its story is hidden (as the desk's edition
// waits for it) reaches readers on their own schedule once the story is
// shown again, though their digests went meanwhile.
func TestPickWaitsWhileItsStoryIsHidden(t *testing.T) {
	t.Parallel()
	s := newPickSlots(t)
	all := []string{"Costa Rica: a find of 2019", "Costa Rica: the day after", "Costa Rica: two days after"}
	s.pick("Costa Rica: a find of 2019", true)
	hide := func(hidden bool) { s.update("Costa Rica: a find of 2019", domain.ItemUpdate{Hidden: &hidden}) }
	hide(true)
	s.story("Costa Rica: the day after", "CR")
	s.due("2026-03-28T06:05:00Z")
	if got := s.got("own@example.org", 0, all...); got != "Costa Rica: the day after" {
		t.Fatalf("own@'s digest while the pick is hidden holds %q", got)
	}
	hide(false)
	s.pickOwed("Costa Rica: a find of 2019", true)
	s.story("Costa Rica: two days after", "CR")
	s.due("2026-03-29T05:05:00Z")
	if got := s.got("own@example.org", 1, all...); got != "Costa Rica: a find of 2019,Costa Rica: two days after" {
		t.Errorf("own@'s digest once the story is shown again holds %q, want the pick too", got)
	}
}

// A pick saved while a slot is being made is either in that slot or
// after its cut-off, never before it unseen: the pick takes the ingest
// lock as an import does. Here the story's row is held (an import
// refreshing it) while the pick waits, and the slot's due check comes
// meanwhile: the slot waits for the pick, and holds it.
func TestPickMadeWhileASlotIsMadeIsNotLost(t *testing.T) {
	t.Parallel()
	s := newPickSlots(t)
	s.story("Costa Rica: the day after", "CR")
	all := []string{"Costa Rica: a find of 2019", "Costa Rica: the day after"}

	id := s.itemID("Costa Rica: a find of 2019")
	held, err := s.db.Pool().Begin(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Rollback(s.ctx)
	if _, err := held.Exec(s.ctx, `SELECT id FROM items WHERE id = $1 FOR UPDATE`, id); err != nil {
		t.Fatal(err)
	}
	picked, dueDone := make(chan error, 1), make(chan error, 1)
	go func() {
		pick := true
		_, err := s.db.UpdateItem(s.ctx, "editor@example.org", id, domain.ItemUpdate{Picked: &pick}, func(*domain.Item) error { return nil })
		picked <- err
	}()
	s.waitForLockWaits(1, picked)
	go func() { dueDone <- s.svc.RunDue(s.ctx, mustTime(t, "2026-03-28T06:05:00Z")) }()
	s.waitForLockWaits(2, dueDone)
	if err := held.Rollback(s.ctx); err != nil {
		t.Fatal(err)
	}
	for _, done := range []chan error{picked, dueDone} {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	s.compileAndSend(s.latestSlot().ID)
	if got := s.got("own@example.org", 0, all...); got != "Costa Rica: a find of 2019,Costa Rica: the day after" {
		t.Errorf("own@'s digest made while the pick waited holds %q, want the pick too", got)
	}
}

// A pick is on its way only to readers whose choices the story matches,
// by digest.Match's rule: a chosen country among its countries or its
// regions' members, or a chosen topic; both in the narrow mode; any
// story for a reader of all.
func TestPickOwedOnlyToReadersItMatches(t *testing.T) {
	t.Parallel()
	s := newPickSlots(t) // own@ chose Costa Rica
	s.item(*day("2019-05-03"), "Guatemala: a find of 2019", "GT")
	s.item(*day("2019-05-04"), "Central America: a find of 2019")
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := s.db.Pool().Exec(s.ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE items SET regions = '{central-america}' WHERE id = $1`, s.itemID("Central America: a find of 2019"))
	exec(`UPDATE items SET topics = '{health}' WHERE id = $1`, s.itemID("Guatemala: a find of 2019"))
	s.pick("Guatemala: a find of 2019", true)
	s.pick("Central America: a find of 2019", true)

	s.pickOwed("Guatemala: a find of 2019", false)
	s.pickOwed("Central America: a find of 2019", true) // Costa Rica is a member
	exec(`UPDATE subscribers SET topics = '{health}' WHERE email = 'own@example.org'`)
	s.pickOwed("Guatemala: a find of 2019", true)
	exec(`UPDATE subscribers SET mode = 'narrow' WHERE email = 'own@example.org'`)
	s.pickOwed("Guatemala: a find of 2019", false)
	s.pickOwed("Central America: a find of 2019", false) // no topic
	exec(`UPDATE subscribers SET countries = '{}', topics = '{}', all_stories = true WHERE email = 'own@example.org'`)
	s.pickOwed("Guatemala: a find of 2019", true)
	s.pickOwed("Central America: a find of 2019", true)
}
