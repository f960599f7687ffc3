package editions_test

import (
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"newsdigest/internal/schedule"
)

// Moves between the desk's schedule and a reader's own, and a slot
// cancelled late: no story a reader was owed is lost, none comes twice.

func (s *slots) exec(sql string, args ...any) {
	s.t.Helper()
	if _, err := s.db.Pool().Exec(s.ctx, sql, args...); err != nil {
		s.t.Fatal(err)
	}
}

func (s *slots) tokenOf(email string) string {
	s.t.Helper()
	var tok string
	if err := s.db.Pool().QueryRow(s.ctx, `SELECT token FROM subscribers WHERE email = $1`, email).Scan(&tok); err != nil {
		s.t.Fatal(err)
	}
	return tok
}

// choose sets the schedule of the reader of email as the preference
// centre does.
func (s *slots) choose(email, freq, zone string, hour int) {
	s.t.Helper()
	rs, own, err := s.svc.ResolveSchedule(s.ctx, editionsInput(freq, zone, hour))
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.svc.SetReaderSchedule(s.ctx, s.tokenOf(email), rs, own); err != nil {
		s.t.Fatal(err)
	}
}

// each checks that addr had each of titles exactly once.
func (s *slots) each(addr string, titles ...string) {
	s.t.Helper()
	for _, title := range titles {
		if n := s.timesGot(addr, title); n != 1 {
			s.t.Errorf("%s had %q %d times, want once", addr, title, n)
		}
	}
}

// TestLeavingTheDeskStartsWhereItsEditionEnded: a reader of the desk's
// edition who takes their own schedule later in the day (07:00 in Costa
// Rica, six hours after the desk's 07:00 UTC) gets in their first digest
// every story since the desk's last edition, however long ago it was,
// not only those of the last seven days.
func TestLeavingTheDeskStartsWhereItsEditionEnded(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	s.subscriber("cr@example.org", "CR")
	s.story("Alpha", "CR")
	d1 := s.run(domain0())
	// As if the desk's edition went a week and six hours before the
	// reader's first slot, and Bravo came three hours after it.
	s.exec(`UPDATE editions SET ingested_until = ingested_until - interval '7 days 6 hours',
		ingested_after = ingested_after - interval '7 days 6 hours' WHERE id = $1`, d1.ID)
	s.exec(`UPDATE items SET ingested_at = ingested_at - interval '7 days 6 hours' WHERE title = 'Alpha'`)
	s.story("Bravo", "CR")
	s.exec(`UPDATE items SET ingested_at = now() - interval '7 days 3 hours' WHERE title = 'Bravo'`)
	s.choose("cr@example.org", "weekly", "America/Costa_Rica", 7)
	s.due("2026-12-08T12:00:00Z") // works out the first due time: Monday 07:00 in Costa Rica
	s.story("Charlie", "CR")
	if slot := s.due("2026-12-14T13:05:00Z"); slot.ID == 0 {
		t.Fatal("no slot was made for the reader's first digest of their own")
	}
	s.each("cr@example.org", "Alpha", "Bravo", "Charlie")
}

