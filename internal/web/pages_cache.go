package web

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"sync"

	"github.com/gorilla/csrf"

	"newsdigest/internal/taxonomy"
)

// csrfMarker stands where the CSRF field goes in a page rendered once for
// everyone: the field is the one part of the sign-up form that differs
// from request to request.
const csrfMarker = "<!--csrf field 7d2f0c-->"

// pageCache keeps the sign-up form page rendered once per language, cut
// where the CSRF field goes. Rendering it means executing the template
// over some 250 countries' boxes and sorting them by name, most of the
// CPU a request took (docs/performance.md); each request now writes the
// two halves around its own token. A page is kept for one reading of the
// taxonomy (taxonomy.Cache hands out a new one when it reloads), so an
// editor's change shows as soon as it did before.
type pageCache struct {
	mu    sync.Mutex
	pages map[string]cutPage
	// name, when set, is the list's name in a language (the page's
	// header): a page kept under another name is rendered again.
	name func(lang string) string
}

type cutPage struct {
	tax        *taxonomy.Taxonomy
	name       string
	head, tail []byte
}

// get returns the page in lang kept for key and tax, or renders it with
// render and keeps it. ok is false when the page cannot be cut (the
// marker not there exactly once): the caller renders as before.
func (pc *pageCache) get(lang, key string, tax *taxonomy.Taxonomy, render func(csrfField template.HTML) ([]byte, error)) (cutPage, bool, error) {
	name := ""
	if pc.name != nil {
		name = pc.name(lang)
	}
	pc.mu.Lock()
	p, ok := pc.pages[key]
	pc.mu.Unlock()
	if ok && p.tax == tax && p.name == name {
		return p, true, nil
	}
	body, err := render(csrfMarker)
	if err != nil {
		return cutPage{}, false, err
	}
	if bytes.Count(body, []byte(csrfMarker)) != 1 {
		return cutPage{}, false, nil
	}
	head, tail, _ := bytes.Cut(body, []byte(csrfMarker))
	p = cutPage{tax: tax, name: name, head: head, tail: tail}
	pc.mu.Lock()
	if pc.pages == nil {
		pc.pages = map[string]cutPage{}
	}
	pc.pages[key] = p
	pc.mu.Unlock()
	return p, true, nil
}

// write sends p with the request's own CSRF field, with the headers
// renderPageStatus sends. The page goes to the connection in one write of
// a known length (no chunked framing), from a buffer kept for the next
// request: a new page of some 25 KB a request was most of what the
// garbage collector had to do.
func (p cutPage) write(w http.ResponseWriter, r *http.Request) {
	field := csrf.TemplateField(r)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	n := len(p.head) + len(field) + len(p.tail)
	h.Set("Content-Length", strconv.Itoa(n))
	buf := pageBuffers.Get().(*[]byte)
	*buf = append(append(append((*buf)[:0], p.head...), field...), p.tail...)
	w.WriteHeader(http.StatusOK)
	w.Write(*buf)
	if cap(*buf) <= maxPooledPage {
		pageBuffers.Put(buf)
	}
}

// pageBuffers are the buffers cutPage.write assembles pages in.
var pageBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledPage bounds a buffer kept for reuse, so that one outsized page
// does not stay in memory.
const maxPooledPage = 256 << 10
