package editions_test

import (
	"testing"

	"newsdigest/internal/editions"
)

// TestDesksScheduleWithSendAnywayIsTheDesks: a reader who chooses the
// desk's frequency, zone and hour and asks for short digests to go
// anyway follows the desk's schedule, whose digests never wait, like one
// who chose nothing: not a schedule of their own that its editions leave
// out. With another hour, the same choice is a schedule of their own.
func TestDesksScheduleWithSendAnywayIsTheDesks(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 3)
	yes := true
	for _, tc := range []struct {
		name string
		in   editions.ScheduleInput
		own  bool
	}{
		{"only send anyway", editions.ScheduleInput{SendThin: &yes}, false},
		{"the desk's, and send anyway", withThin(editionsInput("weekly", "UTC", 7), true), false},
		{"the desk's", withThin(editionsInput("weekly", "UTC", 7), false), false},
		{"another hour, and send anyway", withThin(editionsInput("weekly", "UTC", 9), true), true},
	} {
		rs, own, err := s.svc.ResolveSchedule(s.ctx, tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if own != tc.own {
			t.Errorf("%s: %+v is a schedule of their own: %v, want %v", tc.name, rs, own, tc.own)
		}
	}
}

func withThin(in editions.ScheduleInput, thin bool) editions.ScheduleInput {
	in.SendThin = &thin
	return in
}
