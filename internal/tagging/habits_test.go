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

// A habit shown with another topic of the story is told by one the story
// keeps, before one with more corrections that the same change takes
// away.
func TestDeskReasonNamesATopicTheStoryKeeps(t *testing.T) {
	m := &Model{habits: map[string]*habit{"protection": {
		with:  map[string]int{"children-youth": 10, "mixed-movements": 5},
		added: map[string]int{"children-youth": 10, "mixed-movements": 4}}}}
	given := map[string]bool{"children-youth": true, "mixed-movements": true}
	for _, tc := range []struct {
		final []string
		want  DeskReason
	}{
		{[]string{"children-youth", "mixed-movements", "protection"}, DeskReason{Added: true, Count: 10, Of: 10, With: "children-youth"}},
		{[]string{"mixed-movements", "protection"}, DeskReason{Added: true, Count: 4, Of: 5, With: "mixed-movements"}},
		{[]string{"protection"}, DeskReason{Added: true, Count: 10, Of: 10, With: "children-youth"}},
	} {
		if got, ok := m.deskReason("protection", given, tc.final, false, false); !ok || got != tc.want.String() {
			t.Errorf("the story keeping %v: %q, want %q", tc.final, got, tc.want.String())
		}
	}
}

// "Not in the title" means no phrase of the topic in the title, weak or
// strong, even when a strong one in the summary is the best evidence.
func TestInTitleIsAnyPhraseOfTheTitle(t *testing.T) {
	tg := newTestTagger(t)
	found := tg.topicEvidence("Workers rally in Comayagua", "They asked for employment and decent work.", "en")
	if !found.inTitle("labour-migration") {
		t.Error("a weak phrase of labour-migration in the title ('Workers') is not seen in the title")
	}
	if found.bestInTitle("labour-migration") {
		t.Error("the best phrase of labour-migration is the summary's strong one, not the title's weak one")
	}
}

// The habits a desk showed are listed as its changes' reasons quote
// them, the most shown first; a model without corrections has none.
func TestHabitsListWhatTheCorrectionsShow(t *testing.T) {
	tg := newTestTagger(t)
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	seed, err := SeedExamples()
	if err != nil {
		t.Fatal(err)
	}
	if h := tg.Train(seed, now).Habits(); len(h) != 0 {
		t.Errorf("habits with no correction: %v", h)
	}
	habits := tg.Train(append(seed, trainingDesk(now)...), now).Habits()
	want := map[Habit]bool{
		{"protection", DeskReason{Added: true, Count: 10, Of: 10, With: "children-youth"}}: false,
		{"capacity-building", DeskReason{Count: 10, Of: 10}}:                               false,
	}
	for i, h := range habits {
		if _, ok := want[h]; ok {
			want[h] = true
		}
		if i > 0 && habits[i-1].Count < h.Count {
			t.Errorf("%+v listed before %+v", habits[i-1], h)
		}
	}
	for h, found := range want {
		if !found {
			t.Errorf("the habit %+v (%s) is not listed: %+v", h.DeskReason, h.Topic, habits)
		}
	}
}

// An addition's reason is chosen once every topic is decided: here the
// story's return-reintegration, which it keeps, rather than the
// capacity-building the same change takes away, though the corrections
// show both as often and the second sorts first.
func TestAdditionsReasonKnowsTheStorysFinalTopics(t *testing.T) {
	tg := newTestTagger(t)
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	var desk []Example
	for _, place := range placesOf {
		desk = append(desk, Example{Lang: "en", Title: "Officials trained to support returnees in " + place,
			Summary: "A workshop for the staff who receive returnees.", Topics: []string{"protection", "return-reintegration"}, Desk: true, At: now})
	}
	before := tg.Tag("Officials trained to support returnees in Comayagua", "A workshop for the staff who receive returnees.", "en")
	if !slices.Equal(before.Topics, []string{"capacity-building", "return-reintegration"}) {
		t.Fatalf("the rules tag %v; the test needs capacity-building and return-reintegration", before.Topics)
	}
	tg.SetModel(tg.Train(append(modelExamples(), desk...), now))
	got := tg.Tag("Officials trained to support returnees in Comayagua", "A workshop for the staff who receive returnees.", "en")
	if !slices.Equal(got.Topics, []string{"protection", "return-reintegration"}) {
		t.Fatalf("after the corrections: %v, want protection and return-reintegration", got.Topics)
	}
	n := len(placesOf)
	if why, want := got.Reasons.Topics["protection"], (DeskReason{Added: true, Count: n, Of: n, With: "return-reintegration"}).String(); why != want {
		t.Errorf("protection has the reason %q; want %q", why, want)
	}
	if why, want := got.Declined["capacity-building"], (DeskReason{Count: n, Of: n}).String(); why != want {
		t.Errorf("capacity-building is taken away with %q; want %q", why, want)
	}
}
