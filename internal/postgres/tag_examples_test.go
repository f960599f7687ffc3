package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
	"newsdigest/internal/tagging"
	"newsdigest/internal/taxonomy"
)

// Every tag list an editor sets is kept as a labelled example of the item;
// a later correction updates it and keeps what the earlier one judged.
func TestTagExamplesFromEdits(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	f.ingest(f.im.Item(dec16, "Honduran returnees arrive in Guatemala", "A bus brought 40 people.", "https://a.example/1", "en"))
	id := f.all()[0].ID
	noCheck := func(*domain.Item) error { return nil }

	title := "Honduran returnees reach Guatemala"
	if _, err := f.db.UpdateItem(f.ctx, "ed@example.org", id, domain.ItemUpdate{Title: &title}, noCheck); err != nil {
		t.Fatal(err)
	}
	if got, err := f.db.TagExamples(f.ctx, tagging.MaxDeskExamples); err != nil || len(got) != 0 {
		t.Fatalf("a title edit made examples %+v, %v", got, err)
	}

	countries := []string{"GT", "HN"}
	if _, err := f.db.UpdateItem(f.ctx, "ed@example.org", id, domain.ItemUpdate{Countries: &countries}, noCheck); err != nil {
		t.Fatal(err)
	}
	topics := []string{"protection"} // instead of the tagger's return-reintegration
	if _, err := f.db.UpdateItem(f.ctx, "api", id, domain.ItemUpdate{Topics: &topics}, noCheck); err != nil {
		t.Fatal(err)
	}
	got, err := f.db.TagExamples(f.ctx, tagging.MaxDeskExamples)
	if err != nil {
		t.Fatal(err)
	}
	want := []tagging.Example{{Lang: "en", Title: title, Summary: "A bus brought 40 people.",
		Countries: []string{"GT", "HN"}, Topics: []string{"protection"}, Desk: true}}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(tagging.Example{}, "At")); diff != "" {
		t.Errorf("examples (-want +got):\n%s", diff)
	}
	if len(got) == 1 && time.Since(got[0].At) > time.Minute {
		t.Errorf("example stamped %v, want when it was made", got[0].At)
	}
	// The worker asks whether corrections came in after a retraining began.
	var stamped time.Time
	if err := f.db.Pool().QueryRow(f.ctx, `SELECT updated_at FROM tag_examples`).Scan(&stamped); err != nil {
		t.Fatal(err)
	}
	for at, want := range map[time.Time]bool{stamped: true, stamped.Add(-time.Second): true, stamped.Add(time.Microsecond): false} {
		if got, err := f.db.TagExamplesChangedSince(f.ctx, at); err != nil || got != want {
			t.Errorf("TagExamplesChangedSince(stamp%+v) = %v, %v; want %v", at.Sub(stamped), got, err, want)
		}
	}
	var added, removed, tagger []string
	var editor string
	err = f.db.Pool().QueryRow(f.ctx, `SELECT added, removed, editor, tagger_topics FROM tag_examples`).Scan(&added, &removed, &editor, &tagger)
	if err != nil {
		t.Fatal(err)
	}
	if editor != "api" || !cmp.Equal(added, []string{"topics:protection"}) || !cmp.Equal(removed, []string{"topics:return-reintegration"}) {
		t.Errorf("last correction recorded as %v added, %v removed, by %q", added, removed, editor)
	}
	// A second correction of the topics keeps the tagger's choice, not the
	// first correction's.
	topics = []string{"protection", "children-youth"}
	if _, err := f.db.UpdateItem(f.ctx, "api", id, domain.ItemUpdate{Topics: &topics}, noCheck); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Pool().QueryRow(f.ctx, `SELECT tagger_topics FROM tag_examples`).Scan(&tagger); err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(tagger, []string{"return-reintegration"}) {
		t.Errorf("tagger's topics recorded as %v, want the tagger's return-reintegration", tagger)
	}
}

