package items

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/ingest"
)

// TestPollCutOffByItsTimeoutIsRecorded: a poll that the task's timeout
// cuts off, whether waiting on a slow server or on the database, is
// recorded on the source with its next poll an interval on. Left to the
// lease, it came back every lease rather than every interval, with no
// word to the editor, for as long as the feed stayed slow.
func TestPollCutOffByItsTimeoutIsRecorded(t *testing.T) {
	t.Parallel()
	s, db := testService(t, nil, nil)
	s.fetcher = ingest.NewFetcher(ingest.FetcherConfig{AllowPrivate: true})
	const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>Panama opens a shelter</title>
<pubDate>Wed, 16 Dec 2020 10:00:00 GMT</pubDate><link>https://news.example.org/shelter</link></item></channel></rss>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow.xml" {
			<-r.Context().Done()
			return
		}
		w.Write([]byte(rss))
	}))
	defer srv.Close()
	ctx := context.Background()

	poll := func(path string) domain.Source {
		t.Helper()
		src, err := db.CreateSource(ctx, domain.NewSource{URL: srv.URL + path, Kind: domain.SourceFeed, Interval: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		tctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond) // as the task's timeout
		defer cancel()
		if err := s.PollSource(tctx, src.ID, src.NextPollAt); err != nil {
			t.Errorf("%s: %v; want the failure recorded on the source", path, err)
		}
		got, err := db.Source(ctx, src.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.LastErrorAt == nil || got.LastPolledAt == nil ||
			got.NextPollAt.Sub(*got.LastPolledAt) != time.Hour {
			t.Errorf("%s: last error %q at %v, next poll %v after the last: want recorded, and an hour on",
				path, got.LastError, got.LastErrorAt, got.NextPollAt.Sub(*got.LastPolledAt))
		}
		return got
	}

	if got := poll("/slow.xml"); !strings.Contains(got.LastError, "timed out") {
		t.Errorf("slow server: last error %q; want it to say it timed out", got.LastError)
	}

	// The database busy with something that holds imports back (an
	// edition being made takes the ingest lock) for longer than the poll
	// may take.
	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(0x6e6469676573)); err != nil {
		t.Fatal(err)
	}
	if got := poll("/feed.xml"); !strings.Contains(got.LastError, "took too long") || got.ItemCount != 0 {
		t.Errorf("import held back: last error %q, %d items; want it to say it took too long", got.LastError, got.ItemCount)
	}
}
