package domain_test

import (
	"strings"
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

// A time zone is a place's: the server's own ("Local"), a zone whose
// local time is unknown ("Factory") and a name that is no zone are
// refused, naming the field; a legacy name for a place is not.
func TestLoadZoneTakesPlacesOnly(t *testing.T) {
	for _, name := range []string{"", "Local", "Factory", "Mars/Olympus_Mons"} {
		if _, err := domain.LoadZone(name); err == nil || !strings.HasPrefix(err.Error(), "timezone: ") {
			t.Errorf("LoadZone(%q): %v, want an error naming timezone", name, err)
		}
	}
	for _, name := range []string{"America/Costa_Rica", "UTC", "Jamaica", "Etc/GMT+5"} {
		if _, err := domain.LoadZone(name); err != nil {
			t.Errorf("LoadZone(%q): %v", name, err)
		}
	}
}
