package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/postgres"
	"newsdigest/internal/testenv"
)

func openSourcesDB(t *testing.T) *postgres.DB {
	t.Helper()
	return testenv.Database(t)
}

func TestSourcePolling(t *testing.T) {
	t.Parallel()
	db := openSourcesDB(t)
	ctx := context.Background()

	src, err := db.CreateSource(ctx, domain.NewSource{URL: "https://news.example.org/feed", Kind: "feed", Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if src.Interval != time.Hour || src.LastPolledAt != nil || src.ItemCount != 0 {
		t.Errorf("new source: %+v", src)
	}
	_, err = db.CreateSource(ctx, domain.NewSource{URL: "https://news.example.org/feed", Kind: "listing", Interval: time.Minute})
	if !errs.Is(err, errs.Conflict) {
		t.Errorf("same URL again: %v, want conflict", err)
	}

	due, err := db.DueSources(ctx, 10)
	if err != nil || len(due) != 1 || due[0].SourceID != src.ID || !due[0].Due.Equal(src.NextPollAt) {
		t.Fatalf("due: %+v, %v; want the new source, due at its creation", due, err)
	}

	// Several workers asking for the same slot: exactly one gets it.
	var wg sync.WaitGroup
	var mu sync.Mutex
	claims := 0
	for range 5 {
		wg.Go(func() {
			_, ok, err := db.ClaimPoll(ctx, src.ID, due[0].Due, 10*time.Minute)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				claims++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if claims != 1 {
		t.Fatalf("%d claims of one slot, want 1", claims)
	}
	if due, _ := db.DueSources(ctx, 10); len(due) != 0 {
		t.Errorf("claimed source still due: %+v", due)
	}

	// The items a poll brings are counted on the source.
	items := []domain.Item{
		{PublishedOn: domain.NewDate(2020, 12, 16), Title: "One", Language: "en", Fingerprint: "t:one"},
		{PublishedOn: domain.NewDate(2020, 12, 16), Title: "Two", Language: "en", Fingerprint: "t:two"},
	}
	if _, _, err := db.InsertItems(ctx, items); err != nil {
		t.Fatal(err)
	}
	for range 2 { // linking twice counts once
		if err := db.LinkSourceItems(ctx, src.ID, []string{"t:one", "t:two", "t:not-stored"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.RecordPoll(ctx, src.ID, domain.PollOutcome{ETag: `"v1"`, LastModified: "yesterday"}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Source(ctx, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ItemCount != 2 || got.LastSuccessAt == nil || got.LastPolledAt == nil || got.ETag != `"v1"` ||
		got.LastModified != "yesterday" || got.LastError != "" {
		t.Errorf("after a good poll: %+v", got)
	}
	if want := got.LastPolledAt.Add(time.Hour); !got.NextPollAt.Equal(want) {
		t.Errorf("next poll at %v, want an interval after the poll started (%v)", got.NextPollAt, want)
	}

	// A failure is recorded and keeps the validators of the last good fetch.
	if err := db.RecordPoll(ctx, src.ID, domain.PollOutcome{Err: "GET …: HTTP 500"}); err != nil {
		t.Fatal(err)
	}
	list, err := db.Sources(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("sources: %+v, %v", list, err)
	}
	if s := list[0]; s.LastError != "GET …: HTTP 500" || s.LastErrorAt == nil || s.ETag != `"v1"` || s.ItemCount != 2 {
		t.Errorf("after a failed poll: %+v", s)
	}

	if _, err := db.Source(ctx, src.ID+100); !errs.Is(err, errs.NotFound) {
		t.Errorf("missing source: %v", err)
	}
}
