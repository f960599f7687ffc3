package app_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// An editor's tag correction is kept as a labelled example, and the worker
// retrains the tagger's model from it and stores the model for the web
// app and the other workers.
func TestTagCorrectionRetrainsModel(t *testing.T) {
	s := startStack(t)
	listing := "16 December, 2020\n\nHonduran returnees arrive in Guatemala\n\n" +
		"A bus brought 40 people to the border.\n\nhttps://site.example/en/news/returnees\n"
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
	item := s.fullItems()[0]
	var patched fullItem
	s.jsonCall("PATCH", fmt.Sprintf("/api/v1/items/%d", item.ID), map[string]any{
		"topics": []string{"protection", "return-reintegration"},
	}, &patched, http.StatusOK)

	db, err := pgx.Connect(s.ctx, s.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(s.ctx)
	var topics, added []string
	var editor string
	err = db.QueryRow(s.ctx, `SELECT topics, added, editor FROM tag_examples WHERE item_id = $1`, item.ID).
		Scan(&topics, &added, &editor)
	if err != nil || len(topics) != 2 || len(added) != 1 || added[0] != "topics:protection" || editor != "api" {
		t.Fatalf("example: topics %v, added %v, editor %q, %v", topics, added, editor, err)
	}

	// The retraining waits for more corrections first, then runs.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var models, examples int
		err := db.QueryRow(s.ctx, `SELECT count(*), coalesce(max(examples), 0) FROM tag_models`).Scan(&models, &examples)
		if err != nil {
			t.Fatal(err)
		}
		if models > 0 {
			if examples < 150 {
				t.Errorf("model trained on %d examples, want the labelled set and the correction", examples)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no model stored 2 minutes after a correction")
		}
		time.Sleep(200 * time.Millisecond)
	}
}
