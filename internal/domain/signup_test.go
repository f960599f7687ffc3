package domain_test

import (
	"testing"

	"newsdigest/internal/domain"
)

// A confirmation page's signature changes with every part of the
// schedule it shows, and stays the filter's with the desk's schedule.
func TestChoicesSignatureCoversSchedule(t *testing.T) {
	f := domain.Filter{Countries: []string{"CR"}, Language: "en", Mode: domain.ModeAny}
	desk := domain.PendingSignup{Subscriber: domain.Subscriber{Filter: f}}
	if got := desk.ChoicesSignature(); got != f.Signature() {
		t.Errorf("desk's schedule: %s, want the filter's signature %s", got, f.Signature())
	}
	base := domain.ReaderSchedule{Frequency: domain.FrequencyWeekly, Timezone: "America/Costa_Rica", Hour: 8}
	seen := map[string]string{desk.ChoicesSignature(): "desk's"}
	for name, change := range map[string]func(*domain.ReaderSchedule){
		"weekly":    func(*domain.ReaderSchedule) {},
		"frequency": func(s *domain.ReaderSchedule) { s.Frequency = domain.FrequencyDaily },
		"timezone":  func(s *domain.ReaderSchedule) { s.Timezone = "Asia/Tokyo" },
		"hour":      func(s *domain.ReaderSchedule) { s.Hour = 3 },
		"send_thin": func(s *domain.ReaderSchedule) { s.SendThin = true },
	} {
		rs := base
		change(&rs)
		sig := domain.PendingSignup{Subscriber: domain.Subscriber{Filter: f}, Schedule: &rs}.ChoicesSignature()
		if other, dup := seen[sig]; dup {
			t.Errorf("%s: the same signature as %s", name, other)
		}
		seen[sig] = name
	}
}
