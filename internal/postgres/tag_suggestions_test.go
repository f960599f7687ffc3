package postgres_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// suggestTopics is a suggestion that the item's topics be topics instead.
func suggestTopics(it domain.Item, topics ...string) domain.TagSuggestion {
	s := domain.TagSuggestion{ItemID: it.ID, ModelID: 1, From: it.TagLists(), To: it.TagLists(),
		Reasons: it.TagReasons, FromText: domain.StoryText(it)}
	s.To.Topics = topics
	s.Reasons.Topics = map[string]string{}
	for _, t := range topics {
		s.Reasons.Topics[t] = "model: " + t
		if !slices.Contains(it.Topics, t) {
			s.Changes = append(s.Changes, domain.TagChange{Kind: domain.FieldTopics, Code: t, Add: true, Why: "model: " + t})
		}
	}
	for _, t := range it.Topics {
		if !slices.Contains(topics, t) {
			s.Changes = append(s.Changes, domain.TagChange{Kind: domain.FieldTopics, Code: t, Why: "model: against"})
		}
	}
	return s
}

// Suggestions are for stories not yet sent; accepting one makes its tags
// the editor's (with the tagger's reasons), records the example, and
// removes it; one whose story changed since is withdrawn, not applied.
func TestTagSuggestions(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	f.ingest(
		f.im.Item(dec16, "Honduran returnees arrive in Guatemala", "A bus brought 40 people.", "https://a.example/1", "en"),
		f.im.Item(dec16, "Children cross the Darién", "Families walked for days.", "https://a.example/2", "en"),
		f.im.Item(dec16, "Hurricane hits Bluefields", "Roofs were lost.", "https://a.example/3", "en"),
		f.im.Item(dec16, "Sent already: job fair in Tapachula", "Employers hired 40 people.", "https://a.example/4", "en"),
	)
	byTitle := map[string]domain.Item{}
	for _, it := range f.all() {
		byTitle[it.Title[:8]] = it
	}
	returnees, children, hurricane, sent := byTitle["Honduran"], byTitle["Children"], byTitle["Hurrican"], byTitle["Sent alr"]
	var edition int64
	if err := f.db.Pool().QueryRow(f.ctx, `INSERT INTO editions DEFAULT VALUES RETURNING id`).Scan(&edition); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Pool().Exec(f.ctx, `INSERT INTO edition_items VALUES ($1, $2)`, edition, sent.ID); err != nil {
		t.Fatal(err)
	}
	unsent, err := f.db.UnsentItems(f.ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, it := range unsent {
		ids = append(ids, it.ID)
	}
	if want := []int64{hurricane.ID, children.ID, returnees.ID}; !cmp.Equal(ids, want) {
		t.Fatalf("unsent items %v, want %v (newest first, not the one an edition holds)", ids, want)
	}

	list := []domain.TagSuggestion{
		suggestTopics(returnees, "protection", "return-reintegration"),
		suggestTopics(children, "children-youth", "mixed-movements", "protection"),
		suggestTopics(hurricane, "climate", "emergencies"),
	}
	if err := f.db.ReplaceTagSuggestions(f.ctx, list); err != nil {
		t.Fatal(err)
	}
	got, total, err := f.db.TagSuggestions(f.ctx, 100)
	if err != nil || total != 3 || len(got) != 3 {
		t.Fatalf("listed %d of %d suggestions, %v; want 3", len(got), total, err)
	}
	if diff := cmp.Diff(list[0].Changes, got[2].Changes); diff != "" {
		t.Errorf("changes read back (-stored +read):\n%s", diff)
	}

	// Accept one: the editor's tags now, with the tagger's reasons.
	it, err := f.db.AcceptTagSuggestion(f.ctx, "ed@example.org", returnees.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(it.Topics, []string{"protection", "return-reintegration"}) || !it.IsEdited(domain.FieldTopics) ||
		it.TagReasons.Topics["protection"] != "model: protection" || it.IsEdited(domain.FieldCountries) {
		t.Errorf("accepted item: topics %v, reasons %v, edited %v", it.Topics, it.TagReasons.Topics, it.EditedFields)
	}
	var tagger, topics []string
	var editor string
	err = f.db.Pool().QueryRow(f.ctx, `SELECT tagger_topics, topics, editor FROM tag_examples WHERE item_id = $1`, returnees.ID).
		Scan(&tagger, &topics, &editor)
	if err != nil || !cmp.Equal(tagger, topics) || editor != "ed@example.org" {
		t.Errorf("example of the accepted suggestion: tagger %v, editor's %v by %q, %v; want the same lists", tagger, topics, editor, err)
	}
	if _, err := f.db.AcceptTagSuggestion(f.ctx, "ed@example.org", returnees.ID, ""); !errs.Is(err, errs.NotFound) {
		t.Errorf("accepting twice: %v, want not found", err)
	}

	// An editor sets the children item's topics: its suggestion goes.
	mine := []string{"children-youth"}
	if _, err := f.db.UpdateItem(f.ctx, "ed@example.org", children.ID, domain.ItemUpdate{Topics: &mine},
		func(*domain.Item) error { return nil }); err != nil {
		t.Fatal(err)
	}
	// The hurricane story comes again from its source, retagged: its
	// suggestion no longer fits, is not listed, and is withdrawn.
	if _, err := f.db.Pool().Exec(f.ctx, `UPDATE items SET topics = '{emergencies,health}' WHERE id = $1`, hurricane.ID); err != nil {
		t.Fatal(err)
	}
	if got, total, err := f.db.TagSuggestions(f.ctx, 100); err != nil || total != 0 || len(got) != 0 {
		t.Errorf("after the changes %d suggestions listed (%d in all), %v; want none", len(got), total, err)
	}
	if _, err := f.db.AcceptTagSuggestion(f.ctx, "ed@example.org", hurricane.ID, ""); !errs.Is(err, errs.Conflict) {
		t.Errorf("accepting a suggestion that no longer fits: %v, want a conflict", err)
	}
	now := f.all()
	for _, it := range now {
		if it.ID == hurricane.ID && !cmp.Equal(it.Topics, []string{"emergencies", "health"}) {
			t.Errorf("a withdrawn suggestion changed the story: %v", it.Topics)
		}
	}
	var left int
	if err := f.db.Pool().QueryRow(f.ctx, `SELECT count(*) FROM tag_suggestions`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d suggestions left, %v; want none", left, err)
	}
}

// Per topic, how often editors changed the tagger's choice: removed where
// it had set the topic, added where it had not.
func TestTopicCorrections(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	f.ingest(
		f.im.Item(dec16, "Honduran returnees arrive in Guatemala", "A bus brought 40 people.", "https://a.example/1", "en"),
		f.im.Item(dec16, "Returnees in San Salvador get kits", "", "https://a.example/2", "en"),
		f.im.Item(dec16, "Children cross the Darién", "", "https://a.example/3", "en"),
	)
	noCheck := func(*domain.Item) error { return nil }
	for _, it := range f.all() {
		if !slices.Contains(it.Topics, "return-reintegration") {
			continue
		}
		topics := []string{"protection"} // instead of return-reintegration
		if _, err := f.db.UpdateItem(f.ctx, "ed", it.ID, domain.ItemUpdate{Topics: &topics}, noCheck); err != nil {
			t.Fatal(err)
		}
		break
	}
	got, err := f.db.TopicCorrections(f.ctx, time.Now().Add(-90*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]domain.TopicCorrections{}
	for _, c := range got {
		by[c.Topic] = c
	}
	if len(got) != 16 {
		t.Errorf("%d topics, want every topic of the taxonomy", len(got))
	}
	if c := by["return-reintegration"]; c.Tagged != 2 || c.Removed != 1 || c.Added != 0 || c.Share() != 0.5 {
		t.Errorf("return-reintegration: %+v, want tagged 2, removed 1 (share 0.5)", c)
	}
	if c := by["protection"]; c.Tagged != 0 || c.Removed != 0 || c.Added != 1 || c.Share() != 1 {
		t.Errorf("protection: %+v, want added 1", c)
	}
	if got, err := f.db.TopicCorrections(f.ctx, time.Now().Add(time.Hour)); err != nil || got[0].Tagged+got[0].Added != 0 {
		t.Errorf("no story arrived since: %+v, %v", got, err)
	}
}

// An editor accepts what they were shown: a suggestion a retraining
// replaced since with another is not accepted unseen, and is left for
// them to look at; accepted as it is now, it is taken.
func TestAcceptTakesWhatTheEditorSaw(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	f.ingest(f.im.Item(dec16, "Hurricane hits Bluefields", "Roofs were lost.", "https://a.example/3", "en"))
	hurricane := f.all()[0]
	seen := suggestTopics(hurricane, "climate", "emergencies")
	if err := f.db.ReplaceTagSuggestions(f.ctx, []domain.TagSuggestion{seen}); err != nil {
		t.Fatal(err)
	}
	// A retraining replaces it while the editor reads the page.
	now := suggestTopics(hurricane, "climate")
	now.ModelID = 2
	if err := f.db.ReplaceTagSuggestions(f.ctx, []domain.TagSuggestion{now}); err != nil {
		t.Fatal(err)
	}
	_, err := f.db.AcceptTagSuggestion(f.ctx, "ed@example.org", hurricane.ID, seen.Shown())
	if !errs.Is(err, errs.Conflict) || !errors.Is(err, domain.ErrSuggestionChanged) {
		t.Fatalf("accepting the suggestion the editor saw, replaced since: %v, want a conflict saying it changed", err)
	}
	it, err := f.db.Item(f.ctx, hurricane.ID)
	if err != nil || !cmp.Equal(it.Topics, hurricane.Topics) || it.IsEdited(domain.FieldTopics) {
		t.Errorf("the story after: topics %v (edited %v), %v; want %v, the tagger's still", it.Topics, it.EditedFields, err, hurricane.Topics)
	}
	left, err := f.db.TagSuggestion(f.ctx, hurricane.ID)
	if err != nil || left.Shown() != now.Shown() {
		t.Fatalf("the suggestion left: %q, %v; want the new one, %q", left.Shown(), err, now.Shown())
	}
	it, err = f.db.AcceptTagSuggestion(f.ctx, "ed@example.org", hurricane.ID, left.Shown())
	if err != nil || !cmp.Equal(it.Topics, []string{"climate"}) || !it.IsEdited(domain.FieldTopics) {
		t.Errorf("accepting the new one as shown: topics %v (edited %v), %v; want [climate], the editor's", it.Topics, it.EditedFields, err)
	}
}

// An editor declines what they were shown: a suggestion a retraining
// replaced since, changing a list the page did not offer, is not
// declined unseen, and that list is not made the editor's.
func TestKeepTakesWhatTheEditorSaw(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	f.ingest(f.im.Item(dec16, "Hurricane hits Bluefields", "Roofs were lost.", "https://a.example/3", "en"))
	hurricane := f.all()[0]
	seen := suggestTopics(hurricane, "climate")
	if err := f.db.ReplaceTagSuggestions(f.ctx, []domain.TagSuggestion{seen}); err != nil {
		t.Fatal(err)
	}
	now := suggestTopics(hurricane, "climate", "emergencies")
	now.ModelID = 2
	if err := f.db.ReplaceTagSuggestions(f.ctx, []domain.TagSuggestion{now}); err != nil {
		t.Fatal(err)
	}
	if seen.Shown() == now.Shown() {
		t.Fatalf("the two suggestions show the same: %q", seen.Shown())
	}
	_, err := f.db.KeepTagSuggestion(f.ctx, "ed@example.org", hurricane.ID, seen.Shown())
	if !errs.Is(err, errs.Conflict) || !errors.Is(err, domain.ErrSuggestionChanged) {
		t.Fatalf("declining the suggestion the editor saw, replaced since: %v, want a conflict saying it changed", err)
	}
	it, err := f.db.Item(f.ctx, hurricane.ID)
	if err != nil || it.IsEdited(domain.FieldTopics) {
		t.Errorf("the story after: edited %v, %v; want its topics still the tagger's", it.EditedFields, err)
	}
	if left, err := f.db.TagSuggestion(f.ctx, hurricane.ID); err != nil || left.Shown() != now.Shown() {
		t.Errorf("the suggestion left: %q, %v; want the new one, %q", left.Shown(), err, now.Shown())
	}
}
