package postgres_test

import (
	"slices"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/postgres"
)

// An edition of new stories holds those published in its period: a back
// catalogue imported this week stays out until an editor picks a story,
// the pick is spent by the edition that holds it, a corrected date lets a
// story in, and an editor's edition of nothing is refused and not made.
func TestEditionHoldsStoriesOfItsPeriodAndPicks(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	const week = 7 * 24 * time.Hour
	now := time.Now().UTC()
	today := domain.NewDate(now.Year(), now.Month(), now.Day())
	f.ingest(
		f.im.Item(domain.NewDate(2020, time.December, 16), "Costa Rica: a story of 2020", "Summary.", "", "en"),
		f.im.Item(domain.NewDate(2020, time.December, 18), "Panama: another story of 2020", "Summary.", "", "en"),
		f.im.Item(today, "Guatemala: a story of this week", "Summary.", "", "en"),
	)
	ids := map[string]int64{}
	for _, it := range f.all() {
		ids[it.Title] = it.ID
	}
	titles := func(items []domain.Item) []string {
		var out []string
		for _, it := range items {
			out = append(out, it.Title)
		}
		slices.Sort(out)
		return out
	}
	planned, err := f.db.WindowItems(f.ctx, nil, nil, week)
	if err != nil || !slices.Equal(titles(planned), []string{"Guatemala: a story of this week"}) {
		t.Fatalf("planned %v (%v), want only this week's story", titles(planned), err)
	}
	pick := true
	check := func(*domain.Item) error { return nil }
	if _, err := f.db.UpdateItem(f.ctx, "ed", ids["Costa Rica: a story of 2020"], domain.ItemUpdate{Picked: &pick}, check); err != nil {
		t.Fatal(err)
	}
	planned, _ = f.db.WindowItems(f.ctx, nil, nil, week)
	if want := []string{"Costa Rica: a story of 2020", "Guatemala: a story of this week"}; !slices.Equal(titles(planned), want) {
		t.Fatalf("after the pick, planned %v, want %v", titles(planned), want)
	}
	e, _, err := f.db.CreateEdition(f.ctx, postgres.NewEdition{MaxAge: week, RequireStories: true})
	if err != nil || e.Items != 2 {
		t.Fatalf("edition: %+v %v, want the picked story and this week's", e, err)
	}
	if it, _ := f.db.Item(f.ctx, ids["Costa Rica: a story of 2020"]); it.Picked {
		t.Error("the pick is not spent by the edition that holds it")
	}
	// Nothing new, asked again while that edition is on its way (a
	// retried call, a second click): it is that edition, and no other.
	before, _ := f.db.Editions(f.ctx, 10)
	again, made, err := f.db.CreateEdition(f.ctx, postgres.NewEdition{MaxAge: week, RequireStories: true})
	if err != nil || made || again.ID != e.ID {
		t.Fatalf("asked again while it is on its way: edition %d made %v (%v), want edition %d", again.ID, made, err, e.ID)
	}
	for _, ev := range []domain.EditionEvent{domain.EditionCompile, domain.EditionCompiled} {
		if moved, err := f.db.MoveEdition(f.ctx, e.ID, ev); err != nil || !moved {
			t.Fatalf("%s: %v %v", ev, moved, err)
		}
	}
	if finished, err := f.db.FinishEditionIfComplete(f.ctx, e.ID); err != nil || !finished {
		t.Fatalf("finish: %v %v", finished, err)
	}
	// Nothing new once it is sent: an editor's edition is refused and
	// nothing is made.
	_, _, err = f.db.CreateEdition(f.ctx, postgres.NewEdition{MaxAge: week, RequireStories: true})
	if !errs.Is(err, errs.Invalid) || errs.MessageOf(err) != domain.ErrNoStories {
		t.Fatalf("an edition of nothing: %v, want refused with %q", err, domain.ErrNoStories)
	}
	if after, _ := f.db.Editions(f.ctx, 10); len(after) != len(before) {
		t.Fatalf("a refused edition was made: %d editions, were %d", len(after), len(before))
	}
	// A wrong date corrected on the item: the story counts as recent now
	// (it was ingested before the last cut-off, so it needs a pick to go).
	fixed := today
	up, err := f.db.UpdateItem(f.ctx, "ed", ids["Panama: another story of 2020"], domain.ItemUpdate{PublishedOn: &fixed}, check)
	if err != nil || !up.PublishedOn.Equal(today.Time) || !up.IsEdited(domain.FieldPublished) {
		t.Fatalf("date correction: %+v %v", up, err)
	}
}
