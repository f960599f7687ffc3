package subscribers

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/domain"
)

// TestWithout: dropping takes exactly that country or topic; the last
// choice, and a narrow digest's last country or topic, are refused; a
// reader of all stories has nothing to drop.
func TestWithout(t *testing.T) {
	f := domain.Filter{Countries: []string{"GT", "HN"}, Topics: []string{"health"}, Language: "es", Mode: domain.ModeAny}
	got, err := Without(f, DropCountry, "HN")
	want := domain.Filter{Countries: []string{"GT"}, Topics: []string{"health"}, Language: "es", Mode: domain.ModeAny}
	if err != nil || !cmp.Equal(want, got) {
		t.Errorf("drop HN: %v %+v", err, got)
	}
	if len(f.Countries) != 2 {
		t.Error("Without changed its argument")
	}
	if got, err := Without(f, DropTopic, "health"); err != nil || len(got.Topics) != 0 || len(got.Countries) != 2 {
		t.Errorf("drop health: %v %+v", err, got)
	}
	if got, err := Without(f, DropTopic, "climate"); err != nil || !cmp.Equal(f, got) {
		t.Errorf("a choice not held: %v %+v", err, got)
	}
	last := domain.Filter{Countries: []string{"HN"}, Mode: domain.ModeAny}
	if _, err := Without(last, DropCountry, "HN"); !errors.Is(err, ErrLastChoice) {
		t.Errorf("the last choice: %v", err)
	}
	narrow := domain.Filter{Countries: []string{"HN"}, Topics: []string{"health", "climate"}, Mode: domain.ModeNarrow}
	if _, err := Without(narrow, DropCountry, "HN"); !errors.Is(err, ErrLastChoice) {
		t.Errorf("a narrow digest's last country: %v", err)
	}
	if _, err := Without(domain.Filter{All: true}, DropCountry, "HN"); !errors.Is(err, ErrAllStories) {
		t.Errorf("all stories: %v", err)
	}
	if _, err := Without(f, "region", "CAM"); err == nil {
		t.Error("an unknown kind is accepted")
	}
}
