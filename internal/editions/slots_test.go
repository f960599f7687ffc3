package editions_test

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestSlotsKeepReadersHoursAcrossDaylightSaving: a reader in Madrid and
// one in Mexico City, both daily at 07:00, get their digest at 07:00 on
// their own clocks: Madrid's moves from 06:00 to 05:00 UTC when Spain
// changes to summer time on 29 March 2026; Mexico City's, with no summer
// time since 2022, stays at 13:00 UTC.
func TestSlotsKeepReadersHoursAcrossDaylightSaving(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	s.reader("madrid@example.org", "daily", "Europe/Madrid", 7, false, "ES")
	s.reader("mexico@example.org", "daily", "America/Mexico_City", 7, false, "MX")
	s.story("Madrid metro extends", "ES")
	s.story("Mexico City water plan", "MX")

	// The first check works out when each is first due.
	if e := s.due("2026-03-27T14:00:00Z"); e.ID != 0 {
		t.Fatalf("a slot before anyone was due: %+v", e)
	}
	if got := s.nextDue("madrid@example.org"); got != "2026-03-28T06:00:00Z" {
		t.Errorf("Madrid first due %s", got)
	}
	if got := s.nextDue("mexico@example.org"); got != "2026-03-28T13:00:00Z" {
		t.Errorf("Mexico City first due %s", got)
	}
	if e := s.due("2026-03-28T05:55:00Z"); e.ID != 0 {
		t.Fatalf("a slot before Madrid's hour: %+v", e)
	}
	e := s.due("2026-03-28T06:05:00Z")
	if got := strings.Join(s.readersOf(e.ID), ","); got != "madrid@example.org" {
		t.Fatalf("06:05 UTC slot serves %q", got)
	}
	if e.Sent != 1 || s.got("madrid@example.org", 0, "Madrid metro extends") != "Madrid metro extends" {
		t.Fatalf("Madrid's digest: %+v", e)
	}
	if got := s.nextDue("madrid@example.org"); got != "2026-03-29T05:00:00Z" {
		t.Errorf("Madrid next due after the change %s, want 05:00 UTC (07:00 summer time)", got)
	}
	e = s.due("2026-03-28T13:10:00Z")
	if got := strings.Join(s.readersOf(e.ID), ","); got != "mexico@example.org" {
		t.Fatalf("13:10 UTC slot serves %q", got)
	}
	if got := s.nextDue("mexico@example.org"); got != "2026-03-29T13:00:00Z" {
		t.Errorf("Mexico City next due %s", got)
	}
	s.story("Madrid opens a library", "ES")
	e = s.due("2026-03-29T05:05:00Z")
	if got := strings.Join(s.readersOf(e.ID), ","); got != "madrid@example.org" {
		t.Fatalf("05:05 UTC slot on the day of the change serves %q", got)
	}
	if got := s.got("madrid@example.org", 1, "Madrid metro extends", "Madrid opens a library"); got != "Madrid opens a library" {
		t.Errorf("Madrid's second digest holds %q", got)
	}
}

// TestDailyAndWeeklyReadersOnTheSameStories: a daily reader never gets a
// story twice; a weekly one gets everything since their last digest; the
// desk's edition leaves both to their slots.
func TestDailyAndWeeklyReadersOnTheSameStories(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	s.reader("daily@example.org", "daily", "UTC", 7, false, "CR")
	s.reader("weekly@example.org", "weekly", "UTC", 7, false, "CR")
	s.subscriber("desk@example.org", "CR")
	all := []string{"Alpha", "Bravo", "Charlie"}
	s.due("2026-12-04T10:00:00Z") // Friday: first due times
	if d, w := s.nextDue("daily@example.org"), s.nextDue("weekly@example.org"); d != "2026-12-05T07:00:00Z" || w != "2026-12-07T07:00:00Z" {
		t.Fatalf("first due: daily %s, weekly %s (the desk's day is Monday)", d, w)
	}
	s.story("Alpha", "CR")
	s.due("2026-12-05T07:05:00Z")
	if got := s.got("daily@example.org", 0, all...); got != "Alpha" {
		t.Fatalf("Saturday's daily digest %q", got)
	}
	s.story("Bravo", "CR")
	s.due("2026-12-06T07:05:00Z")
	if got := s.got("daily@example.org", 1, all...); got != "Bravo" {
		t.Fatalf("Sunday's daily digest %q", got)
	}
	s.story("Charlie", "CR")
	e := s.due("2026-12-07T07:05:00Z")
	if got := strings.Join(s.readersOf(e.ID), ","); got != "daily@example.org,weekly@example.org" {
		t.Fatalf("Monday's slot serves %q", got)
	}
	if got := s.got("daily@example.org", 2, all...); got != "Charlie" {
		t.Errorf("Monday's daily digest %q", got)
	}
	if got := s.got("weekly@example.org", 0, all...); got != "Alpha,Bravo,Charlie" {
		t.Errorf("the weekly digest %q", got)
	}
	if n := len(s.smtp.To("weekly@example.org")); n != 1 {
		t.Errorf("weekly reader got %d messages", n)
	}
	desk := s.run(domain0())
	if desk.Total != 1 || s.got("desk@example.org", 0, all...) != "Alpha,Bravo,Charlie" {
		t.Errorf("the desk's edition: %+v", desk)
	}
}