// A model stored by one process is the one another loads.
func TestTagModelsFollowed(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	if id, b, err := f.db.LatestTagModel(f.ctx); id != 0 || b != nil || err != nil {
		t.Fatalf("empty store gave model %d, %v", id, err)
	}
	trainer, follower := f.im.Tagger, newTagger(t)
	live := &tagging.Follower{Tagger: follower, Store: f.db, Every: time.Hour}
	if err := live.Refresh(f.ctx); err != nil || follower.Model() == nil {
		t.Fatalf("with no model stored, Refresh gave %v and no model in memory", err)
	}
	m, id, err := tagging.Retrain(f.ctx, f.db, trainer, time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if latest, err := f.db.LatestTagModelID(f.ctx); err != nil || latest != id {
		t.Fatalf("latest model id %d, %v; want the stored %d", latest, err, id)
	}
	if trainer.Model() != m || m.Examples == 0 {
		t.Fatalf("retrained tagger uses %p, want %p with examples", trainer.Model(), m)
	}
	live.Every = 0 // look again now
	if err := live.Refresh(f.ctx); err != nil {
		t.Fatal(err)
	}
	if got := follower.Model(); got == nil || !got.TrainedAt.Equal(m.TrainedAt) {
		t.Errorf("follower's model trained at %v, want the stored one of %v", got.TrainedAt, m.TrainedAt)
	}
	if live.ModelID() != id {
		t.Errorf("follower uses model %d, want %d", live.ModelID(), id)
	}
}

// fetchCounter is the store, counting how often a whole model is read.
type fetchCounter struct {
	*postgres.DB
	fetches int
}

func (c *fetchCounter) LatestTagModel(ctx context.Context) (int64, []byte, error) {
	c.fetches++
	return c.DB.LatestTagModel(ctx)
}

// Processes look for a newer model by its id: the model itself, megabytes
// at a large desk, is read once per new model, not at every look.
func TestTagModelReadOncePerModel(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	if _, _, err := tagging.Retrain(f.ctx, f.db, f.im.Tagger, time.Now()); err != nil {
		t.Fatal(err)
	}
	store := &fetchCounter{DB: f.db}
	live := &tagging.Follower{Tagger: newTagger(t), Store: store, Every: 0}
	for range 5 {
		if err := live.Refresh(f.ctx); err != nil {
			t.Fatal(err)
		}
	}
	if store.fetches != 1 {
		t.Errorf("5 looks at an unchanged model read it %d times, want once", store.fetches)
	}
	if _, _, err := tagging.Retrain(f.ctx, f.db, f.im.Tagger, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := live.Refresh(f.ctx); err != nil {
		t.Fatal(err)
	}
	if store.fetches != 2 {
		t.Errorf("a new model was read %d times in all, want 2", store.fetches)
	}
}

func newTagger(t *testing.T) *tagging.Tagger {
	t.Helper()
	tg, err := tagging.NewTagger(taxonomy.Default())
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// Tags an editor gives an item created by hand are an example too, set
// against the tags the tagger proposed, and of that item: two made by
// hand without a link each keep their own.
func TestTagExampleOfNewItem(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	countries := []string{"CR", "VE"}
	u := domain.ItemUpdate{Countries: &countries}
	// Both are stored before either's example is kept, as when two
	// editors create one each at once.
	var items []domain.Item
	var proposals []domain.Item
	for _, title := range []string{"Venezuelan migrants find work in Guanacaste", "Nicaraguan workers hired for the coffee harvest"} {
		proposed := f.im.Item(dec16, title, "Farms hired 200 people.", "", "en")
		it := proposed
		u.Apply(&it)
		if n, _, err := f.db.InsertItems(f.ctx, []domain.Item{it}); err != nil || n != 1 {
			t.Fatalf("insert: %d, %v", n, err)
		}
		stored, err := f.db.ItemByFingerprint(f.ctx, it.Fingerprint)
		if err != nil {
			t.Fatal(err)
		}
		items, proposals = append(items, stored), append(proposals, proposed)
	}
	for i, stored := range items {
		if err := f.db.RecordNewItemExample(f.ctx, "ed@example.org", proposals[i], stored, u); err != nil {
			t.Fatal(err)
		}
	}
	for _, it := range items {
		id := it.ID
		var added []string
		err := f.db.Pool().QueryRow(f.ctx, `SELECT added FROM tag_examples WHERE item_id = $1`, id).Scan(&added)
		if err != nil {
			t.Fatalf("the example of item %d: %v", id, err)
		}
		if !slices.Contains(added, "countries:VE") {
			t.Errorf("example of item %d with %v added; want countries:VE among them", id, added)
		}
	}
}

// A retraining learns from the newest corrections of topics only: asked
// for the newest two, the store gives the two last corrected (a story
// corrected again counts as new), oldest first, and never a correction
// of countries alone, which the model does not learn from.
func TestTagExamplesNewestOfTopicsOnly(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	for i, title := range []string{"Shelter opens in Tapachula", "Returnees arrive in Honduras", "Census of migrants in Belize", "Border post reopens in Guatemala"} {
		f.ingest(f.im.Item(dec16, title, "A short summary.", fmt.Sprintf("https://a.example/%d", i), "en"))
	}
	items := f.all()
	noCheck := func(*domain.Item) error { return nil }
	correct := func(it domain.Item, u domain.ItemUpdate) {
		t.Helper()
		if _, err := f.db.UpdateItem(f.ctx, "ed@example.org", it.ID, u, noCheck); err != nil {
			t.Fatal(err)
		}
	}
	topics := []string{"protection"}
	for _, it := range items[:3] {
		correct(it, domain.ItemUpdate{Topics: &topics})
	}
	countries := []string{"GT"}
	correct(items[3], domain.ItemUpdate{Countries: &countries})
	titles := func(newest int) []string {
		t.Helper()
		got, err := f.db.TagExamples(f.ctx, newest)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, ex := range got {
			out = append(out, ex.Title)
		}
		return out
	}
	if got, want := titles(10), []string{items[0].Title, items[1].Title, items[2].Title}; !slices.Equal(got, want) {
		t.Errorf("all examples of topics = %q, want %q", got, want)
	}
	if got, want := titles(2), []string{items[1].Title, items[2].Title}; !slices.Equal(got, want) {
		t.Errorf("the newest two = %q, want %q", got, want)
	}
	topics = []string{"protection", "health"}
	correct(items[0], domain.ItemUpdate{Topics: &topics})
	if got, want := titles(2), []string{items[2].Title, items[0].Title}; !slices.Equal(got, want) {
		t.Errorf("the newest two after correcting the first again = %q, want %q", got, want)
	}
}
