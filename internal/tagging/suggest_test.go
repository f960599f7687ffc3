package tagging

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/domain"
)

// trainingDesk is a desk that never tags capacity-building and files
// stories about children under protection too: a few dozen corrections.
func trainingDesk(now time.Time) []Example {
	var out []Example
	for i, place := range []string{"Tijuana", "San José", "Tapachula", "Panama City", "Santo Domingo", "Monterrey",
		"Tegucigalpa", "Guatemala City", "San Salvador", "Managua"} {
		at := now.Add(-time.Duration(i) * time.Hour)
		out = append(out,
			Example{Lang: "en", Title: fmt.Sprintf("Border officials trained in %s", place),
				Summary: "A course on document checks.", Topics: []string{"border-management"}, Desk: true, At: at},
			Example{Lang: "en", Title: fmt.Sprintf("Children in %s get school kits", place),
				Summary: fmt.Sprintf("Kit number %d went to a shelter.", i), Topics: []string{"children-youth", "protection"}, Desk: true, At: at},
		)
	}
	return out
}

// After a retraining, the tagger suggests what it would now change in a
// story, with why, and never touches a list an editor set.
func TestSuggest(t *testing.T) {
	tg := newTestTagger(t)
	title, summary := "Children in Colón get school kits after a training", "Teachers were trained."
	rules := tg.Tag(title, summary, "en")
	if !cmp.Equal(rules.Topics, []string{"capacity-building", "children-youth"}) {
		t.Fatalf("the rules tag %v; the test needs capacity-building and children-youth", rules.Topics)
	}
	it := domain.Item{ID: 7, Title: title, Summary: summary, Language: "en",
		Countries: rules.Countries, Regions: rules.Regions, Topics: rules.Topics, TagReasons: rules.Reasons}
	if _, ok := tg.Suggest(it); ok {
		t.Fatal("a suggestion with no model, for a story tagged by the same rules")
	}

	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	seed, err := SeedExamples()
	if err != nil {
		t.Fatal(err)
	}
	tg.SetModel(tg.Train(append(seed, trainingDesk(now)...), now))
	s, ok := tg.Suggest(it)
	if !ok {
		t.Fatalf("no suggestion; the desk's tagger tags %v", tg.Tag(title, summary, "en").Topics)
	}
	if !cmp.Equal(s.To.Topics, []string{"children-youth", "protection"}) || !cmp.Equal(s.From.Topics, it.Topics) ||
		!cmp.Equal(s.To.Countries, it.Countries) {
		t.Errorf("suggests %+v from %+v", s.To, s.From)
	}
	// Why, in what the desk's corrections show: every story on children
	// got protection, every story with capacity-building lost it.
	want := []domain.TagChange{
		{Kind: domain.FieldTopics, Code: "protection", Add: true, Why: "corrections: added to 10 of 10 corrected stories on children-youth"},
		{Kind: domain.FieldTopics, Code: "capacity-building", Why: "corrections: taken away from 10 of 10 corrected stories that had it"},
	}
	if diff := cmp.Diff(want, s.Changes); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if len(s.Changes) != 2 || s.Reasons.Topics["protection"] == "" {
		t.Errorf("changes %+v, reasons %v", s.Changes, s.Reasons.Topics)
	}

	it.MarkEdited(domain.FieldTopics)
	if s, ok := tg.Suggest(it); ok {
		t.Errorf("suggested %+v for topics an editor set", s.Changes)
	}
}