// TestThinDigestsWaitUntilTheLimit: below the desk's minimum a reader's
// stories wait for their next slot, until the wait limit, when what there
// is goes out; a reader who asked for whatever there is gets it at once;
// a reader with nothing gets nothing.
func TestThinDigestsWaitUntilTheLimit(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 3)
	s.reader("patient@example.org", "daily", "UTC", 7, false, "CR")
	s.reader("eager@example.org", "daily", "UTC", 7, true, "CR")
	s.reader("nothing@example.org", "daily", "UTC", 7, true, "PA")
	all := []string{"Alpha", "Bravo"}
	s.due("2026-12-04T10:00:00Z")
	s.story("Alpha", "CR")
	e := s.due("2026-12-05T07:05:00Z")
	if e.Sent != 1 || e.Skipped != 2 {
		t.Fatalf("first slot %+v", e)
	}
	if s.got("eager@example.org", 0, all...) != "Alpha" || len(s.smtp.To("patient@example.org")) != 0 ||
		len(s.smtp.To("nothing@example.org")) != 0 {
		t.Fatalf("first slot's mail: eager %d, patient %d, nothing %d", len(s.smtp.To("eager@example.org")),
			len(s.smtp.To("patient@example.org")), len(s.smtp.To("nothing@example.org")))
	}
	s.story("Bravo", "CR")
	s.due("2026-12-06T07:05:00Z")
	if n := len(s.smtp.To("patient@example.org")); n != 0 {
		t.Fatalf("two stories, below the minimum of three, were sent")
	}
	if got := s.got("eager@example.org", 1, all...); got != "Bravo" {
		t.Errorf("eager's second digest %q", got)
	}
	// Four weeks pass for the patient reader's window.
	if _, err := s.db.Pool().Exec(s.ctx, `UPDATE subscribers SET window_start = now() - interval '29 days'
		WHERE email = 'patient@example.org'`); err != nil {
		t.Fatal(err)
	}
	e = s.due("2026-12-07T07:05:00Z")
	if got := s.got("patient@example.org", 0, all...); got != "Alpha,Bravo" {
		r, _ := s.svc.SkipReasons(s.ctx, e.ID)
		t.Errorf("after the wait limit the patient reader got %q (%+v, %+v)", got, e, r)
	}
}

// TestCancelledSlotsReadersGetTheirStoriesAtTheNext: a slot cancelled
// after its compile sends nothing, and its reader's next slot holds its
// stories with the new ones.
func TestCancelledSlotsReadersGetTheirStoriesAtTheNext(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	s.reader("reader@example.org", "daily", "UTC", 7, false, "CR")
	s.due("2026-12-04T10:00:00Z")
	s.story("Alpha", "CR")
	slot := s.compiled("2026-12-05T07:05:00Z")
	if _, err := s.svc.Cancel(s.ctx, "editor@example.org", slot.ID); err != nil {
		t.Fatal(err)
	}
	s.sendQueued(slot.ID)
	if n := len(s.smtp.To("reader@example.org")); n != 0 {
		t.Fatalf("a cancelled slot sent %d messages", n)
	}
	s.story("Bravo", "CR")
	s.due("2026-12-06T07:05:00Z")
	if got := s.got("reader@example.org", 0, "Alpha", "Bravo"); got != "Alpha,Bravo" {
		t.Errorf("the next slot holds %q", got)
	}
}

// TestTwoWorkersMakeOneSlot: two due checks at once make one slot, and
// each reader is in it once.
func TestTwoWorkersMakeOneSlot(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	for _, r := range []string{"a@example.org", "b@example.org", "c@example.org"} {
		s.reader(r, "daily", "Europe/Madrid", 8, false, "ES")
	}
	s.due("2026-12-04T10:00:00Z")
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.svc.RunDue(s.ctx, mustTime(t, "2026-12-05T07:01:00Z")); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	var slots, readers int
	if err := s.db.Pool().QueryRow(s.ctx, `SELECT count(DISTINCT edition_id), count(*) FROM slot_readers`).Scan(&slots, &readers); err != nil {
		t.Fatal(err)
	}
	if slots != 1 || readers != 3 {
		t.Errorf("%d slots holding %d readers, want 1 holding 3", slots, readers)
	}
}

// TestReaderConfirmedAfterTheirDueTimeWaitsForTheirNextHour: a reader
// whose due time came while they had not yet confirmed gets their first
// digest at the first chosen hour after they confirmed; one who confirmed
// before it goes in the slot.
func TestReaderConfirmedAfterTheirDueTimeWaitsForTheirNextHour(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	s.reader("late@example.org", "daily", "UTC", 7, false, "CR")
	s.reader("early@example.org", "daily", "UTC", 7, false, "CR")
	if _, err := s.db.Pool().Exec(s.ctx, `UPDATE subscribers SET next_due_at = '2026-12-05T07:00:00Z',
		confirmed_at = CASE email WHEN 'late@example.org' THEN '2026-12-05T07:02:00Z'::timestamptz ELSE '2026-12-05T06:00:00Z' END`); err != nil {
		t.Fatal(err)
	}
	s.story("Alpha", "CR")
	slot := s.due("2026-12-05T07:05:00Z")
	if got := s.readersOf(slot.ID); !slices.Equal(got, []string{"early@example.org"}) {
		t.Errorf("the slot serves %v, want early@example.org alone", got)
	}
	if got := s.nextDue("late@example.org"); got != "2026-12-06T07:00:00Z" {
		t.Errorf("the reader who confirmed late is due at %q, want 2026-12-06T07:00:00Z", got)
	}
	if got := s.nextDue("early@example.org"); got != "2026-12-06T07:00:00Z" {
		t.Errorf("the reader in the slot is next due at %q, want 2026-12-06T07:00:00Z", got)
	}
}
