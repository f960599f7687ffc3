package editions_test

import (
	"slices"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/token"
)

// When a reader's first digest of their own goes, and after coming back
// or joining the desk's schedule, when none goes.

// TestReaderConfirmedJustBeforeTheirHourGetsItThen: the first digest
// goes at the first chosen hour after a reader confirmed, even when the
// due check that first sees them comes after that hour (minutes after,
// or a day, the worker down); a reader who confirmed after the hour, or
// long before it (their window began with the desk's editions), waits
// for the next.
func TestReaderConfirmedJustBeforeTheirHourGetsItThen(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	s.reader("minutes@example.org", "daily", "UTC", 8, false, "CR")
	s.reader("sunday@example.org", "weekly", "UTC", 8, false, "CR")
	s.reader("after@example.org", "daily", "UTC", 8, false, "CR")
	s.reader("long@example.org", "daily", "UTC", 8, false, "CR")
	s.exec(`UPDATE subscribers SET confirmed_at = CASE email
		WHEN 'minutes@example.org' THEN '2026-12-07T07:58:00Z'::timestamptz
		WHEN 'sunday@example.org' THEN '2026-12-06T15:00:00Z'
		WHEN 'after@example.org' THEN '2026-12-07T08:01:00Z'
		ELSE confirmed_at END`)
	s.story("Alpha", "CR")
	slot := s.due("2026-12-07T08:02:00Z") // a Monday, the desk's day
	if got := s.readersOf(slot.ID); !slices.Equal(got, []string{"minutes@example.org", "sunday@example.org"}) {
		t.Errorf("the slot of 08:00 serves %v, want the two who confirmed before 08:00", got)
	}
	for addr, want := range map[string]string{
		"minutes@example.org": "2026-12-08T08:00:00Z",
		"sunday@example.org":  "2026-12-14T08:00:00Z",
		"after@example.org":   "2026-12-08T08:00:00Z",
		"long@example.org":    "2026-12-08T08:00:00Z",
	} {
		if got := s.nextDue(addr); got != want {
			t.Errorf("%s is next due at %q, want %s", addr, got, want)
		}
	}
}

// TestReturningReaderStartsAfresh: a reader with their own schedule who
// unsubscribed months ago and signs up again, at another hour, gets
// their first digest at their new hour, with the stories of the week
// before it, not those of the months away.
func TestReturningReaderStartsAfresh(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	s.reader("back@example.org", "daily", "UTC", 7, false, "CR")
	s.story("Before", "CR")
	s.due("2026-12-08T12:00:00Z")
	if slot := s.due("2026-12-09T07:05:00Z"); slot.ID == 0 {
		t.Fatal("no slot was made for the reader's digest")
	}
	s.each("back@example.org", "Before")
	// As if that digest went 200 days ago, and they left just after.
	s.exec(`UPDATE subscribers SET window_start = window_start - interval '200 days', next_due_at = next_due_at - interval '200 days'
		WHERE email = 'back@example.org'`)
	if err := s.db.Unsubscribe(s.ctx, s.tokenOf("back@example.org"), domain.Consent{At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	s.story("Away", "CR")
	s.exec(`UPDATE items SET ingested_at = now() - interval '100 days', published_on = current_date - 100 WHERE title = 'Away'`)

	confirm := token.New()
	f := domain.Filter{Countries: []string{"CR"}, Language: "en", Mode: domain.ModeAny}
	sched := domain.SignupSchedule{Own: &domain.ReaderSchedule{Frequency: domain.FrequencyDaily, Timezone: "UTC", Hour: 9}}
	if _, mail, err := s.db.Subscribe(s.ctx, "back@example.org", f, sched, domain.Consent{At: time.Now()},
		domain.SignupTokens{Token: token.New(), Confirm: confirm}); err != nil || mail != domain.MailConfirmation {
		t.Fatalf("signing up again: mail %q, %v", mail, err)
	}
	if _, err := s.db.Confirm(s.ctx, confirm, "", domain.Consent{At: time.Now()}, token.New()); err != nil {
		t.Fatal(err)
	}
	s.exec(`UPDATE subscribers SET confirmed_at = '2026-12-09T20:00:00Z' WHERE email = 'back@example.org'`)
	s.story("Fresh", "CR")
	if slot := s.due("2026-12-10T05:00:00Z"); slot.ID != 0 {
		t.Errorf("a slot was made at 05:00 for %v; the reader chose 09:00", s.readersOf(slot.ID))
	}
	if slot := s.due("2026-12-10T09:05:00Z"); slot.ID == 0 {
		t.Fatal("no slot was made at the returning reader's new hour")
	}
	if n := s.timesGot("back@example.org", "Away"); n != 0 {
		t.Errorf("a story of the months away came in a returning reader's first digest")
	}
	s.each("back@example.org", "Before", "Fresh")
}

// TestJoiningTheDeskAfterItsEditionSendsNoMoreOfTheirOwn: a reader who
// moves to the desk's schedule with stories owed, when the desk's
// edition is made before their last digest of their own (the worker
// restarted, or they moved minutes before the desk's hour), gets that
// digest and then none on the schedule they left: the desk's next
// edition is their next.
func TestJoiningTheDeskAfterItsEditionSendsNoMoreOfTheirOwn(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	s.reader("daily@example.org", "daily", "UTC", 7, false, "CR")
	s.subscriber("desk@example.org", "CR")
	s.exec(`UPDATE subscribers SET window_start = now() - interval '1 day', next_due_at = now() + interval '1 day'
		WHERE email = 'daily@example.org'`)
	s.story("Alpha", "CR")
	s.run(domain0())
	s.story("Bravo", "CR")
	s.choose("daily@example.org", "weekly", "UTC", 7) // the desk's schedule: Alpha and Bravo are owed
	s.run(domain0())                                  // the desk's edition before their last of their own
	due := mustTime(t, s.nextDue("daily@example.org"))
	if slot := s.due(due.Add(time.Minute).Format(time.RFC3339)); slot.ID == 0 {
		t.Fatal("no slot was made for the stories owed")
	}
	s.each("daily@example.org", "Alpha", "Bravo")
	s.story("Charlie", "CR")
	for day := 1; day <= 3; day++ {
		if slot := s.due(due.AddDate(0, 0, day).Add(time.Minute).Format(time.RFC3339)); slot.ID != 0 {
			t.Errorf("day %d after their last digest of their own, a slot was made for %v", day, s.readersOf(slot.ID))
		}
	}
	if _, own, err := s.svc.ReaderSchedule(s.ctx, s.tokenOf("daily@example.org")); err != nil || own {
		t.Fatalf("the reader's own schedule is %v (%v), want the desk's", own, err)
	}
	s.run(domain0())
	s.each("daily@example.org", "Alpha", "Bravo", "Charlie")
	s.each("desk@example.org", "Alpha", "Bravo", "Charlie")
}
