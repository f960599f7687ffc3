package web

import (
	"bytes"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/config"
	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/taxonomy"
	"newsdigest/internal/testenv"
)

// cacheSize is what the cache holds: its entries, and its own count of
// their bytes checked against the entries themselves.
func cacheSize(t *testing.T, rc *responseCache) (entries, size int) {
	t.Helper()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	sum := 0
	for k, e := range rc.entries {
		sum += len(k) + len(e.body)
	}
	if sum != rc.size {
		t.Errorf("the cache counts %d bytes; its keys and bodies are %d", rc.size, sum)
	}
	return len(rc.entries), rc.size
}

// TestResponseCacheBounds: the cache keeps no more than maxCached
// answers and maxCachedBytes of keys and bodies however many keys are
// asked for, and does not keep the answer of a key longer than
// maxCachedKey, though it still answers it.
func TestResponseCacheBounds(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	rc := &responseCache{ttl: time.Hour}
	body := bytes.Repeat([]byte("x"), 1<<20)
	r := gin.New()
	r.GET("/page", func(c *gin.Context) {
		rc.serve(c, c.Query("key"), func(c *gin.Context) {
			n, _ := strconv.Atoi(c.Query("n"))
			c.Data(http.StatusOK, "text/plain", body[:n])
		})
	})
	get := func(key string, n int) {
		t.Helper()
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/page?"+url.Values{"key": {key}, "n": {strconv.Itoa(n)}}.Encode(), nil))
		if w.Code != http.StatusOK || w.Body.Len() != n {
			t.Fatalf("key %.40q: %d, %d bytes; want 200 and %d bytes", key, w.Code, w.Body.Len(), n)
		}
	}

	for i := range 3 * maxCachedBytes / len(body) {
		get("big"+strconv.Itoa(i), len(body))
	}
	if n, size := cacheSize(t, rc); size > maxCachedBytes || n == 0 {
		t.Errorf("after answers of three times maxCachedBytes: %d kept, %d bytes; want some, and at most %d bytes", n, size, maxCachedBytes)
	}

	for i := range 2 * maxCached {
		get("small"+strconv.Itoa(i), 10)
	}
	if n, size := cacheSize(t, rc); n > maxCached || size > maxCachedBytes {
		t.Errorf("after %d small answers: %d kept, %d bytes; want at most %d and %d", 2*maxCached, n, size, maxCached, maxCachedBytes)
	}

	rc.mu.Lock()
	clear(rc.entries)
	rc.size = 0
	rc.mu.Unlock()
	get(strings.Repeat("k", maxCachedKey+1), 10)
	if n, size := cacheSize(t, rc); n != 0 || size != 0 {
		t.Errorf("a key of %d bytes: %d kept, %d bytes; want none", maxCachedKey+1, n, size)
	}
}

// TestArchiveCacheKeepsOnePagePerFilter: requests for the archive and a
// feed with parameters the pages do not read, each one new, or with
// another spelling of the language or of a cursor, are answered from one
// kept page each, so a stream of made-up query strings neither fills the
// cache nor reaches the database for each of them.
func TestArchiveCacheKeepsOnePagePerFilter(t *testing.T) {
	t.Parallel()
	gin.SetMode(gin.ReleaseMode)
	db := testenv.Database(t)
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"DATABASE_URL": "postgres://unused", "SECRET_KEY": "3f0c9a5e7b1d4c2a8e6f0b9d7c5a3e1f"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tax := &taxonomy.Cache{Source: db, MaxAge: time.Minute}
	pages, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{cfg: cfg, tax: tax, pages: pages, log: log, public: &responseCache{ttl: time.Hour},
		editions: editions.New(editions.Deps{Config: cfg, Store: db, Taxonomy: tax, Log: log})}
	r := gin.New()
	r.GET("/archive", s.cachedArchive)
	r.GET("/feeds/topic/:file", s.cachedFeed(s.topicFeed))
	get := func(target string) int {
		t.Helper()
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
		if w.Code != http.StatusOK {
			t.Fatalf("GET %.80s: %d", target, w.Code)
		}
		return w.Body.Len()
	}

	junk := strings.Repeat("a", 4000)
	page := get("/archive?lang=en")
	for i := range 250 {
		get("/archive?p" + strconv.Itoa(i) + "=" + junk)
		get("/archive?lang=en&utm=" + strconv.Itoa(i))
	}
	get("/archive?lang=xx&utm_source=" + junk)
	get("/archive?lang=en&lang=es")
	n, size := cacheSize(t, s.public)
	t.Logf("after 503 archive requests for one page of %d bytes: %d kept, %d bytes", page, n, size)
	if n != 1 || size > page+maxCachedKey {
		t.Errorf("after 503 archive requests for one page: %d kept, %d bytes; want 1 and at most %d", n, size, page+maxCachedKey)
	}

	// Two spellings of one cursor are one page.
	day, err := domain.ParseDate("2026-01-05")
	if err != nil {
		t.Fatal(err)
	}
	get("/archive?before=" + domain.ItemCursor{PublishedOn: day, ID: 7}.Encode())
	get("/archive?before=" + base64.RawURLEncoding.EncodeToString([]byte("2026-01-05,+0007")) + "&x=" + junk)
	if n, _ := cacheSize(t, s.public); n != 2 {
		t.Errorf("two spellings of one cursor: %d pages kept, want 2 (the newest and that one)", n)
	}

	for i := range 100 {
		get("/feeds/topic/labour-migration.xml?lang=en&r" + strconv.Itoa(i) + "=" + junk)
		get("/feeds/topic/labour-migration.xml?r=" + strconv.Itoa(i))
	}
	if n, _ := cacheSize(t, s.public); n != 3 {
		t.Errorf("after 200 requests for one feed: %d pages kept, want 3", n)
	}
}
