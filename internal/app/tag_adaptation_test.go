package app_test

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5"

	"newsdigest/internal/app"
	"newsdigest/internal/tagging"
	"newsdigest/internal/tagging/tagtest"
	"newsdigest/internal/tasks"
	"newsdigest/internal/taxonomy"
)

// deskCorrections is how many stories the desk corrects before the
// stories that come next are measured: the curve's middle point, where
// the issue asked for +0.10 topic F1 (the tagging package's
// TestDeskAdaptation has the whole curve, over every order of the
// stream; this test takes the first order, and reports what that test
// reports for it: +0.130).
const deskCorrections = 40

// storyURL is the address of story n of a listing, in its language (the
// importer reads the language from it).
func storyURL(prefix string, n int, lang string) string {
	return fmt.Sprintf("https://desk.example/%s/%s/%d", lang, prefix, n)
}

// listing writes stories as a plain-text listing, one a day.
func listing(prefix string, stories []tagging.Example) string {
	var b strings.Builder
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for i, it := range stories {
		fmt.Fprintf(&b, "%s\n\n%s\n\n%s\n\n%s\n\n\n", day.AddDate(0, 0, i).Format("2 January, 2006"),
			it.Title, it.Summary, storyURL(prefix, i, it.Lang))
	}
	return b.String()
}

// TestDeskTeachesTheTagger lives the tagger as a desk whose conventions
// differ from the shipped examples (tagtest.Conventions): it imports a
// stream of stories, corrects the topics of the first ones through the
// API, waits for the worker's retraining, and imports the held-out
// stories. Their topics must follow the desk's conventions better by
// +0.10 F1 than the tagger did before the corrections, with no loss on
// countries. The stories imported but not corrected, not yet sent, get
// suggestions in the console, which an editor accepts one by one, keeps
// as they are, or accepts all at once; the stories the desk corrected
// are never touched; the quality page counts the corrections per topic.
func TestDeskTeachesTheTagger(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	stream, err := tagtest.Stream(0)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := tagtest.Split(stream)
	held, err := tagtest.HeldOut()
	if err != nil {
		t.Fatal(err)
	}
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing("first", first)), true); status != http.StatusOK {
		t.Fatalf("import the first half: %d %s", status, body)
	}
	byURL := map[string]itemsAPIItem{}
	for _, it := range itemsAll(s) {
		byURL[it.URL] = it
	}
	if len(byURL) != len(first) {
		t.Fatalf("%d stories stored of %d imported", len(byURL), len(first))
	}

	// A worker that finds no stored model asks for a first retraining
	// itself, before any correction.
	waitRetrainQueued(t, s)

	// The desk corrects the first stories' topics.
	db, err := pgx.Connect(s.ctx, s.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(s.ctx)
	corrected := map[int64][]string{}
	for i, ex := range first[:deskCorrections] {
		it := byURL[storyURL("first", i, ex.Lang)]
		topics := tagtest.DeskTopics(ex)
		s.jsonCall("PATCH", fmt.Sprintf("/api/v1/items/%d", it.ID), map[string]any{"topics": topics}, nil, http.StatusOK)
		corrected[it.ID] = topics
		if i == 0 {
			var stored, tagger []string
			var editor string
			err := db.QueryRow(s.ctx, `SELECT topics, tagger_topics, editor FROM tag_examples WHERE item_id = $1`, it.ID).
				Scan(&stored, &tagger, &editor)
			if err != nil || !slices.Equal(stored, topics) || !slices.Equal(tagger, it.Topics) || editor != "api" {
				t.Fatalf("the correction's example: %v (tagger had %v) by %q, %v; want %v, %v by api", stored, tagger, editor, err, topics, it.Topics)
			}
		}
	}

	// The worker retrains half a minute after the first correction.
	deadline := time.Now().Add(3 * time.Minute)
	for {
		var desk int
		if err := db.QueryRow(s.ctx, `SELECT COALESCE(max(desk_examples), 0) FROM tag_models`).Scan(&desk); err != nil {
			t.Fatal(err)
		}
		if desk >= deskCorrections {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no model learnt from the %d corrections 3 minutes after them (newest has %d)", deskCorrections, desk)
		}
		time.Sleep(250 * time.Millisecond)
	}

	// The stories that come next, imported after the retraining, against
	// the same stories tagged as the stack did before any correction
	// (with a model of the shipped examples alone).
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing("next", held)), true); status != http.StatusOK {
		t.Fatalf("import the held-out stories: %d %s", status, body)
	}
	for _, it := range itemsAll(s) {
		byURL[it.URL] = it
	}
	before, err := tagging.NewTagger(taxonomy.Default())
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := tagging.SeedExamples()
	if err != nil {
		t.Fatal(err)
	}
	before.SetModel(before.Train(shipped, time.Now()))
	var topicsBefore, topicsAfter, countriesBefore, countriesAfter tagtest.Score
	for i, ex := range held {
		it, ok := byURL[storyURL("next", i, ex.Lang)]
		if !ok {
			t.Fatalf("held-out story %d not stored", i)
		}
		was := before.Tag(it.Title, it.Summary, it.Language)
		topicsBefore.Add(tagtest.DeskTopics(ex), was.Topics)
		topicsAfter.Add(tagtest.DeskTopics(ex), it.Topics)
		countriesBefore.Add(ex.Countries, was.Countries)
		countriesAfter.Add(ex.Countries, it.Countries)
	}
	t.Logf("SUMMARY through the API, %d corrections, %d held-out stories:\n  topics before %s\n  topics after  %s (%+.3f)\n  countries before %s\n  countries after  %s",
		deskCorrections, len(held), topicsBefore, topicsAfter, topicsAfter.F1()-topicsBefore.F1(), countriesBefore, countriesAfter)
	if gain := topicsAfter.F1() - topicsBefore.F1(); gain < 0.10 {
		t.Errorf("topic F1 %+.3f after %d corrections, want at least +0.10", gain, deskCorrections)
	}
	if countriesAfter.F1() < countriesBefore.F1() {
		t.Errorf("countries F1 %.3f after, %.3f before", countriesAfter.F1(), countriesBefore.F1())
	}

	tagSuggestionsInConsole(t, s, corrected)
}

// waitRetrainQueued waits for a retraining of the tagger to be on the
// queue.
func waitRetrainQueued(t *testing.T, s *stack) {
	t.Helper()
	opt, err := app.RedisOpt(s.cfg.RedisURL)
	if err != nil {
		t.Fatal(err)
	}
	insp := asynq.NewInspector(opt)
	defer insp.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		queued, err := insp.ListScheduledTasks(tasks.QueueDefault)
		if err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
			t.Fatal(err)
		}
		for _, q := range queued {
			if q.Type == tasks.TypeRetrainTagger {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("a worker with no stored model queued no retraining in 30s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
