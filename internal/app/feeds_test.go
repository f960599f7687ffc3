package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdigest/internal/postgres"
)

func feedFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../ingest/testdata/feeds/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type importAnswerDoc struct {
	Imported   int `json:"imported"`
	Duplicates int `json:"duplicates"`
}

func (s *stack) itemCount() int {
	s.t.Helper()
	var page struct{ Items []item }
	s.jsonCall("GET", "/api/v1/items?limit=1000", nil, &page, http.StatusOK)
	return len(page.Items)
}

func TestImportFeedDocuments(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	for _, tc := range []struct {
		file, contentType string
		imported          int
	}{
		{"rss2.xml", "application/rss+xml", 3},
		{"atom.xml", "application/atom+xml; charset=utf-8", 2},
		{"feed.json", "application/feed+json", 2},
	} {
		status, body := s.do("POST", "/api/v1/imports", tc.contentType, feedFile(t, tc.file), true)
		var got importAnswerDoc
		mustJSON(t, body, &got)
		if status != http.StatusOK || got != (importAnswerDoc{tc.imported, 0}) {
			t.Errorf("%s: %d %s; want %d imported", tc.file, status, body, tc.imported)
		}
	}
	// The generic types are taken when the body is a feed; again, it is
	// recognised as already stored.
	for _, tc := range []struct{ file, contentType string }{
		{"rss2.xml", "text/xml"}, {"atom.xml", "application/xml"}, {"feed.json", "application/json"},
	} {
		status, body := s.do("POST", "/api/v1/imports", tc.contentType, feedFile(t, tc.file), true)
		var got importAnswerDoc
		mustJSON(t, body, &got)
		if status != http.StatusOK || got.Imported != 0 || got.Duplicates == 0 {
			t.Errorf("%s as %s: %d %s; want all duplicates", tc.file, tc.contentType, status, body)
		}
	}
	if n := s.itemCount(); n != 7 {
		t.Errorf("%d items stored, want 7", n)
	}

	// Bad documents: nothing written, a clear 422.
	for _, tc := range []struct {
		name, contentType string
		body              []byte
		message           string
		lines             []int
	}{
		{"entries without date or title", "application/rss+xml", feedFile(t, "missing.xml"), "3 unusable", []int{2, 3, 4}},
		{"truncated", "application/rss+xml", feedFile(t, "truncated.xml"), "cut short or damaged", nil},
		{"HTML page", "application/atom+xml", feedFile(t, "notafeed.html"), "not an RSS, Atom or JSON Feed", nil},
		{"plain JSON", "application/json", []byte(`{"email": "a@example.org"}`), "not a JSON Feed", nil},
	} {
		status, body := s.do("POST", "/api/v1/imports", tc.contentType, tc.body, true)
		var e apiErr
		mustJSON(t, body, &e)
		var lines []int
		for _, l := range e.Errors {
			lines = append(lines, l.Line)
		}
		if status != http.StatusUnprocessableEntity || !strings.Contains(e.Error.Message, tc.message) ||
			fmtInts(lines) != fmtInts(tc.lines) {
			t.Errorf("%s: %d %s; want 422 %q naming entries %v", tc.name, status, body, tc.message, tc.lines)
		}
	}
	if n := s.itemCount(); n != 7 {
		t.Errorf("refused feeds wrote items: %d stored, want 7", n)
	}

	big := []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>` + strings.Repeat("x", 6<<20) + `</title></channel></rss>`)
	if status, body := s.do("POST", "/api/v1/imports", "application/rss+xml", big, true); status != http.StatusRequestEntityTooLarge {
		t.Errorf("6 MiB feed: %d %.300s; want 413", status, body)
	}
	if status, _ := s.do("POST", "/api/v1/imports", "image/png", []byte("x"), true); status != http.StatusUnsupportedMediaType {
		t.Errorf("image/png: %d, want 415", status)
	}
	listing := "16 December, 2020\n\nCosta Rica: listings still import\n\nSummary.\n"
	if status, body := s.do("POST", "/api/v1/imports", "text/plain; charset=utf-8", []byte(listing), true); status != http.StatusOK {
		t.Errorf("listing: %d %s", status, body)
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fmtInts(xs []int) string {
	var b strings.Builder
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(itoa(int64(x)))
	}
	return b.String()
}

type sourceDoc struct {
	ID            int64      `json:"id"`
	URL           string     `json:"url"`
	Kind          string     `json:"kind"`
	Interval      string     `json:"interval"`
	CreatedAt     time.Time  `json:"created_at"`
	NextPollAt    time.Time  `json:"next_poll_at"`
	LastPolledAt  *time.Time `json:"last_polled_at"`
	LastSuccessAt *time.Time `json:"last_success_at"`
	LastError     *string    `json:"last_error"`
	LastErrorAt   *time.Time `json:"last_error_at"`
	FailuresInRow int        `json:"failures_in_row"`
	ItemCount     int        `json:"item_count"`
}

// source returns one source from GET /sources.
func (s *stack) source(id int64) sourceDoc {
	s.t.Helper()
	var list struct{ Sources []sourceDoc }
	s.jsonCall("GET", "/api/v1/sources", nil, &list, http.StatusOK)
	for _, src := range list.Sources {
		if src.ID == id {
			return src
		}
	}
	s.t.Fatalf("source %d not listed", id)
	return sourceDoc{}
}

// waitSource polls GET /sources until ok holds for the source.
func (s *stack) waitSource(id int64, what string, ok func(sourceDoc) bool) sourceDoc {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		src := s.source(id)
		if ok(src) {
			return src
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("source %d: %s: not after 30s: %+v", id, what, src)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// pollNow makes a source due, as its interval passing would; the worker's
// reconciler then queues the poll.
func (s *stack) pollNow(id int64) {
	s.t.Helper()
	db, err := postgres.Open(context.Background(), s.cfg.DatabaseURL, s.cfg.SecretKey)
	if err != nil {
		s.t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Pool().Exec(context.Background(), `UPDATE sources SET next_poll_at = now() WHERE id = $1`, id); err != nil {
		s.t.Fatal(err)
	}
}

// feedServer serves documents by path with an ETag, answering 304 to a
// matching If-None-Match, and remembers what it was sent.
type feedServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*http.Request
	statuses []int
}

func newFeedServer(t *testing.T, docs map[string]string) *feedServer {
	f := &feedServer{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status := http.StatusOK
		defer func() {
			f.mu.Lock()
			f.requests = append(f.requests, r)
			f.statuses = append(f.statuses, status)
			f.mu.Unlock()
		}()
		doc, ok := docs[r.URL.Path]
		etag := `"` + itoa(int64(len(doc))) + `"`
		switch {
		case !ok:
			status = http.StatusInternalServerError
			http.Error(w, "boom", status)
		case r.Header.Get("If-None-Match") == etag:
			status = http.StatusNotModified
			w.WriteHeader(status)
		default:
			w.Header().Set("ETag", etag)
			w.Write([]byte(doc))
		}
	}))
	t.Cleanup(f.Close)
	return f
}

// seen returns the requests made for path and the statuses answered.
func (f *feedServer) seen(path string) ([]*http.Request, []int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var reqs []*http.Request
	var statuses []int
	for i, r := range f.requests {
		if r.URL.Path == path {
			reqs, statuses = append(reqs, r), append(statuses, f.statuses[i])
		}
	}
	return reqs, statuses
}

func TestSourcesArePolled(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"INGEST_ALLOW_PRIVATE_NETWORKS": "true"})
	s.startWorker(testWorkerOptions()) // two reconcilers asking for every poll: each slot is fetched once
	listing, err := os.ReadFile("../ingest/testdata/iom-rosanjose-news-2020.txt")
	if err != nil {
		t.Fatal(err)
	}
	srv := newFeedServer(t, map[string]string{
		"/rss.xml":     string(feedFile(t, "rss2.xml")),
		"/listing.txt": string(listing),
		"/broken.xml":  string(feedFile(t, "missing.xml")),
	})

	// A feed: polled once at once, then conditionally.
	var feed sourceDoc
	s.jsonCall("POST", "/api/v1/sources", map[string]string{"url": srv.URL + "/rss.xml", "kind": "feed", "interval": "1m"}, &feed, http.StatusCreated)
	if feed.Interval != "1m" || feed.Kind != "feed" || feed.LastPolledAt != nil {
		t.Errorf("new source: %+v", feed)
	}
	first := s.waitSource(feed.ID, "first poll imports 3 items", func(d sourceDoc) bool {
		return d.LastSuccessAt != nil && d.ItemCount == 3
	})
	if first.LastError != nil {
		t.Errorf("last_error after a good poll: %q", *first.LastError)
	}
	reqs, _ := srv.seen("/rss.xml")
	if len(reqs) != 1 || reqs[0].Header.Get("If-None-Match") != "" || !strings.Contains(reqs[0].UserAgent(), "newsdigest") {
		t.Fatalf("first poll: %d requests; want one plain GET naming newsdigest", len(reqs))
	}
	if n := s.itemCount(); n != 3 {
		t.Errorf("%d items stored, want 3", n)
	}

	s.pollNow(feed.ID)
	second := s.waitSource(feed.ID, "second poll", func(d sourceDoc) bool {
		return d.LastSuccessAt.After(*first.LastSuccessAt)
	})
	reqs, statuses := srv.seen("/rss.xml")
	if len(reqs) != 2 || reqs[1].Header.Get("If-None-Match") == "" || statuses[1] != http.StatusNotModified {
		t.Errorf("second poll: %d requests, statuses %v; want a conditional GET answered 304", len(reqs), statuses)
	}
	if second.ItemCount != 3 || second.LastError != nil {
		t.Errorf("after a 304: %+v", second)
	}

	// The same URL written differently is the same source; another
	// registered with its own interval shares the items.
	upper := strings.Replace(srv.URL, "http://", "HTTP://", 1) + "/rss.xml#latest"
	status, body := s.do("POST", "/api/v1/sources", "application/json",
		mustMarshal(t, map[string]string{"url": upper}), true)
	if status != http.StatusConflict {
		t.Errorf("same feed again as %s: %d %s; want 409", upper, status, body)
	}
	var copyOf sourceDoc
	s.jsonCall("POST", "/api/v1/sources", map[string]string{"url": srv.URL + "/rss.xml?copy=1", "interval": "90m"}, &copyOf, http.StatusCreated)
	if copyOf.Interval != "1h30m" || copyOf.Kind != "feed" {
		t.Errorf("second feed: %+v; want kind feed by default, interval 1h30m", copyOf)
	}

	// A plain-text listing at a URL.
	var list sourceDoc
	s.jsonCall("POST", "/api/v1/sources", map[string]string{"url": srv.URL + "/listing.txt", "kind": "listing"}, &list, http.StatusCreated)
	if list.Interval != "1h" {
		t.Errorf("default interval %q, want 1h", list.Interval)
	}
	s.waitSource(list.ID, "listing's 10 items imported", func(d sourceDoc) bool { return d.ItemCount == 10 })

	// Failing sources say why.
	for _, tc := range []struct{ path, want string }{
		{"/missing.xml", "HTTP 500"},
		{"/broken.xml", "entry 2: no date"},
	} {
		var bad sourceDoc
		s.jsonCall("POST", "/api/v1/sources", map[string]string{"url": srv.URL + tc.path}, &bad, http.StatusCreated)
		got := s.waitSource(bad.ID, "error recorded", func(d sourceDoc) bool { return d.LastError != nil })
		if !strings.Contains(*got.LastError, tc.want) || got.LastErrorAt == nil || got.LastSuccessAt != nil || got.ItemCount != 0 {
			t.Errorf("%s: %+v, last_error %q; want one containing %q", tc.path, got, *got.LastError, tc.want)
		}
	}
}

func TestSourceRegistrationValidates(t *testing.T) {
	t.Parallel()
	s := startStack(t) // private networks not allowed
	for _, tc := range []struct {
		body  map[string]string
		field string
	}{
		{map[string]string{"kind": "feed"}, "url"},
		{map[string]string{"url": "ftp://example.org/feed"}, "url"},
		{map[string]string{"url": "/feed.xml"}, "url"},
		{map[string]string{"url": "https://user:secret@example.org/feed"}, "url"},
		{map[string]string{"url": "http://127.0.0.1:8080/feed"}, "url"},
		{map[string]string{"url": "http://[::1]/feed"}, "url"},
		{map[string]string{"url": "http://10.1.2.3/feed"}, "url"},
		{map[string]string{"url": "http://localhost/feed"}, "url"},
		{map[string]string{"url": "https://example.org/feed", "kind": "podcast"}, "kind"},
		{map[string]string{"url": "https://example.org/feed", "interval": "30s"}, "interval"},
		{map[string]string{"url": "https://example.org/feed", "interval": "often"}, "interval"},
		{map[string]string{"url": "https://example.org/feed", "interval": "720h"}, "interval"},
	} {
		var e apiErr
		status, body := s.do("POST", "/api/v1/sources", "application/json", mustMarshal(t, tc.body), true)
		mustJSON(t, body, &e)
		if status != http.StatusUnprocessableEntity || !strings.HasPrefix(e.Error.Message, tc.field+":") {
			t.Errorf("%v: %d %s; want 422 naming %s", tc.body, status, body, tc.field)
		}
	}
	// Nothing is registered here: a registered source would be polled,
	// and tests reach no network but loopback.
	var list struct{ Sources []sourceDoc }
	s.jsonCall("GET", "/api/v1/sources", nil, &list, http.StatusOK)
	if len(list.Sources) != 0 {
		t.Errorf("refused sources were registered: %+v", list.Sources)
	}
	if status, _ := s.do("GET", "/api/v1/sources", "", nil, false); status != http.StatusUnauthorized {
		t.Errorf("GET /sources without the token: %d, want 401", status)
	}
}