// TestJoiningTheDeskSendsWhatIsOwedFirst: a reader with their own
// schedule whose last digest came before the desk's last edition moves
// to the desk's schedule. The stories between the two are in no desk
// edition to come: they get them in one last digest of their own, a
// quarter before the desk's next edition, however few they are, and are
// in the desk's editions from that one on.
func TestJoiningTheDeskSendsWhatIsOwedFirst(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 3) // one story is too few for a digest of one's own
	s.reader("bi@example.org", "biweekly", "UTC", 7, false, "CR")
	s.subscriber("desk@example.org", "CR")
	s.exec(`UPDATE subscribers SET window_start = now() - interval '1 day', next_due_at = now() + interval '7 days'
		WHERE email = 'bi@example.org'`)
	s.story("Alpha", "CR")
	s.run(domain0()) // the desk's edition, without the reader of their own schedule

	before := time.Now()
	s.choose("bi@example.org", "weekly", "UTC", 7) // the desk's schedule
	if _, own, err := s.svc.ReaderSchedule(s.ctx, s.tokenOf("bi@example.org")); err != nil || own {
		t.Fatalf("after choosing the desk's schedule the reader's own is %v (%v)", own, err)
	}
	desk, err := cron.ParseStandard("0 7 * * 1")
	if err != nil {
		t.Fatal(err)
	}
	deskNext := schedule.Next(desk, time.UTC, before)
	due, err := time.Parse(time.RFC3339, s.nextDue("bi@example.org"))
	if err != nil {
		t.Fatalf("no digest due for the stories owed: %v", err)
	}
	want := deskNext.Add(-schedule.Quarter)
	if late := want.Before(before); !due.Equal(want) && (!late || due.Before(before.Add(-time.Second)) || due.After(deskNext)) {
		t.Fatalf("the last digest of their own is due %s, want a quarter before the desk's next edition (%s)", due, deskNext)
	}
	if slot := s.due(due.Add(time.Minute).Format(time.RFC3339)); slot.ID == 0 {
		t.Fatal("no slot was made for the stories owed")
	}
	s.each("bi@example.org", "Alpha")

	s.story("Bravo", "CR")
	s.run(domain0())
	s.each("bi@example.org", "Alpha", "Bravo")
	s.each("desk@example.org", "Alpha", "Bravo")
	var freq *string
	var joining bool
	if err := s.db.Pool().QueryRow(s.ctx, `SELECT frequency, joins_desk FROM subscribers WHERE email = 'bi@example.org'`).
		Scan(&freq, &joining); err != nil {
		t.Fatal(err)
	}
	if freq != nil || joining {
		t.Errorf("after the desk's edition the reader has frequency %v, joining %v: want the desk's schedule", freq, joining)
	}
	if n := len(s.smtp.To("bi@example.org")); n != 2 {
		t.Errorf("the reader had %d messages, want 2 (what was owed, then the desk's edition)", n)
	}
}

// TestJoiningTheDeskWithNothingOwedIsAtOnce: a reader whose last digest
// of their own came after the desk's last edition is in the desk's next
// one, which spares them what their digest gave them.
func TestJoiningTheDeskWithNothingOwedIsAtOnce(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	s.reader("daily@example.org", "daily", "UTC", 7, false, "CR")
	s.subscriber("desk@example.org", "CR")
	s.story("Alpha", "CR")
	s.run(domain0())
	s.story("Bravo", "CR")
	s.due("2026-12-04T10:00:00Z")
	s.due("2026-12-05T07:05:00Z")
	s.each("daily@example.org", "Alpha", "Bravo")
	s.choose("daily@example.org", "weekly", "UTC", 7)
	if got := s.nextDue("daily@example.org"); got != "" {
		t.Fatalf("nothing was owed, yet a digest of their own is due %s", got)
	}
	s.story("Charlie", "CR")
	s.run(domain0())
	s.each("daily@example.org", "Alpha", "Bravo", "Charlie")
}

// TestSlotCancelledAfterTheNextHandsItsStoriesBack: a daily reader's
// slot paused itself on bounces; the next day's went; an editor then
// cancels the paused one. Its stories go in the reader's next digest.
func TestSlotCancelledAfterTheNextHandsItsStoriesBack(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	s.reader("reader@example.org", "daily", "UTC", 7, false, "CR")
	s.due("2026-12-04T10:00:00Z")
	s.story("Alpha", "CR")
	paused := s.compiled("2026-12-05T07:05:00Z")
	s.exec(`UPDATE editions SET status = 'paused' WHERE id = $1`, paused.ID) // as a pause on bounces leaves it
	s.story("Bravo", "CR")
	s.due("2026-12-06T07:05:00Z")
	if _, err := s.svc.Cancel(s.ctx, "editor@example.org", paused.ID); err != nil {
		t.Fatal(err)
	}
	s.story("Charlie", "CR")
	s.due("2026-12-07T07:05:00Z")
	s.each("reader@example.org", "Alpha", "Bravo", "Charlie")
}

