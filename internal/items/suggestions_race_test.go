package items

import (
	"context"
	"slices"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/postgres"
)

// meanwhileStore is the real store, with something another editor or an
// import does right after the service reads a suggestion: the moment
// between an editor's click and its transaction.
type meanwhileStore struct {
	*postgres.DB
	meanwhile func()
}

func (s *meanwhileStore) TagSuggestion(ctx context.Context, itemID int64) (domain.TagSuggestion, error) {
	sg, err := s.DB.TagSuggestion(ctx, itemID)
	if s.meanwhile != nil {
		s.meanwhile()
		s.meanwhile = nil
	}
	return sg, err
}

// Keeping a story's tags "as they are" keeps them as the editor saw
// them: when another editor set the story's topics, or its source sent
// it again retagged, after the page was shown, the suggestion is
// withdrawn and the newer tags stay.
func TestKeepTagsDoesNotUndoAChangeMadeMeanwhile(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var store *meanwhileStore
	s, db := testService(t, func(db *postgres.DB) Store { store = &meanwhileStore{DB: db}; return store }, nil)
	day := domain.NewDate(2021, 3, 1)
	listing := s.importer.Item(day, "Children cross the Darién", "Families walked for days.", "https://a.example/1", "en")
	if _, err := s.importer.ImportItems(ctx, []domain.Item{listing}, []int{1}); err != nil {
		t.Fatal(err)
	}
	stored, err := db.ItemByFingerprint(ctx, listing.Fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	suggest := func(stored domain.Item) {
		t.Helper()
		it, err := db.Item(ctx, stored.ID)
		if err != nil {
			t.Fatal(err)
		}
		sg := domain.TagSuggestion{ItemID: it.ID, ModelID: 1, From: it.TagLists(), To: it.TagLists(), Reasons: it.TagReasons,
			FromText: domain.StoryText(it),
			Changes:  []domain.TagChange{{Kind: domain.FieldTopics, Code: "protection", Add: true, Why: "model: protection"}}}
		sg.To.Topics = append(slices.Clone(it.Topics), "protection")
		if err := db.ReplaceTagSuggestions(ctx, []domain.TagSuggestion{sg}); err != nil {
			t.Fatal(err)
		}
	}

	// Another editor sets the topics after this one's page was shown.
	suggest(stored)
	theirs := []string{"mixed-movements"}
	store.meanwhile = func() {
		if _, err := s.Update(ctx, "other@example.org", stored.ID, domain.ItemUpdate{Topics: &theirs}); err != nil {
			t.Error(err)
		}
	}
	// The other editor's change withdrew the suggestion already.
	if _, err := s.KeepTags(ctx, "ed@example.org", stored.ID, ""); !errs.Is(err, errs.NotFound) {
		t.Errorf("keeping the tags after another editor set them: %v, want the suggestion gone", err)
	}
	if it, err := db.Item(ctx, stored.ID); err != nil || !slices.Equal(it.Topics, theirs) {
		t.Errorf("topics %v, %v; want the other editor's %v", it.Topics, err, theirs)
	}

	// The story's source sends it again, retagged from its new summary.
	first := s.importer.Item(day, "Hurricane hits Bluefields", "Roofs were lost.", "https://a.example/2", "en")
	again := s.importer.Item(day, "Hurricane hits Bluefields",
		"Roofs were lost; children were taken to shelters and given psychosocial support.", "https://a.example/2", "en")
	if slices.Equal(first.Topics, again.Topics) {
		t.Fatalf("the new copy's topics %v are the first's: the test shows nothing", again.Topics)
	}
	if _, err := s.importer.ImportItems(ctx, []domain.Item{first}, []int{1}); err != nil {
		t.Fatal(err)
	}
	hurricane, err := db.ItemByFingerprint(ctx, first.Fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	suggest(hurricane)
	store.meanwhile = func() {
		if _, err := s.importer.ImportItems(ctx, []domain.Item{again}, []int{1}); err != nil {
			t.Error(err)
		}
	}
	if _, err := s.KeepTags(ctx, "ed@example.org", hurricane.ID, ""); !errs.Is(err, errs.Conflict) {
		t.Errorf("keeping the tags after the source sent the story again: %v, want a conflict", err)
	}
	if it, err := db.Item(ctx, hurricane.ID); err != nil || !slices.Equal(it.Topics, again.Topics) || it.IsEdited(domain.FieldTopics) {
		t.Errorf("topics %v (edited %v), %v; want the new copy's %v, not the editor's", it.Topics, it.EditedFields, err, again.Topics)
	}
}

// retrainingStore is the real store, with a retraining that starts
// replacing the suggestions right after accept-all first lists them: it
// has cleared them, and stores its own once an accept waits for it.
type retrainingStore struct {
	*postgres.DB
	replace []domain.TagSuggestion
	stored  chan error
}

func (s *retrainingStore) TagSuggestions(ctx context.Context, limit int) ([]domain.TagSuggestion, int, error) {
	list, n, err := s.DB.TagSuggestions(ctx, limit)
	if s.replace == nil {
		return list, n, err
	}
	replace := s.replace
	s.replace = nil
	tx, err := s.Pool().Begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM tag_suggestions`); err != nil {
		return nil, 0, err
	}
	go func() {
		s.stored <- func() error {
			defer tx.Rollback(ctx)
			for waiting := 0; waiting == 0; time.Sleep(10 * time.Millisecond) {
				if err := s.Pool().QueryRow(ctx, `SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
					WHERE NOT l.granted AND a.datname = current_database()`).Scan(&waiting); err != nil {
					return err
				}
			}
			for _, sg := range replace {
				if _, err := tx.Exec(ctx, `
					INSERT INTO tag_suggestions (item_id, model_id, from_countries, from_regions, from_topics, to_countries, to_regions, to_topics, reasons, changes)
					VALUES ($1, $2, $3, $4, $5, $3, $4, $6, $7, $8)`,
					sg.ItemID, sg.ModelID, sg.From.Countries, sg.From.Regions, sg.From.Topics, sg.To.Topics, sg.Reasons, sg.Changes); err != nil {
					return err
				}
			}
			return tx.Commit(ctx)
		}()
	}()
	return list, n, nil
}

// Accepting every suggestion while a retraining replaces them: a story
// whose suggestion was replaced under the editor's accept is taken on
// the next pass, and not also counted withdrawn, unless the editor was
// shown the suggestion it replaced; that one is left for them to see.
func TestAcceptAllWhileARetrainingReplacesTheSuggestions(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var store *retrainingStore
	s, db := testService(t, func(db *postgres.DB) Store {
		store = &retrainingStore{DB: db, stored: make(chan error, 1)}
		return store
	}, nil)
	day := domain.NewDate(2021, 3, 1)
	stories := []domain.Item{
		s.importer.Item(day, "Children cross the Darién", "Families walked for days.", "https://a.example/1", "en"),
		s.importer.Item(day, "Job fair in Tapachula", "Employers hired 40 people.", "https://a.example/2", "en"),
	}
	if _, err := s.importer.ImportItems(ctx, stories, []int{1, 2}); err != nil {
		t.Fatal(err)
	}
	suggestions := func(model int64, topic string) []domain.TagSuggestion {
		var list []domain.TagSuggestion
		for _, st := range stories {
			it, err := db.ItemByFingerprint(ctx, st.Fingerprint)
			if err != nil {
				t.Fatal(err)
			}
			sg := domain.TagSuggestion{ItemID: it.ID, ModelID: model, From: it.TagLists(), To: it.TagLists(), Reasons: it.TagReasons,
				FromText: domain.StoryText(it),
				Changes:  []domain.TagChange{{Kind: domain.FieldTopics, Code: topic, Add: true, Why: "model: " + topic}}}
			sg.To.Topics = append(slices.Clone(it.Topics), topic)
			list = append(list, sg)
		}
		return list
	}
	if err := db.ReplaceTagSuggestions(ctx, suggestions(1, "protection")); err != nil {
		t.Fatal(err)
	}
	store.replace = suggestions(2, "integration")

	// The editor was shown the first story's suggestion, not the second's
	// (past the page's end): the first's replacement is left for them to
	// look at, the second's is taken.
	shown := map[int64]string{}
	for _, sg := range suggestions(1, "protection")[:1] {
		shown[sg.ItemID] = sg.Shown()
	}
	r, err := s.AcceptAllTagSuggestions(ctx, "ed@example.org", shown)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-store.stored; err != nil {
		t.Fatalf("the retraining: %v", err)
	}
	if want := (AcceptedAll{Accepted: 1, Changed: 1}); r != want {
		t.Errorf("accept all: %+v, want %+v", r, want)
	}
	for i, st := range stories {
		it, err := db.ItemByFingerprint(ctx, st.Fingerprint)
		if err != nil {
			t.Fatal(err)
		}
		taken := slices.Contains(it.Topics, "integration") && it.IsEdited(domain.FieldTopics)
		switch {
		case i == 0 && (taken || slices.Contains(it.Topics, "protection")):
			t.Errorf("%q: topics %v (edited %v); want them as they were, the suggestion it replaced unseen left alone", it.Title, it.Topics, it.EditedFields)
		case i == 1 && !taken:
			t.Errorf("%q: topics %v (edited %v); want the retraining's suggestion, taken by the editor", it.Title, it.Topics, it.EditedFields)
		}
	}
	list, _, err := db.TagSuggestions(ctx, 10)
	if err != nil || len(list) != 1 || list[0].Shown() != "+topics:integration" {
		t.Errorf("suggestions left: %+v, %v; want the first story's new one, for the editor", list, err)
	}
}
