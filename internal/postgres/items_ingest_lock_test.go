package postgres_test

import (
	"context"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
)

// waitOrDone polls until n lock requests wait or the side whose error
// errc carries has finished; done says which, and err is that side's
// error when it finished.
func waitOrDone(t *testing.T, db *postgres.DB, n int, errc <-chan error, what string) (done bool, err error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for waiters(t, db) < n {
		select {
		case err := <-errc:
			return true, err
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false, nil
}

// storedPair stores two stories and returns them, as stored, in the
// order a feed sending them again lists them and in the order of their
// fingerprints (the order a link to them, or a retraining's suggestions
// for them, check they exist in).
func storedPair(f *itemsFixture) (fed, byFingerprint [2]domain.Item) {
	f.t.Helper()
	items := [2]domain.Item{
		f.im.Item(dec16, "Honduran returnees arrive in Guatemala", "A bus brought 40 people.", "https://a.example/1", "en"),
		f.im.Item(dec16, "Job fair in Tapachula", "Employers hired 40 people.", "https://a.example/2", "en"),
	}
	f.ingest(items[:]...)
	for i := range items {
		stored, err := f.db.ItemByFingerprint(f.ctx, items[i].Fingerprint)
		if err != nil {
			f.t.Fatal(err)
		}
		items[i].ID = stored.ID
	}
	if items[0].Fingerprint > items[1].Fingerprint {
		items[0], items[1] = items[1], items[0]
	}
	return [2]domain.Item{items[1], items[0]}, items
}

// TestIngestAndSourceLinksDoNotDeadlock: two sources carry the same two
// stories. One's poll links them to its source (checking, in fingerprint
// order, that each story exists) while the other's poll meets them again
// in its feed's order, the other way round. Had the poll locked each
// story for a change of its key, it would wait for the link at the
// second story while the link waited for it at the first, and
// PostgreSQL would abort one of the polls.
func TestIngestAndSourceLinksDoNotDeadlock(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	fed, byFingerprint := storedPair(f)
	src, err := f.db.CreateSource(f.ctx, domain.NewSource{URL: "https://b.example/feed", Kind: domain.SourceFeed, Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	// An editor saving the story the poll meets second holds the poll
	// there, after the first.
	release := blocker(t, f.db, `SELECT 1 FROM items WHERE id = $1 FOR NO KEY UPDATE`, fed[1].ID)
	polled := make(chan error, 1)
	go func() {
		_, err := f.db.IngestItems(context.Background(), fed[:])
		polled <- err
	}()
	waitWaiters(t, f.db, 1, "the poll to wait for the editor")
	linked := make(chan error, 1)
	go func() {
		linked <- f.db.LinkSourceItems(context.Background(), src.ID,
			[]string{byFingerprint[0].Fingerprint, byFingerprint[1].Fingerprint})
	}()
	done, err := waitOrDone(t, f.db, 2, linked, "the link")
	release()
	if done {
		if err != nil {
			t.Errorf("the link: %v", err)
		}
	} else {
		result(t, linked, "the link")
	}
	result(t, polled, "the poll")
}

// TestIngestAndARetrainingDoNotDeadlock: a retraining stores its
// suggestions (checking that each one's story exists) while a poll
// meets the same stories again in its feed's order, the other way
// round. Had the poll locked each story for a change of its key, each
// would wait for the other, and PostgreSQL would abort one of them.
func TestIngestAndARetrainingDoNotDeadlock(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	fed, _ := storedPair(f)
	retraining, err := f.db.Pool().Begin(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer retraining.Rollback(f.ctx)
	store := func(it domain.Item) error {
		sg := suggestTopics(it, "protection")
		_, err := retraining.Exec(f.ctx, `
			INSERT INTO tag_suggestions (item_id, model_id, from_countries, from_regions, from_topics, to_countries, to_regions, to_topics, reasons, changes)
			VALUES ($1, 2, $2, $3, $4, $2, $3, $5, $6, $7)`,
			sg.ItemID, sg.From.Countries, sg.From.Regions, sg.From.Topics, sg.To.Topics, sg.Reasons, sg.Changes)
		return err
	}
	if _, err := retraining.Exec(f.ctx, `DELETE FROM tag_suggestions`); err != nil {
		t.Fatal(err)
	}
	// The retraining has stored the suggestion of the story the poll
	// meets second.
	if err := store(fed[1]); err != nil {
		t.Fatal(err)
	}
	polled := make(chan error, 1)
	go func() {
		_, err := f.db.IngestItems(context.Background(), fed[:])
		polled <- err
	}()
	done, pollErr := waitOrDone(t, f.db, 1, polled, "the poll")
	if err := store(fed[0]); err != nil {
		t.Errorf("the retraining could not store its suggestion: %v", err)
	}
	if err := retraining.Commit(f.ctx); err != nil && !t.Failed() {
		t.Errorf("the retraining could not commit: %v", err)
	}
	if done {
		if pollErr != nil {
			t.Errorf("the poll: %v", pollErr)
		}
	} else {
		result(t, polled, "the poll")
	}
}
