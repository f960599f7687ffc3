package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"newsdigest/internal/postgres"
)

// TestFailingSourceIsPolledLessOften: a source that keeps failing waits
// twice as long after each failure in a row (up to 6 hours), waits out
// what a server asks in Retry-After, and is back on its interval after
// its first good poll; the API counts the failures.
func TestFailingSourceIsPolledLessOften(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"INGEST_ALLOW_PRIVATE_NETWORKS": "true"})
	s.startWorker(testWorkerOptions())
	feed := feedFile(t, "rss2.xml")
	type answer struct {
		status     int
		retryAfter string
	}
	answers := []answer{
		{http.StatusServiceUnavailable, "7200"}, // busy: come back in two hours
		{http.StatusInternalServerError, ""},
		{http.StatusInternalServerError, ""},
		{http.StatusOK, ""},
		{http.StatusInternalServerError, ""},
	}
	var mu sync.Mutex
	asked := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		a := answers[min(asked, len(answers)-1)]
		asked++
		mu.Unlock()
		if a.retryAfter != "" {
			w.Header().Set("Retry-After", a.retryAfter)
		}
		if a.status != http.StatusOK {
			http.Error(w, "not now", a.status)
			return
		}
		w.Write(feed)
	}))
	t.Cleanup(srv.Close)

	var src sourceDoc
	s.jsonCall("POST", "/api/v1/sources", map[string]string{"url": srv.URL + "/flaky.xml", "interval": "10m"}, &src, http.StatusCreated)
	waitsAfter := func(failures int) time.Duration {
		t.Helper()
		got := s.waitSource(src.ID, "poll recorded", func(d sourceDoc) bool {
			return d.FailuresInRow == failures && (failures > 0 || d.LastSuccessAt != nil)
		})
		return got.NextPollAt.Sub(*got.LastPolledAt)
	}
	if wait := waitsAfter(1); wait != 2*time.Hour {
		t.Errorf("after a 503 saying Retry-After: 7200, the next poll is %v after this one; want 2h", wait)
	}
	s.pollNow(src.ID)
	if wait := waitsAfter(2); wait != 20*time.Minute {
		t.Errorf("after a second failure in a row, the next poll is %v after this one; want 20m (twice the interval)", wait)
	}
	s.pollNow(src.ID)
	if wait := waitsAfter(3); wait != 40*time.Minute {
		t.Errorf("after a third failure in a row, the next poll is %v after this one; want 40m", wait)
	}
	s.pollNow(src.ID)
	if wait := waitsAfter(0); wait != 10*time.Minute {
		t.Errorf("after a good poll, the next is %v after it; want the interval, 10m", wait)
	}
	if got := s.source(src.ID); got.ItemCount != 3 || got.LastError == nil {
		t.Errorf("after the good poll: %+v; want its 3 items and the last error kept", got)
	}

	// A source failing for days is asked every 6 hours, not less often.
	db, err := postgres.Open(context.Background(), s.cfg.DatabaseURL, s.cfg.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Pool().Exec(context.Background(), `UPDATE sources SET failures_in_row = 20, next_poll_at = now() WHERE id = $1`, src.ID); err != nil {
		t.Fatal(err)
	}
	if wait := waitsAfter(21); wait != 6*time.Hour {
		t.Errorf("after 21 failures in a row, the next poll is %v after this one; want 6h", wait)
	}
}
