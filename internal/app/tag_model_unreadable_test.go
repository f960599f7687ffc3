package app_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/tagging"
	"newsdigest/internal/tagging/tagtest"
	"newsdigest/internal/taxonomy"
)

// A stored model that cannot be read (damaged, or stored by another
// version) does not take the learnt part of tagging down: imports are
// tagged with a model learnt from the same data, the console says which
// model cannot be read and what tags instead, and a worker that starts
// asks for a retraining, which stores one that can be read.
func TestUnreadableTagModelKeepsTagging(t *testing.T) {
	t.Parallel()
	s := startStackBare(t, nil)
	db, err := pgx.Connect(s.ctx, s.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(s.ctx)
	var bad int64
	if err := db.QueryRow(s.ctx, `INSERT INTO tag_models (examples, desk_examples, model) VALUES (1, 0, 'damaged') RETURNING id`).Scan(&bad); err != nil {
		t.Fatal(err)
	}

	stories, err := tagtest.HeldOut()
	if err != nil {
		t.Fatal(err)
	}
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing("after-damage", stories)), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
	// The topics are those of the tagger trained on the shipped examples
	// (no correction is stored), not of the rules alone.
	shipped, err := tagging.NewTagger(taxonomy.Default())
	if err != nil {
		t.Fatal(err)
	}
	seed, err := tagging.SeedExamples()
	if err != nil {
		t.Fatal(err)
	}
	rules, err := tagging.NewTagger(taxonomy.Default())
	if err != nil {
		t.Fatal(err)
	}
	shipped.SetModel(shipped.Train(seed, time.Now()))
	byURL := map[string]itemsAPIItem{}
	for _, it := range itemsAll(s) {
		byURL[it.URL] = it
	}
	differ := 0
	for i, ex := range stories {
		got := byURL[storyURL("after-damage", i, ex.Lang)]
		want := shipped.Tag(ex.Title, ex.Summary, ex.Lang).Topics
		if !slices.Equal(got.Topics, want) {
			t.Errorf("story %d: topics %v, want the learnt model's %v", i, got.Topics, want)
		}
		if !slices.Equal(rules.Tag(ex.Title, ex.Summary, ex.Lang).Topics, want) {
			differ++
		}
	}
	if differ == 0 {
		t.Fatal("the rules alone tag these stories as the model does: the test shows nothing")
	}

	page := s.consoleGet(s.consoleLogin(), "/admin/tagging")
	if !strings.Contains(page, `id="tagging-model-unreadable"`) || !strings.Contains(page, "("+itoa(bad)+")") &&
		!strings.Contains(page, "no. "+itoa(bad)) {
		t.Errorf("the console does not say that model %d cannot be read:\n%.2000s", bad, page)
	}

	s.startWorker(testWorkerOptions())
	waitRetrainQueued(t, s)
}
