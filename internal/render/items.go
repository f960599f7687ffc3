package render

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	htmltemplate "html/template"
	"sync"
)

// maxCachedItems bounds the story cache; an edition holds a few hundred
// stories in two languages, so this is many editions' worth.
const maxCachedItems = 20000

// itemCache keeps each story rendered once per language. A digest is
// mostly its stories, and an edition's thousands of distinct digests share
// the same few hundred: rendering each story once makes a digest little
// more than joining cached pieces.
type itemCache struct {
	mu sync.Mutex
	m  map[[sha256.Size]byte]renderedItem
}

func newItemCache() *itemCache {
	return &itemCache{m: make(map[[sha256.Size]byte]renderedItem)}
}

// get returns the story renderer for lang.
func (c *itemCache) get(r *Renderer, lang string, s ui) func(Item, bool) (renderedItem, error) {
	return func(it Item, full bool) (renderedItem, error) {
		key := it.key(lang, full)
		c.mu.Lock()
		ri, ok := c.m[key]
		c.mu.Unlock()
		if ok {
			return ri, nil
		}
		ri, err := r.renderItem(newItemView(it, s, full))
		if err != nil {
			return ri, err
		}
		c.mu.Lock()
		if len(c.m) >= maxCachedItems {
			clear(c.m)
		}
		c.m[key] = ri
		c.mu.Unlock()
		return ri, nil
	}
}

// key identifies everything a story's rendering depends on.
func (it Item) key(lang string, full bool) [sha256.Size]byte {
	h := sha256.New()
	if full {
		h.Write([]byte{2})
	}
	for _, s := range []string{lang, it.Title, it.URL, it.PublishedOn, it.Summary} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	for _, t := range it.Tags {
		h.Write([]byte(t))
		h.Write([]byte{1})
	}
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k
}

func (r *Renderer) renderItem(iv itemView) (renderedItem, error) {
	var hb, tb bytes.Buffer
	if err := r.digestHTML.ExecuteTemplate(&hb, "item", iv); err != nil {
		return renderedItem{}, fmt.Errorf("render story html: %w", err)
	}
	if err := r.digestText.ExecuteTemplate(&tb, "item", iv); err != nil {
		return renderedItem{}, fmt.Errorf("render story text: %w", err)
	}
	// The HTML comes from html/template, which escaped every field. The
	// text is wrapped here, once, so wrapping the whole digest finds its
	// long lines already short.
	return renderedItem{HTML: htmltemplate.HTML(hb.String()), Text: wrapLines(tb.String(), textWidth)}, nil
}
