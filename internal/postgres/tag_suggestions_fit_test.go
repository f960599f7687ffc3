package postgres_test

import (
	"slices"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// A suggestion fits its story only while the story can still take it:
// not yet sent, not hidden, and none of the lists it changes set by an
// editor, and its text the one it was made from. A story that went out
// in an edition, or was hidden, or whose list an editor confirmed while
// the retraining that made the suggestion was running, or whose summary
// an editor rewrote, is not listed, and accepting its suggestion
// withdraws it.
func TestTagSuggestionsFitUnsentUneditedStories(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	f.ingest(
		f.im.Item(dec16, "Honduran returnees arrive in Guatemala", "A bus brought 40 people.", "https://a.example/1", "en"),
		f.im.Item(dec16, "Children cross the Darién", "Families walked for days.", "https://a.example/2", "en"),
		f.im.Item(dec16, "Hurricane hits Bluefields", "Roofs were lost.", "https://a.example/3", "en"),
		f.im.Item(dec16, "Job fair in Tapachula", "Employers hired 40 people.", "https://a.example/4", "en"),
		f.im.Item(dec16, "Shelter opens in Ciudad Juárez", "It has 200 beds.", "https://a.example/5", "en"),
	)
	byTitle := map[string]domain.Item{}
	for _, it := range f.all() {
		byTitle[it.Title[:8]] = it
	}
	returnees, children, hurricane, fair := byTitle["Honduran"], byTitle["Children"], byTitle["Hurrican"], byTitle["Job fair"]
	shelter := byTitle["Shelter "]

	// The retraining reads the unsent stories and makes its suggestions;
	// meanwhile an editor confirms the children story's topics as they
	// are, and the suggestions are stored after that.
	if _, err := f.db.UnsentItems(f.ctx, 100); err != nil {
		t.Fatal(err)
	}
	list := []domain.TagSuggestion{
		suggestTopics(returnees, "protection", "return-reintegration"),
		suggestTopics(children, "children-youth", "mixed-movements", "protection"),
		suggestTopics(hurricane, "climate", "emergencies"),
		suggestTopics(fair, "labour-migration", "integration"),
		suggestTopics(shelter, "protection"),
	}
	same := append([]string{}, children.Topics...)
	noCheck := func(*domain.Item) error { return nil }
	if _, err := f.db.UpdateItem(f.ctx, "ed@example.org", children.ID, domain.ItemUpdate{Topics: &same}, noCheck); err != nil {
		t.Fatal(err)
	}
	if err := f.db.ReplaceTagSuggestions(f.ctx, list); err != nil {
		t.Fatal(err)
	}
	// Then the hurricane story goes out in an edition and the job fair
	// is hidden.
	var edition int64
	if err := f.db.Pool().QueryRow(f.ctx, `INSERT INTO editions DEFAULT VALUES RETURNING id`).Scan(&edition); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Pool().Exec(f.ctx, `INSERT INTO edition_items VALUES ($1, $2)`, edition, hurricane.ID); err != nil {
		t.Fatal(err)
	}
	hide := true
	if _, err := f.db.UpdateItem(f.ctx, "ed@example.org", fair.ID, domain.ItemUpdate{Hidden: &hide}, noCheck); err != nil {
		t.Fatal(err)
	}
	// And an editor rewrites the shelter story's summary: the suggestion
	// was made from words it no longer has.
	rewritten := "It has 200 beds for families deported from the United States."
	if _, err := f.db.UpdateItem(f.ctx, "ed@example.org", shelter.ID, domain.ItemUpdate{Summary: &rewritten}, noCheck); err != nil {
		t.Fatal(err)
	}

	got, total, err := f.db.TagSuggestions(f.ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	var listed []int64
	for _, s := range got {
		listed = append(listed, s.ItemID)
	}
	if total != 1 || len(got) != 1 || got[0].ItemID != returnees.ID {
		t.Errorf("listed suggestions for items %v (%d in all), want only the returnees story %d", listed, total, returnees.ID)
	}
	for _, it := range []domain.Item{children, hurricane, fair, shelter} {
		if _, err := f.db.TagSuggestion(f.ctx, it.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("suggestion for %q read back: %v, want not found", it.Title, err)
		}
		if _, err := f.db.AcceptTagSuggestion(f.ctx, "ed@example.org", it.ID, ""); !errs.Is(err, errs.Conflict) {
			t.Errorf("accepting the suggestion for %q: %v, want a conflict (withdrawn)", it.Title, err)
		}
	}
	for _, it := range f.all() {
		if it.ID != returnees.ID && it.ID != children.ID {
			if want := byTitle[it.Title[:8]].Topics; !slices.Equal(it.Topics, want) {
				t.Errorf("%q: topics %v after a withdrawn suggestion, want %v", it.Title, it.Topics, want)
			}
		}
	}
	if _, err := f.db.AcceptTagSuggestion(f.ctx, "ed@example.org", returnees.ID, ""); err != nil {
		t.Errorf("accepting the suggestion that fits: %v", err)
	}
}
