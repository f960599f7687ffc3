package tagging

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// A desk that keeps health only when the title says so: the change is
// explained by the corrected stories whose title did not name it, and a
// story whose title does keeps health.
func TestHabitOfTheTitle(t *testing.T) {
	tg := newTestTagger(t)
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	var desk []Example
	for i, place := range placesOf {
		desk = append(desk,
			Example{Lang: "en", Title: fmt.Sprintf("Returnees receive kits in %s", place),
				Summary: fmt.Sprintf("A health check was offered to %d families.", i+2), Topics: []string{"return-reintegration"}, Desk: true, At: now},
			Example{Lang: "en", Title: fmt.Sprintf("Health fair for returnees in %s", place),
				Summary: "Returnees were vaccinated.", Topics: []string{"health", "return-reintegration"}, Desk: true, At: now})
	}
	tg.SetModel(tg.Train(append(modelExamples(), desk...), now))

	got := tg.Tag("Returnees receive kits in Comayagua", "A health check was offered to 40 families.", "en")
	want := DeskReason{Count: 6, Of: 6, Untitled: true}.String()
	if why, ok := got.Declined["health"]; !ok || why != want {
		t.Errorf("health in the summary only: topics %v, declined %q; want it taken away with %q", got.Topics, why, want)
	}
	if got := tg.Tag("Health fair for returnees in Comayagua", "Returnees were vaccinated.", "en"); !slices.Contains(got.Topics, "health") {
		t.Errorf("health in the title: topics %v; want health kept", got.Topics)
	}
}

// A reason the corrections explain reads back as written, and nothing
// else reads as one.
func TestDeskReasonText(t *testing.T) {
	for _, r := range []DeskReason{
		{Added: true, Count: 7, Of: 9, With: "children-youth"},
		{Count: 12, Of: 12},
		{Count: 8, Of: 9, Untitled: true},
	} {
		back, ok := ParseDeskReason(r.String())
		if !ok || back != r {
			t.Errorf("%q reads back as %+v, %v; want %+v", r.String(), back, ok, r)
		}
	}
	for _, s := range []string{"model: health, psicosocial", "corrections: added to 7 of 9 corrected stories on", "editor", ""} {
		if r, ok := ParseDeskReason(s); ok {
			t.Errorf("%q reads as a desk reason: %+v", s, r)
		}
	}
}
