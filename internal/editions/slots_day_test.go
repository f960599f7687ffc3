package editions_test

import (
	"strings"
	"testing"
	"time"

	"newsdigest/internal/dates"
)

// TestSlotDigestsAreDatedByTheReadersDay: one slot serves readers whose
// hour falls at the same instant in different zones; each one's digest
// is dated by their own day, not the desk's (UTC here). Kiritimati and
// Pago Pago are 25 hours apart: 08:00 in one is 07:00 the day before in
// the other, so the two are always a day apart, whenever the test runs.
func TestSlotDigestsAreDatedByTheReadersDay(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 0)
	s.reader("kiritimati@example.org", "daily", "Pacific/Kiritimati", 8, false, "CR")
	s.reader("pago@example.org", "daily", "Pacific/Pago_Pago", 7, false, "CR")
	s.due("2026-12-04T10:00:00Z") // their first due times
	s.story("Alpha", "CR")
	e := s.due("2026-12-04T18:05:00Z") // 08:00 on the 5th, and 07:00 on the 4th
	if got := strings.Join(s.readersOf(e.ID), ","); got != "kiritimati@example.org,pago@example.org" {
		t.Fatalf("the slot serves %q, want both readers", got)
	}
	day := func(zone string) string {
		z, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		return dates.Day("en", e.Time().In(z))
	}
	kiritimati, pago := day("Pacific/Kiritimati"), day("Pacific/Pago_Pago")
	for addr, want := range map[string]struct{ day, notDay string }{
		"kiritimati@example.org": {kiritimati, pago},
		"pago@example.org":       {pago, kiritimati},
	} {
		msgs := s.smtp.To(addr)
		if len(msgs) != 1 {
			t.Fatalf("%s got %d messages", addr, len(msgs))
		}
		// The date heads the digest; a story's own date (today's, in
		// UTC) may be either day, further down.
		raw := string(msgs[0].Raw)
		if at, other := strings.Index(raw, want.day), strings.Index(raw, want.notDay); at < 0 || other >= 0 && other < at {
			t.Errorf("%s's digest is not dated %s", addr, want.day)
		}
	}
}
