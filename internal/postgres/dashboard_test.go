package postgres_test

import (
	"context"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/testenv"
)

// TestDashboardListsOnlySourcesFailingNow: a source whose last poll
// failed is listed; one that failed and has succeeded since is not,
// though its last error is kept (GET /api/v1/sources still shows it);
// one that succeeded and then failed again is listed again.
func TestDashboardListsOnlySourcesFailingNow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	poll := func(id int64, errText string) {
		t.Helper()
		if err := db.RecordPoll(ctx, id, domain.PollOutcome{Err: errText}); err != nil {
			t.Fatal(err)
		}
	}
	listed := func() map[int64]bool {
		t.Helper()
		d, err := db.Dashboard(ctx, 10, 20)
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]bool{}
		for _, s := range d.SourceErrors {
			out[s.ID] = true
		}
		return out
	}
	src, err := db.CreateSource(ctx, domain.NewSource{URL: "https://news.example.org/feed", Kind: "feed", Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	poll(src.ID, "HTTP 503")
	if !listed()[src.ID] {
		t.Fatal("a failing source is not listed")
	}
	poll(src.ID, "")
	if listed()[src.ID] {
		t.Error("a source that recovered is still listed as failing")
	}
	poll(src.ID, "HTTP 404")
	if !listed()[src.ID] {
		t.Error("a source failing again is not listed")
	}
}
