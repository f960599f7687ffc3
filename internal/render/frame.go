package render

import (
	"hash/maphash"
	"strings"
	"sync"
)

// An edition's digests differ in few places: the subject, the preheader,
// the intro line, the "view all" label and the stories. The rest of the layout (header,
// footer, the markup of each section around its stories) is the same for
// thousands of them. So the layout and each section heading are executed
// once with markers where those parts go, split at the markers into a
// frame, and a digest is its frames filled in: joining strings instead of
// walking templates.
//
// A frame is only used if it renders exactly what executing the templates
// does: New compares the two on a sample digest and keeps executing the
// templates if a template uses a part in a way a frame cannot reproduce
// (transforming it, or escaping it for a script or a URL).

// The markers: letters only, so that no escaping in any context alters them.
const (
	markSubject   = "NDFRAMEMARKSUBJECT"
	markPreheader = "NDFRAMEMARKPREHEADER"
	markIntro     = "NDFRAMEMARKINTRO"
	markViewAll   = "NDFRAMEMARKVIEWALL"
	markBody      = "NDFRAMEMARKBODY" // the sections of a digest, the stories of a section
)

// frameMarks are the markers a frame is split at, in the order of the
// parts; the last is the renderer's view mark (render.go), random, where
// the digest's view URL goes.
func frameMarks(viewMark string) []string {
	return []string{markSubject, markPreheader, markIntro, markViewAll, markBody, viewMark}
}

// The parts a frame is filled with, in the order of frameMarks.
const (
	partSubject = iota
	partPreheader
	partIntro
	partViewAll
	partBody
	partView // escaped as a link's href in the HTML
	nParts
)

// frame is a template's output split at the markers: lits[0], the part
// slots[0], lits[1], … lits[len(slots)].
type frame struct {
	lits  []string
	slots []int
}

func newFrame(out string, marks []string) frame {
	var f frame
	for {
		at, part := -1, 0
		for i, m := range marks {
			if j := strings.Index(out, m); j >= 0 && (at < 0 || j < at) {
				at, part = j, i
			}
		}
		if at < 0 {
			f.lits = append(f.lits, out)
			return f
		}
		f.lits = append(f.lits, out[:at])
		f.slots = append(f.slots, part)
		out = out[at+len(marks[part]):]
	}
}

// fill writes the frame with parts in its slots; the body, being the bulk,
// is written by body straight into b.
func (f frame) fill(b *strings.Builder, parts *[nParts]string, body func(*strings.Builder)) {
	for i, lit := range f.lits {
		if i > 0 {
			if slot := f.slots[i-1]; slot == partBody {
				body(b)
			} else {
				b.WriteString(parts[slot])
			}
		}
		b.WriteString(lit)
	}
}

// size is the length of the frame filled with parts and a body of bodyLen.
func (f frame) size(parts *[nParts]string, bodyLen int) int {
	n := 0
	for _, lit := range f.lits {
		n += len(lit)
	}
	for _, slot := range f.slots {
		if slot == partBody {
			n += bodyLen
		} else {
			n += len(parts[slot])
		}
	}
	return n
}

// framePair is one layout or section frame in both formats.
type framePair struct{ html, text frame }

// frameCache keeps frames by what they were rendered from. An edition needs
// one layout frame per language and one section frame per heading.
type frameCache struct {
	seed maphash.Seed
	mu   sync.Mutex
	m    map[uint64]*framePair
}

// maxFrames bounds the cache; past it, it starts again.
const maxFrames = 1024

func newFrameCache() *frameCache {
	return &frameCache{seed: maphash.MakeSeed(), m: make(map[uint64]*framePair)}
}

// get returns the frame with key, made by build on first use.
func (c *frameCache) get(key uint64, build func() (*framePair, error)) (*framePair, error) {
	c.mu.Lock()
	f := c.m[key]
	c.mu.Unlock()
	if f != nil {
		return f, nil
	}
	f, err := build()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.m) >= maxFrames {
		clear(c.m)
	}
	c.m[key] = f
	c.mu.Unlock()
	return f, nil
}

