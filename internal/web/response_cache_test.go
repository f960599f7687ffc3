package web

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// TestResponseCache: a 200 is rendered once and answered from the cache
// until it expires, with an ETag that gets a 304; an error page is
// rendered for every request; readers arriving while a page renders wait
// for that rendering.
func TestResponseCache(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	rc := &responseCache{ttl: time.Hour}
	var renders atomic.Int32
	release := make(chan struct{})
	r := gin.New()
	r.GET("/ok", func(c *gin.Context) {
		rc.serve(c, "ok", func(c *gin.Context) {
			renders.Add(1)
			<-release
			c.Header("Cache-Control", "public, max-age=60")
			c.Data(http.StatusOK, "text/plain", []byte("page"))
		})
	})
	r.GET("/missing", func(c *gin.Context) {
		rc.serve(c, "missing", func(c *gin.Context) {
			renders.Add(1)
			c.String(http.StatusNotFound, "no such page")
		})
	})
	get := func(path, etag string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		return w
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if w := get("/ok", ""); w.Code != http.StatusOK || w.Body.String() != "page" {
				t.Errorf("concurrent reader got %d %q", w.Code, w.Body)
			}
		}()
	}
	deadline := time.Now().Add(10 * time.Second)
	for renders.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	w := get("/ok", "")
	if n := renders.Load(); n != 1 {
		t.Errorf("rendered %d times for 9 readers", n)
	}
	etag := w.Header().Get("ETag")
	if w.Code != http.StatusOK || w.Body.String() != "page" || etag == "" || w.Header().Get("Cache-Control") != "public, max-age=60" {
		t.Fatalf("cached answer: %d %q headers %v", w.Code, w.Body, w.Header())
	}
	if w := get("/ok", etag); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("If-None-Match %s: %d %q", etag, w.Code, w.Body)
	}
	for range 2 {
		if w := get("/missing", ""); w.Code != http.StatusNotFound || w.Body.String() != "no such page" {
			t.Errorf("error page: %d %q", w.Code, w.Body)
		}
	}
	if n := renders.Load(); n != 3 {
		t.Errorf("%d renderings, want the page once and the error page twice", n)
	}
	rc.ttl = 0 // everything kept has expired
	get("/ok", "")
	if n := renders.Load(); n != 4 {
		t.Errorf("an expired page was not rendered again (%d renderings)", n)
	}
}
