package ingest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html/charset"

	"newsdigest/internal/domain"
)

// Alternate is the address of an entry in another language, as the feed
// links it: an Atom <link rel="alternate" hreflang="es" href="…"/>, or in
// RSS the same element from the Atom or XHTML namespace.
type Alternate struct {
	Language string // the hreflang, lower case: "es", "en-gb"
	URL      string // absolute http(s)
}

// Bounds on what a feed may make us keep, whoever wrote it: a story has a
// few language versions, not hundreds, and a language tag is short.
const (
	maxAlternates      = 8
	maxLanguageTagSize = 35
	maxFeedDepth       = 100 // elements open at once; real feeds nest a dozen
	// maxParseDepth is the nesting past which a document is not parsed at
	// all (nestedTooDeep); one nested past maxFeedDepth is still read,
	// without its alternates.
	maxParseDepth = 1000
)

// entryAlternates reads the hreflang alternates of every entry of an RSS
// or Atom document, in document order: what gofeed reads of an entry's
// links keeps neither rel nor hreflang. Only the links that are the
// entry's own children count (not those inside its content), only http(s)
// addresses after resolving against base, at most maxAlternates an entry.
//
// It reports false when the document cannot be read to its end, or nests
// deeper than any feed does: the entries might then not line up with
// gofeed's, and an alternate given to the wrong entry would link two
// different stories.
func entryAlternates(raw []byte, base *url.URL) ([][]Alternate, bool) {
	d := xml.NewDecoder(bytes.NewReader(raw))
	d.Strict = false // as gofeed reads feeds, so both see the same entries
	d.CharsetReader = charset.NewReaderLabel
	var (
		out     [][]Alternate
		path    []string // local names of the open elements
		inEntry = -1     // depth of the open entry, or -1
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return out, true
		}
		if err != nil {
			return nil, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			switch {
			case inEntry < 0 && isEntry(name, path):
				inEntry = len(path)
				out = append(out, nil)
			case inEntry >= 0 && len(path) == inEntry+1 && name == "link":
				last := len(out) - 1
				if a, ok := alternateOf(t, base); ok && len(out[last]) < maxAlternates &&
					!slices.Contains(out[last], a) {
					out[last] = append(out[last], a)
				}
			}
			if path = append(path, name); len(path) > maxFeedDepth {
				return nil, false
			}
		case xml.EndElement:
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
			if len(path) == inEntry {
				inEntry = -1
			}
		}
	}
}

// isEntry reports whether an element named name, opened under path, is a
// feed entry as gofeed counts them: an Atom <entry> of the <feed>, an
// RSS <item> of the <channel>, or an item at the root (RSS 0.9 and 1.0).
func isEntry(name string, path []string) bool {
	if len(path) == 0 {
		return false
	}
	parent := path[len(path)-1]
	switch name {
	case "entry":
		return parent == "feed" && len(path) == 1
	case "item":
		return parent == "channel" && len(path) == 2 || len(path) == 1 && (parent == "rss" || parent == "rdf")
	}
	return false
}

// alternateOf reads a <link> element as an alternate in another language:
// rel alternate (Atom's default), an hreflang, and an http(s) href.
func alternateOf(t xml.StartElement, base *url.URL) (Alternate, bool) {
	var rel, lang, href string
	for _, a := range t.Attr {
		switch strings.ToLower(a.Name.Local) {
		case "rel":
			rel = strings.ToLower(strings.TrimSpace(a.Value))
		case "hreflang":
			lang = strings.ToLower(strings.TrimSpace(a.Value))
		case "href":
			href = strings.TrimSpace(a.Value)
		}
	}
	if rel != "" && rel != "alternate" || !isLanguageTag(lang) || href == "" || len(href) > domain.MaxURLLen {
		return Alternate{}, false
	}
	u, err := resolve(base, href)
	if err != nil {
		return Alternate{}, false
	}
	s := u.String()
	if !domain.IsHTTPURL(s) || len(s) > domain.MaxURLLen {
		return Alternate{}, false
	}
	return Alternate{Language: lang, URL: s}, true
}

// isLanguageTag accepts what a BCP 47 tag is made of (letters, digits,
// hyphens; "es_MX" too, as feeds write it), but not "x-default", which
// names no language.
func isLanguageTag(s string) bool {
	if s == "" || len(s) > maxLanguageTagSize || s == "x-default" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// withoutURL leaves out of alts the entry's own link: a feed often lists
// the entry itself among its alternates, with its own hreflang.
func withoutURL(alts []Alternate, self string) []Alternate {
	var out []Alternate
	for _, a := range alts {
		if a.URL != self {
			out = append(out, a)
		}
	}
	return out
}

// otherLanguages returns the addresses of the alternates in the digest's
// languages other than lang: what links the item to its translations.
func otherLanguages(alts []Alternate, lang string) []string {
	var out []string
	for _, a := range alts {
		if l := feedLanguage(a.Language); l != "" && l != lang {
			out = append(out, a.URL)
		}
	}
	return out
}

// nestedTooDeep reports whether an XML document opens more than
// maxParseDepth elements at once. The feed parser spends hundreds of bytes
// of memory per byte of such a document, so it is looked at first, with
// a reader whose cost is the document's size. A document that is not XML
// (a JSON Feed) or stops being readable is left to the parser to judge.
func nestedTooDeep(raw []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(raw))
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	depth := 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			return false
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxParseDepth {
				return true
			}
		case xml.EndElement:
			depth--
		}
	}
}
