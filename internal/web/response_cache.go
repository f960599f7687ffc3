package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// publicTTL is how long web answers the archive and the feeds from what
// it rendered last. They are the same for every reader and already say
// "public, max-age=60" (feeds 300), so browsers and proxies keep them
// longer than this; the server keeping them five seconds means a crowd
// costs one database query per page every five seconds, not one per
// reader (docs/performance.md). A story hidden or an edition sent shows
// within those five seconds.
const publicTTL = 5 * time.Second

// The bounds of what is kept: every filter and page of the archive is a
// key of its own, and a page of the archive weighs tens of kilobytes, so
// the entries are bounded by their number and by their bytes (keys and
// bodies). When either is reached, the expired answers are dropped, then
// others until there is room. A key longer than maxCachedKey is no page
// the site links to (its keys are a language, a country code, a topic
// slug and a cursor): its answer is rendered and not kept.
const (
	maxCached      = 2048
	maxCachedBytes = 32 << 20
	maxCachedKey   = 256
)

// responseCache keeps whole 200 answers of public GET pages for a short
// time, one rendering at a time per key: readers who ask while it is
// being rendered wait for it rather than each asking the database.
type responseCache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]*cachedAnswer
	size    int // the bytes of the keys and bodies kept
}

type cachedAnswer struct {
	ready  chan struct{} // closed once filled
	at     time.Time
	ok     bool // a 200 worth keeping
	header http.Header
	body   []byte
	etag   string
	size   int // what it counts in responseCache.size
}

// serve answers c from the cache under key, or runs h to render the
// answer, keeping it when it is a 200.
func (rc *responseCache) serve(c *gin.Context, key string, h gin.HandlerFunc) {
	if len(key) > maxCachedKey {
		h(c)
		return
	}
	now := time.Now()
	rc.mu.Lock()
	e := rc.entries[key]
	if e != nil && e.expired(now, rc.ttl) {
		e = nil
	}
	fill := e == nil
	if fill {
		e = &cachedAnswer{ready: make(chan struct{}), at: now}
		rc.put(key, e, now)
	}
	rc.mu.Unlock()

	if !fill {
		select {
		case <-e.ready:
		case <-c.Request.Context().Done():
			return
		}
		if e.ok {
			e.write(c)
			return
		}
		h(c) // an error page: rendered for each request, as before
		return
	}

	rec := &recorder{ResponseWriter: c.Writer, header: http.Header{}}
	orig, req := c.Writer, c.Request
	// Rendered as for a reader with nothing cached, so that what is kept
	// is the whole page; the reader's own conditions are checked below.
	plain := req.Clone(req.Context())
	for _, k := range []string{"If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range", "Range"} {
		plain.Header.Del(k)
	}
	c.Writer, c.Request = rec, plain
	func() {
		defer func() { c.Writer, c.Request = orig, req }()
		h(c)
	}()
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	e.header, e.body = rec.header, rec.body.Bytes()
	e.ok = status == http.StatusOK && !c.IsAborted()
	if e.ok {
		if e.etag = e.header.Get("ETag"); e.etag == "" {
			sum := sha256.Sum256(e.body)
			e.etag = `"` + hex.EncodeToString(sum[:8]) + `"`
			e.header.Set("ETag", e.etag)
		}
		// Its length, known, spares the chunked framing and a write to
		// the connection each time it is sent.
		e.header.Set("Content-Length", strconv.Itoa(len(e.body)))
		e.write(c)
	} else {
		copyHeader(c.Writer.Header(), rec.header)
		c.Writer.WriteHeader(status)
		c.Writer.Write(e.body)
	}
	close(e.ready)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.entries[key] != e {
		return // dropped to make room while it was rendered
	}
	if !e.ok || len(key)+len(e.body) > maxCachedBytes {
		rc.drop(key)
		return
	}
	rc.makeRoom(now, 0, len(e.body), key)
	e.size += len(e.body)
	rc.size += len(e.body)
}

// put stores e under key, making room first; rc.mu is held. The body is
// counted once it is rendered.
func (rc *responseCache) put(key string, e *cachedAnswer, now time.Time) {
	if rc.entries == nil {
		rc.entries = map[string]*cachedAnswer{}
	}
	if _, ok := rc.entries[key]; ok {
		rc.drop(key)
	}
	rc.makeRoom(now, 1, len(key), key)
	e.size = len(key)
	rc.entries[key] = e
	rc.size += e.size
}

// makeRoom drops answers until entries more and bytes more fit, the
// expired first, never the one under except; rc.mu is held.
func (rc *responseCache) makeRoom(now time.Time, entries, bytes int, except string) {
	full := func() bool {
		return len(rc.entries)+entries > maxCached || rc.size+bytes > maxCachedBytes
	}
	if !full() {
		return
	}
	for k, e := range rc.entries {
		if k != except && e.expired(now, rc.ttl) {
			rc.drop(k)
		}
	}
	for k := range rc.entries {
		if !full() {
			return
		}
		if k != except {
			rc.drop(k)
		}
	}
}

// drop forgets the answer under key; rc.mu is held. Readers already
// waiting for it still get it.
func (rc *responseCache) drop(key string) {
	if e, ok := rc.entries[key]; ok {
		rc.size -= e.size
		delete(rc.entries, key)
	}
}

// expired reports whether e was rendered more than ttl before now; one
// being rendered has not.
func (e *cachedAnswer) expired(now time.Time, ttl time.Duration) bool {
	select {
	case <-e.ready:
		return now.Sub(e.at) >= ttl
	default:
		return false
	}
}

// write sends a kept answer, or 304 when the reader has it already.
func (e *cachedAnswer) write(c *gin.Context) {
	h := c.Writer.Header()
	copyHeader(h, e.header)
	if etagMatches(c.GetHeader("If-None-Match"), e.etag) {
		h.Del("Content-Type")
		h.Del("Content-Length")
		c.Writer.WriteHeader(http.StatusNotModified)
		return
	}
	c.Writer.WriteHeader(http.StatusOK)
	if c.Request.Method != http.MethodHead {
		c.Writer.Write(e.body)
	}
}

// etagMatches is If-None-Match's weak comparison (RFC 9110 §13.1.2).
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}

func copyHeader(dst, src http.Header) {
	for k, v := range src {
		dst[k] = v
	}
}

// recorder takes what a handler writes, to be kept and then sent.
type recorder struct {
	gin.ResponseWriter
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *recorder) WriteHeaderNow() {
	if r.status == 0 {
		r.status = http.StatusOK
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeaderNow()
	return r.body.Write(b)
}

func (r *recorder) WriteString(s string) (int, error) {
	r.WriteHeaderNow()
	return r.body.WriteString(s)
}

func (r *recorder) Status() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}

func (r *recorder) Size() int     { return r.body.Len() }
func (r *recorder) Written() bool { return r.status != 0 }
