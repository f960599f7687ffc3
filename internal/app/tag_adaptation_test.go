package app_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
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

// The gains the stories that come next must show once the desk has
// corrected the whole first half of the stream (99 stories): those of
// the tagging package's TestDeskAdaptation after 80 corrections on the
// second half, and the first target on the held-out stories.
// That test reports what this one must find, for the stream's first
// order with the whole shipped set: +0.147 and +0.143.
const (
	gainNext = 0.13
	gainHeld = 0.10
)

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
// differ from the shipped examples (tagtest.Conventions): it imports the
// first half of a stream of stories, corrects the topics of every one of
// them through the API, waits for the worker's retraining, imports the
// second half (and the held-out stories, which no shipped example has),
// and compares their topics with those the stack gave before the first
// correction. Topics must follow the desk's conventions better by
// gainNext F1 on the second half and gainHeld on the held-out stories,
// with no loss on countries. The held-out stories imported before the
// corrections as well get suggestions in the console, each what the
// tagger now gives the same story imported after, which an editor
// accepts one by one, keeps as they are, or accepts all at once; the
// stories the desk corrected are never touched; the quality page counts
// the corrections per topic.
//
// It takes over 30 s, and is one test rather than two because each
// would pay for the same wait: the worker retrains half a minute after
// the first correction (tasks.RetrainDelay, as in production, so that an
// editor's run of corrections makes one retraining). Four editors make
// the 99 corrections at once, so they are all in that one retraining
// even on a busy machine (one after another they took longer than the
// wait there, and a second retraining half a minute later was needed).
// Its steps are logged with the time they ended.
func TestDeskTeachesTheTagger(t *testing.T) {
	t.Parallel()
	began := time.Now()
	step := func(what string) { t.Logf("%5.1fs %s", time.Since(began).Seconds(), what) }
	s := startStack(t)
	stream, err := tagtest.Stream(0)
	if err != nil {
		t.Fatal(err)
	}
	first, second := tagtest.Split(stream)
	held, err := tagtest.HeldOut()
	if err != nil {
		t.Fatal(err)
	}
	// The held-out stories are imported twice: before the desk's first
	// correction, as stories it has not got to, which the console then
	// suggests new topics for; and after the retraining, under other
	// addresses, as stories that come next. The second half is imported
	// after the retraining only: how the stack tagged stories before the
	// corrections is the tagger trained on the shipped examples alone
	// (checked below to tag the held-out stories as the stack did).
	byURL := map[string]itemsAPIItem{}
	importAll := func(prefix string, stories []tagging.Example) {
		t.Helper()
		if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing(prefix, stories)), true); status != http.StatusOK {
			t.Fatalf("import %s: %d %s", prefix, status, body)
		}
		for _, it := range itemsAll(s) {
			byURL[it.URL] = it
		}
		for i, ex := range stories {
			if _, ok := byURL[storyURL(prefix, i, ex.Lang)]; !ok {
				t.Fatalf("%s story %d not stored", prefix, i)
			}
		}
	}
	importAll("first", first)
	importAll("held-before", held)
	step("imported the first half and the held-out stories")

	// A worker that finds no stored model asks for a first retraining
	// itself, before any correction.
	waitRetrainQueued(t, s)

	// The desk corrects the first half's topics.
	db, err := pgx.Connect(s.ctx, s.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(s.ctx)
	// Four editors correct the first half at once, as a desk does after
	// a busy morning; the very first correction is checked as it lands.
	corrected := map[int64][]string{}
	for i, ex := range first {
		corrected[byURL[storyURL("first", i, ex.Lang)].ID] = tagtest.DeskTopics(ex)
	}
	correct := func(id int64) error {
		body, err := json.Marshal(map[string]any{"topics": corrected[id]})
		if err != nil {
			return err
		}
		status, answer, err := s.send("PATCH", fmt.Sprintf("/api/v1/items/%d", id), "application/json", body, true)
		if err == nil && status != http.StatusOK {
			err = fmt.Errorf("PATCH item %d: %d %s", id, status, answer)
		}
		return err
	}
	firstItem := byURL[storyURL("first", 0, first[0].Lang)]
	if err := correct(firstItem.ID); err != nil {
		t.Fatal(err)
	}
	var stored, tagger []string
	var editor string
	err = db.QueryRow(s.ctx, `SELECT topics, tagger_topics, editor FROM tag_examples WHERE item_id = $1`, firstItem.ID).
		Scan(&stored, &tagger, &editor)
	if want := corrected[firstItem.ID]; err != nil || !slices.Equal(stored, want) || !slices.Equal(tagger, firstItem.Topics) || editor != "api" {
		t.Fatalf("the correction's example: %v (tagger had %v) by %q, %v; want %v, %v by api", stored, tagger, editor, err, want, firstItem.Topics)
	}
	ids := make(chan int64)
	errc := make(chan error, len(first))
	var editors sync.WaitGroup
	for range 4 {
		editors.Go(func() {
			for id := range ids {
				errc <- correct(id)
			}
		})
	}
	for i, ex := range first[1:] {
		ids <- byURL[storyURL("first", i+1, ex.Lang)].ID
	}
	close(ids)
	editors.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatal(err)
		}
	}
	step(fmt.Sprintf("corrected %d stories", len(first)))

	// The worker retrains half a minute after the first correction (and
	// again after that for corrections made while it ran).
	deadline := time.Now().Add(3 * time.Minute)
	for {
		var desk int
		if err := db.QueryRow(s.ctx, `SELECT COALESCE(max(desk_examples), 0) FROM tag_models`).Scan(&desk); err != nil {
			t.Fatal(err)
		}
		if desk >= len(first) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no model learnt from the %d corrections 3 minutes after them (newest has %d)", len(first), desk)
		}
		time.Sleep(250 * time.Millisecond)
	}
	step("retrained")

	// The stories that come next, imported after the retraining.
	importAll("next", second)
	importAll("held", held)
	step("imported the second half and the held-out stories")
	before, err := tagging.NewTagger(taxonomy.Default())
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := tagging.SeedExamples()
	if err != nil {
		t.Fatal(err)
	}
	before.SetModel(before.Train(shipped, time.Now()))
	for i, ex := range held {
		was := byURL[storyURL("held-before", i, ex.Lang)]
		if tags := before.Tag(was.Title, was.Summary, was.Language); !slices.Equal(tags.Topics, was.Topics) || !slices.Equal(tags.Countries, was.Countries) {
			t.Fatalf("%q: the stack tagged it %v %v before the corrections; the shipped examples alone give %v %v",
				ex.Title, was.Countries, was.Topics, tags.Countries, tags.Topics)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "SUMMARY through the API, the first half (%d stories) corrected:", len(first))
	for _, set := range []struct {
		name, prefix string
		stories      []tagging.Example
		want         float64
	}{{"second half", "next", second, gainNext}, {"held-out", "held", held, gainHeld}} {
		var topicsBefore, topicsAfter, countriesBefore, countriesAfter tagtest.Score
		for i, ex := range set.stories {
			is := byURL[storyURL(set.prefix, i, ex.Lang)]
			was := before.Tag(is.Title, is.Summary, is.Language)
			topicsBefore.Add(tagtest.DeskTopics(ex), was.Topics)
			topicsAfter.Add(tagtest.DeskTopics(ex), is.Topics)
			countriesBefore.Add(ex.Countries, was.Countries)
			countriesAfter.Add(ex.Countries, is.Countries)
		}
		gain := topicsAfter.F1() - topicsBefore.F1()
		fmt.Fprintf(&b, "\n  %s (%d stories):\n    topics before %s\n    topics after  %s (%+.3f)\n    countries before %s\n    countries after  %s",
			set.name, len(set.stories), topicsBefore, topicsAfter, gain, countriesBefore, countriesAfter)
		if gain < set.want {
			t.Errorf("%s: topic F1 %+.3f after %d corrections, want at least %+.2f", set.name, gain, len(first), set.want)
		}
		if countriesAfter.F1() < countriesBefore.F1() {
			t.Errorf("%s: countries F1 %.3f after, %.3f before", set.name, countriesAfter.F1(), countriesBefore.F1())
		}
	}
	t.Log(b.String())

	// What the console suggests for a story imported before is what the
	// tagger now gives the same story imported after.
	suggestions := readSuggestions(t, s, db)
	for i, ex := range held {
		was, is := byURL[storyURL("held-before", i, ex.Lang)], byURL[storyURL("held", i, ex.Lang)]
		sg, ok := suggestions[was.ID]
		switch {
		case ok && !slices.Equal(sg.topics, is.Topics):
			t.Errorf("%q: suggested topics %v, the tagger gives %v", ex.Title, sg.topics, is.Topics)
		case !ok && !slices.Equal(was.Topics, is.Topics):
			t.Errorf("%q: tagged %v before and %v now, and no suggestion", ex.Title, was.Topics, is.Topics)
		}
	}

	tagSuggestionsInConsole(t, s, corrected)
	step("walked the console")
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