// key hashes the strings a frame depends on.
func (c *frameCache) key(kind string, fields ...string) uint64 {
	var h maphash.Hash
	h.SetSeed(c.seed)
	h.WriteString(kind)
	for _, s := range fields {
		h.WriteByte(0)
		h.WriteString(s)
	}
	return h.Sum64()
}

// htmlText escapes a string as html/template does in text and quoted
// attributes, so that a filled frame is byte for byte what executing the
// template gives.
var htmlText = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// present marks a part in a frame's view if it is there: templates may test
// whether a part is empty, so its frame must take the same branch.
func present(s, mark string) string {
	if s == "" {
		return ""
	}
	return mark
}

// flag is the frame key's record of whether a part is present.
func flag(present bool) string {
	if present {
		return "1"
	}
	return "0"
}

// layoutFrame returns the frame of v's layout. Each group's digest has a
// view URL of its own (its view token): the frame has a part for it, so
// that one frame serves every group of a language instead of one per
// group.
func (r *Renderer) layoutFrame(v digestView) (*framePair, error) {
	f := v.Footer
	key := r.frames.key("layout", v.Lang, v.ListName, v.Date, flag(v.ViewURL != ""),
		f.Why, f.PreferencesLabel, f.PreferencesURL, f.UnsubscribeLabel, f.UnsubscribeURL, strings.Join(f.Postal, "\n"),
		flag(v.Subject != ""), flag(v.Preheader != ""), flag(v.Intro != ""), flag(v.ViewAll != ""), flag(len(v.Sections) > 0))
	return r.frames.get(key, func() (*framePair, error) {
		fv := v
		if v.ViewURL != "" {
			fv.ViewURL = r.viewMark
		}
		fv.Subject = present(v.Subject, markSubject)
		fv.Preheader = present(v.Preheader, markPreheader)
		fv.Intro = present(v.Intro, markIntro)
		fv.ViewAll = present(v.ViewAll, markViewAll)
		fv.Sections = nil
		if len(v.Sections) > 0 {
			fv.Sections = []renderedItem{{HTML: markBody, Text: markBody}}
		}
		m, err := r.executeRaw("digest", r.digestHTML, r.digestText, "layout", fv)
		if err != nil {
			return nil, err
		}
		// The frames keep their token marks: the stories that link to
		// the web digest hold marks too, so the tokens are placed in the
		// whole digest once it is filled (and its text tidied).
		return &framePair{html: newFrame(m.HTML, r.marks), text: newFrame(m.Text, r.marks)}, nil
	})
}

// sectionFrame returns the frame of a section with title.
func (r *Renderer) sectionFrame(lang, title string, empty bool) (*framePair, error) {
	key := r.frames.key("section", lang, title, flag(empty))
	return r.frames.get(key, func() (*framePair, error) {
		sv := sectionView{Title: title}
		if !empty {
			sv.Items = []renderedItem{{HTML: markBody, Text: markBody}}
		}
		m, err := r.executeRaw("section", r.digestHTML, r.digestText, "section", sv)
		if err != nil {
			return nil, err
		}
		return &framePair{html: newFrame(m.HTML, r.marks), text: newFrame(m.Text, r.marks)}, nil
	})
}

// viewFill is a digest's view URL: href escaped as a link's, for the
// HTML, text as it is, and mark, what its pieces hold where it goes. Nil
// leaves the marks (a section: its digest fills them).
type viewFill struct{ mark, href, text string }

// fillWith fills both formats of fp with parts (escaped in the HTML),
// view's URL in partView, and, as the body, the pieces one after
// another, with view's URL where they hold its mark. A piece that is a
// section still to be laid out (framedSection) is filled in place.
func (fp *framePair) fillWith(parts [nParts]string, body []renderedItem, view *viewFill) (html, text string) {
	if view == nil {
		view = &viewFill{}
	}
	parts[partView] = view.text
	escaped := parts
	for i := range partBody {
		escaped[i] = htmlText.Replace(parts[i])
	}
	escaped[partView] = view.href
	htmlLen, textLen := 0, 0
	for _, p := range body {
		htmlLen += p.htmlLen()
		textLen += p.textLen()
	}
	var hb, tb strings.Builder
	hb.Grow(fp.html.size(&escaped, htmlLen))
	fp.html.fill(&hb, &escaped, func(b *strings.Builder) { writeHTMLPieces(b, body, view) })
	tb.Grow(fp.text.size(&parts, textLen))
	fp.text.fill(&tb, &parts, func(b *strings.Builder) { writeTextPieces(b, body, view) })
	return hb.String(), tb.String()
}

