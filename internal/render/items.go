package render

import (
	"bytes"
	"fmt"
	"hash/maphash"
	htmltemplate "html/template"
	"strings"
	"sync"
)

// maxFragmentBytes bounds the cache of rendered stories and sections; an
// edition has a few hundred stories and a few thousand distinct sections.
const maxFragmentBytes = 24 << 20

// fragCache keeps stories and sections rendered, per language. A digest is
// its sections, and an edition's thousands of distinct digests are made of
// the same few hundred stories in far fewer distinct sections: rendering
// each piece once makes a digest little more than joining cached pieces.
type fragCache struct {
	seed  maphash.Seed
	mu    sync.Mutex
	m     map[uint64]renderedItem
	bytes int
}

func newFragCache() *fragCache {
	return &fragCache{seed: maphash.MakeSeed(), m: make(map[uint64]renderedItem)}
}

func (c *fragCache) load(key uint64) (renderedItem, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ri, ok := c.m[key]
	return ri, ok
}

func (c *fragCache) store(key uint64, ri renderedItem) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bytes > maxFragmentBytes {
		clear(c.m)
		c.bytes = 0
	}
	c.m[key] = ri
	c.bytes += len(ri.HTML) + len(ri.Text)
}

// fragments renders the pieces of one digest in one language.
type fragments struct {
	r    *Renderer
	lang string
	s    ui
	// viewURL is the digest on the web, token marked, for the stories
	// that link there; empty on the web digest itself.
	viewURL string
}

// item renders one story, or takes it from the cache. A story that links
// to the web digest is rendered with the renderer's view mark where its
// group's view URL goes, so that every group shares it; the digest puts
// the group's own there as it is filled (framedDigest; placeViewURL
// when the templates are executed): each group's web digest has a view
// token of its own.
func (f *fragments) item(it Item, full bool) (renderedItem, uint64, error) {
	view := ""
	if f.viewURL != "" {
		view = f.r.viewMark
	}
	key := f.itemKey(it, full, view != "")
	if ri, ok := f.r.frags.load(key); ok {
		return ri, key, nil
	}
	var hb, tb bytes.Buffer
	iv := newItemView(it, f.lang, f.s, full, view)
	if err := f.r.digestHTML.ExecuteTemplate(&hb, "item", iv); err != nil {
		return renderedItem{}, 0, fmt.Errorf("render story html: %w", err)
	}
	if err := f.r.digestText.ExecuteTemplate(&tb, "item", iv); err != nil {
		return renderedItem{}, 0, fmt.Errorf("render story text: %w", err)
	}
	// The HTML comes from html/template, which escaped every field. The
	// text is wrapped here, once, so wrapping the whole digest finds its
	// long lines already short.
	ri := renderedItem{HTML: htmltemplate.HTML(hb.String()), Text: wrapLines(tb.String(), textWidth)}
	ri.hasView = view != "" && (strings.Contains(string(ri.HTML), view) || strings.Contains(ri.Text, view))
	f.r.frags.store(key, ri)
	return ri, key, nil
}

// section renders a heading and its stories, or takes it from the cache.
func (f *fragments) section(sec Section, full bool) (renderedItem, error) {
	items := make([]renderedItem, len(sec.Items))
	var h maphash.Hash
	h.SetSeed(f.r.frags.seed)
	h.WriteString("section\x00")
	h.WriteString(f.lang)
	h.WriteByte(0)
	h.WriteString(sec.Title)
	for i, it := range sec.Items {
		ri, key, err := f.item(it, full)
		if err != nil {
			return renderedItem{}, err
		}
		items[i] = ri
		if !f.r.framed { // the key of a section cached whole
			var b [8]byte
			for j := range b {
				b[j] = byte(key >> (8 * j))
			}
			h.Write(b[:])
		}
	}
	sv := sectionView{Title: oneLine(sec.Title), Items: items}
	if f.r.framed {
		// Not cached: a section is its stories in its reader's order,
		// so most are one group's, and filling its frame costs little;
		// cached, they would crowd the stories out of the cache.
		return f.r.framedSection(f.lang, sv)
	}
	key := h.Sum64()
	if rs, ok := f.r.frags.load(key); ok {
		return rs, nil
	}
	var hb, tb bytes.Buffer
	if err := f.r.digestHTML.ExecuteTemplate(&hb, "section", sv); err != nil {
		return renderedItem{}, fmt.Errorf("render section html: %w", err)
	}
	if err := f.r.digestText.ExecuteTemplate(&tb, "section", sv); err != nil {
		return renderedItem{}, fmt.Errorf("render section text: %w", err)
	}
	rs := renderedItem{HTML: htmltemplate.HTML(hb.String()), Text: tb.String(), hasView: anyView(items)}
	f.r.frags.store(key, rs)
	return rs, nil
}

// itemKey identifies everything a story's rendering depends on; where
// its title links (newItemView) follows from its URL, its anchor, full, and
// whether the digest has a view URL (the view mark stands for it). The
// digest's own view URL is not part of it: each group's digest has one
// of its own, and a key holding it rendered every story again for every
// group. Nothing here parses a URL: this runs for every story of every
// digest, and only a story not yet rendered needs its link checked.
func (f *fragments) itemKey(it Item, full, hasView bool) uint64 {
	var h maphash.Hash
	h.SetSeed(f.r.frags.seed)
	h.WriteString("item\x00")
	h.WriteString(f.lang)
	if full {
		h.WriteByte(1)
	}
	if hasView {
		h.WriteByte(2)
	}
	for _, s := range []string{it.Title, it.URL, it.PublishedOn, it.Summary, it.Anchor, it.FewerURL, it.Language} {
		h.WriteByte(0)
		h.WriteString(s)
	}
	for _, t := range it.Tags {
		h.WriteByte(1)
		h.WriteString(t)
	}
	return h.Sum64()
}
