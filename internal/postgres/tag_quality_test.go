package postgres_test

import (
	"testing"
	"time"

	"newsdigest/internal/domain"
)

// The quality figures count each story once however often it was
// corrected, compare an editor's last word with what the tagger had set
// before the first correction, and count an accepted suggestion as the
// desk agreeing with the tagger.
func TestTopicCorrectionsCountEachStoryOnce(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	f.ingest(
		f.im.Item(dec16, "Honduran returnees arrive in Guatemala", "A bus brought 40 people.", "https://a.example/1", "en"),
		f.im.Item(dec16, "Hurricane hits Bluefields", "Roofs were lost.", "https://a.example/2", "en"),
	)
	byTitle := map[string]domain.Item{}
	for _, it := range f.all() {
		byTitle[it.Title[:8]] = it
	}
	returnees, hurricane := byTitle["Honduran"], byTitle["Hurrican"]
	if len(returnees.Topics) != 1 || returnees.Topics[0] != "return-reintegration" || len(hurricane.Topics) != 1 || hurricane.Topics[0] != "emergencies" {
		t.Fatalf("tagger's topics %v and %v, want return-reintegration and emergencies", returnees.Topics, hurricane.Topics)
	}
	noCheck := func(*domain.Item) error { return nil }
	// Corrected three times, the last back to the tagger's topic and one more.
	for _, topics := range [][]string{{"protection"}, {"health"}, {"protection", "return-reintegration"}} {
		if _, err := f.db.UpdateItem(f.ctx, "ed", returnees.ID, domain.ItemUpdate{Topics: &topics}, noCheck); err != nil {
			t.Fatal(err)
		}
	}
	// The tagger suggests climate for the hurricane; an editor accepts.
	if err := f.db.ReplaceTagSuggestions(f.ctx, []domain.TagSuggestion{suggestTopics(hurricane, "climate", "emergencies")}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.AcceptTagSuggestion(f.ctx, "ed", hurricane.ID, ""); err != nil {
		t.Fatal(err)
	}
	got, err := f.db.TopicCorrections(f.ctx, time.Now().Add(-90*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]domain.TopicCorrections{
		"return-reintegration": {Topic: "return-reintegration", Tagged: 1},
		"protection":           {Topic: "protection", Added: 1},
		"health":               {Topic: "health"},
		"emergencies":          {Topic: "emergencies", Tagged: 1},
		"climate":              {Topic: "climate", Tagged: 1},
	}
	for _, c := range got {
		if w, ok := want[c.Topic]; ok && c != w {
			t.Errorf("%s: %+v, want %+v", c.Topic, c, w)
		}
	}
}

// The quality figures are of the last days' work: a story that arrived
// before them counts when an editor corrected it within them, and not
// when nobody did.
func TestTopicCorrectionsCountRecentCorrectionsOfOlderStories(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	f.ingest(
		f.im.Item(dec16, "Honduran returnees arrive in Guatemala", "A bus brought 40 people.", "https://a.example/1", "en"),
		f.im.Item(dec16, "Hurricane hits Bluefields", "Roofs were lost.", "https://a.example/2", "en"),
	)
	if _, err := f.db.Pool().Exec(f.ctx, `UPDATE items SET ingested_at = now() - interval '100 days'`); err != nil {
		t.Fatal(err)
	}
	var returnees domain.Item
	for _, it := range f.all() {
		if it.Title[:8] == "Honduran" {
			returnees = it
		}
	}
	topics := []string{"protection"}
	if _, err := f.db.UpdateItem(f.ctx, "ed", returnees.ID, domain.ItemUpdate{Topics: &topics}, func(*domain.Item) error { return nil }); err != nil {
		t.Fatal(err)
	}
	got, err := f.db.TopicCorrections(f.ctx, time.Now().Add(-90*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]domain.TopicCorrections{
		"return-reintegration": {Topic: "return-reintegration", Tagged: 1, Removed: 1},
		"protection":           {Topic: "protection", Added: 1},
		"emergencies":          {Topic: "emergencies"}, // the hurricane: older, and nobody corrected it
	}
	for _, c := range got {
		if w, ok := want[c.Topic]; ok && c != w {
			t.Errorf("%s: %+v, want %+v", c.Topic, c, w)
		}
	}
}