// noParts fill a section's frame: its heading is part of the frame, and
// its stories are its body.
var noParts [nParts]string

func writeHTMLPieces(b *strings.Builder, body []renderedItem, view *viewFill) {
	for _, p := range body {
		if p.section != nil {
			p.section.html.fill(b, &noParts, func(b *strings.Builder) { writeHTMLPieces(b, p.section.items, view) })
			continue
		}
		writePiece(b, string(p.HTML), p.hasView, view.mark, view.href)
	}
}

func writeTextPieces(b *strings.Builder, body []renderedItem, view *viewFill) {
	for _, p := range body {
		if p.section != nil {
			p.section.text.fill(b, &noParts, func(b *strings.Builder) { writeTextPieces(b, p.section.items, view) })
			continue
		}
		writePiece(b, p.Text, p.hasView, view.mark, view.text)
	}
}

// framedSec is a section of a framed digest: its frame, and its stories
// to fill it with, written straight into the digest as it is filled
// rather than into a string of their own first (a digest's sections are
// nearly all of it, and few are any other group's).
type framedSec struct {
	*framePair
	items            []renderedItem
	htmlLen, textLen int // filled
}

func (p renderedItem) htmlLen() int {
	if p.section != nil {
		return p.section.htmlLen
	}
	return len(p.HTML)
}

func (p renderedItem) textLen() int {
	if p.section != nil {
		return p.section.textLen
	}
	return len(p.Text)
}

// writePiece writes s, with url in place of mark when s has one (and
// mark is set).
func writePiece(b *strings.Builder, s string, hasView bool, mark, url string) {
	if !hasView || mark == "" {
		b.WriteString(s)
		return
	}
	for {
		i := strings.Index(s, mark)
		if i < 0 {
			b.WriteString(s)
			return
		}
		b.WriteString(s[:i])
		b.WriteString(url)
		s = s[i+len(mark):]
	}
}

// framedSection is a section to be made by filling its frame with its
// stories, as its digest is filled (framedSec).
func (r *Renderer) framedSection(lang string, sv sectionView) (renderedItem, error) {
	fp, err := r.sectionFrame(lang, sv.Title, len(sv.Items) == 0)
	if err != nil {
		return renderedItem{}, err
	}
	sec := &framedSec{framePair: fp, items: sv.Items}
	htmlLen, textLen := 0, 0
	for _, it := range sv.Items {
		htmlLen += len(it.HTML)
		textLen += len(it.Text)
	}
	sec.htmlLen, sec.textLen = fp.html.size(&noParts, htmlLen), fp.text.size(&noParts, textLen)
	return renderedItem{section: sec, hasView: anyView(sv.Items)}, nil
}

func anyView(items []renderedItem) bool {
	for _, it := range items {
		if it.hasView {
			return true
		}
	}
	return false
}

// framedDigest is a digest made by filling its layout frame with its
// sections and its view URL (viewURL, "" for none), its tokens placed.
func (r *Renderer) framedDigest(v digestView, viewURL string) (Message, error) {
	fp, err := r.layoutFrame(v)
	if err != nil {
		return Message{}, err
	}
	var view *viewFill
	if viewURL != "" {
		href, err := escapeHref(viewURL)
		if err != nil {
			return Message{}, err
		}
		view = &viewFill{mark: r.viewMark, href: href, text: viewURL}
	} else if anyView(v.Sections) {
		return Message{}, errNoViewURL
	}
	parts := [nParts]string{partSubject: v.Subject, partPreheader: v.Preheader, partIntro: v.Intro, partViewAll: v.ViewAll}
	html, text := fp.fillWith(parts, v.Sections, view)
	html, htmlTokens := r.placeTokens(html)
	text, textTokens := r.placeTokens(tidyText(text, textWidth))
	return Message{Subject: v.Subject, HTML: html, HTMLTokens: htmlTokens, Text: text, TextTokens: textTokens}, nil
}
