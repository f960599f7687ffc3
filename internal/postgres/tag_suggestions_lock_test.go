package postgres_test

import (
	"context"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// TestEditorsAndARetrainingDoNotDeadlock: a retraining replaces the
// suggestions (it has cleared the old ones and is storing its own) while
// an editor accepts a suggestion, or corrects a story's topics, which
// both lock the story and then withdraw its suggestion. Storing a
// suggestion checks that its story exists, so the retraining needs the
// story too: had the editor locked it for a change of its key, each would
// wait for the other, and PostgreSQL would abort one of them (a 500 for
// the editor, or a retraining lost).
func TestEditorsAndARetrainingDoNotDeadlock(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	f.ingest(
		f.im.Item(dec16, "Honduran returnees arrive in Guatemala", "A bus brought 40 people.", "https://a.example/1", "en"),
		f.im.Item(dec16, "Job fair in Tapachula", "Employers hired 40 people.", "https://a.example/2", "en"),
	)
	byTitle := map[string]domain.Item{}
	for _, it := range f.all() {
		byTitle[it.Title[:8]] = it
	}
	returnees, fair := byTitle["Honduran"], byTitle["Job fair"]
	noCheck := func(*domain.Item) error { return nil }
	topics := []string{"labour-migration"}
	editors := []struct {
		name  string
		story domain.Item
		act   func() error
	}{
		{"accepting a suggestion", returnees, func() error {
			_, err := f.db.AcceptTagSuggestion(context.Background(), "ed@example.org", returnees.ID, "")
			if errs.Is(err, errs.NotFound) {
				return nil // the retraining replaced it: the editor is shown the new one
			}
			return err
		}},
		{"correcting topics", fair, func() error {
			_, err := f.db.UpdateItem(context.Background(), "ed@example.org", fair.ID, domain.ItemUpdate{Topics: &topics}, noCheck)
			return err
		}},
	}
	for _, ed := range editors {
		sg := suggestTopics(ed.story, "protection", "return-reintegration")
		if err := f.db.ReplaceTagSuggestions(f.ctx, []domain.TagSuggestion{sg}); err != nil {
			t.Fatal(err)
		}
		retraining, err := f.db.Pool().Begin(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := retraining.Exec(f.ctx, `DELETE FROM tag_suggestions`); err != nil {
			t.Fatal(err)
		}
		acted := make(chan error, 1)
		go func() { acted <- ed.act() }()
		waitWaiters(t, f.db, 1, ed.name+" to wait for the retraining")
		_, err = retraining.Exec(f.ctx, `
			INSERT INTO tag_suggestions (item_id, model_id, from_countries, from_regions, from_topics, to_countries, to_regions, to_topics, reasons, changes)
			VALUES ($1, 2, $2, $3, $4, $2, $3, $5, $6, $7)`,
			sg.ItemID, sg.From.Countries, sg.From.Regions, sg.From.Topics, sg.To.Topics, sg.Reasons, sg.Changes)
		if err != nil {
			t.Errorf("%s: the retraining could not store its suggestion: %v", ed.name, err)
		}
		if err := retraining.Commit(f.ctx); err != nil && !t.Failed() {
			t.Errorf("%s: the retraining could not commit: %v", ed.name, err)
		}
		result(t, acted, ed.name)
	}
}