// TestJoiningTheDeskWaitsForAnUnfinishedSlot: a reader whose window has
// caught up chooses the desk's schedule while a slot of theirs is still
// going; an editor then cancels it. What it held comes in their next
// digest, as it would had they kept their own schedule.
func TestJoiningTheDeskWaitsForAnUnfinishedSlot(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	s.reader("r@example.org", "daily", "UTC", 7, false, "CR")
	s.subscriber("desk@example.org", "CR")
	s.due("2026-12-04T10:00:00Z")
	s.story("Alpha", "CR")
	s.run(domain0()) // the desk's edition, without the reader of their own schedule
	slot := s.compiled("2026-12-05T07:05:00Z")
	s.choose("r@example.org", "weekly", "UTC", 7) // the desk's, the slot not sent yet
	if _, err := s.svc.Cancel(s.ctx, "editor@example.org", slot.ID); err != nil {
		t.Fatal(err)
	}
	s.story("Bravo", "CR")
	due, err := time.Parse(time.RFC3339, s.nextDue("r@example.org"))
	if err != nil {
		t.Fatalf("no digest of their own due for what the cancelled slot held: %v", err)
	}
	s.due(due.Add(time.Minute).Format(time.RFC3339))
	s.story("Charlie", "CR")
	s.run(domain0())
	s.each("r@example.org", "Alpha", "Bravo", "Charlie")
}

// TestLeavingTheDeskWhileItsEditionGoes: a reader leaves the desk's
// schedule while its edition is on its way, not yet to them; the editor
// then cancels the edition. Its stories come in their first digest of
// their own (the desk carries them only to its readers).
func TestLeavingTheDeskWhileItsEditionGoes(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	s.subscriber("r@example.org", "CR")
	s.story("Alpha", "CR")
	e := s.compile(domain0()) // compiled, nothing sent yet
	s.choose("r@example.org", "daily", "UTC", 7)
	if _, err := s.svc.Cancel(s.ctx, "editor@example.org", e.ID); err != nil {
		t.Fatal(err)
	}
	s.story("Bravo", "CR")
	s.due("2026-12-08T12:00:00Z")
	if slot := s.due("2026-12-09T07:05:00Z"); slot.ID == 0 {
		t.Fatal("no slot was made for the reader's first digest of their own")
	}
	s.each("r@example.org", "Alpha", "Bravo")
}

// TestLeavingTheDeskMonthsLaterStartsRecently: a reader whose last desk
// edition was months ago (they left, and came back) takes their own
// schedule: their first digest starts where the desk's latest edition
// began, not at that old cut-off.
func TestLeavingTheDeskMonthsLaterStartsRecently(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	s.subscriber("r@example.org", "CR")
	s.subscriber("desk@example.org", "CR")
	s.story("Old", "CR")
	d := s.run(domain0())
	s.exec(`UPDATE editions SET ingested_until = ingested_until - interval '300 days',
		ingested_after = ingested_after - interval '300 days' WHERE id = $1`, d.ID)
	s.exec(`UPDATE items SET ingested_at = ingested_at - interval '300 days', published_on = published_on - 300 WHERE title = 'Old'`)
	s.exec(`UPDATE subscribers SET status = 'unsubscribed' WHERE email = 'r@example.org'`)
	s.story("Middle", "CR")
	s.exec(`UPDATE items SET ingested_at = now() - interval '200 days', published_on = current_date - 200 WHERE title = 'Middle'`)
	s.run(domain0()) // the desk's editions go on without them
	s.story("Recent", "CR")
	s.run(domain0())
	s.exec(`UPDATE subscribers SET status = 'active', confirmed_at = now() WHERE email = 'r@example.org'`)
	s.choose("r@example.org", "daily", "UTC", 7)
	s.story("Fresh", "CR")
	s.due("2026-12-08T12:00:00Z")
	if slot := s.due("2026-12-09T07:05:00Z"); slot.ID == 0 {
		t.Fatal("no slot was made for the reader's first digest of their own")
	}
	if n := s.timesGot("r@example.org", "Middle"); n != 0 {
		t.Errorf("a story of 200 days ago came in a returning reader's first digest of their own")
	}
	s.each("r@example.org", "Recent", "Fresh")
}
