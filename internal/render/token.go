package render

import (
	"crypto/rand"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"strings"

	"newsdigest/internal/token"
)

// A digest's stories come from public feeds, so any of them may contain
// TokenPlaceholder: replacing every occurrence of it would hand each reader's
// token to whoever wrote the story. Only the places where the templates put
// a link of the digest's own get the token. To find those, the renderer
// writes the digest's links with a mark of its own instead of the
// placeholder: random letters that never leave the process, so no story can
// hold them. Whatever the output holds of the mark after rendering is a
// template's doing, and becomes the placeholder at a recorded offset.

// newTokenMark returns a mark as long as TokenPlaceholder, so that the text
// part wraps exactly as it will with the placeholder. Upper-case letters
// only, which no HTML, URL or text escaping changes. 18 of them are some 84
// bits: beyond guessing.
func newTokenMark() string {
	b := make([]byte, len(TokenPlaceholder))
	rand.Read(b) // never returns an error (crypto/rand)
	for i := range b {
		b[i] = 'A' + b[i]%26
	}
	return string(b)
}

// markTokens puts r's mark where link has the placeholder.
func (r *Renderer) markTokens(link string) string {
	return strings.ReplaceAll(link, TokenPlaceholder, r.tokenMark)
}

// placeTokens returns out with TokenPlaceholder where r's mark was, and the
// offsets at which it now stands.
func (r *Renderer) placeTokens(out string) (string, []int) {
	i := strings.Index(out, r.tokenMark)
	if i < 0 {
		return out, nil
	}
	var b strings.Builder
	b.Grow(len(out)) // the mark and the placeholder are the same length
	var at []int
	for i >= 0 {
		b.WriteString(out[:i])
		at = append(at, b.Len())
		b.WriteString(TokenPlaceholder)
		out = out[i+len(r.tokenMark):]
		i = strings.Index(out, r.tokenMark)
	}
	b.WriteString(out)
	return b.String(), at
}

// splice returns s with token in place of the placeholder at each offset in
// at. Offsets that do not hold the placeholder mean the Message was not made
// by a Renderer (or was changed since), which is a programming error.
func splice(s string, at []int, tok string) string {
	out, ok := token.Splice(s, at, TokenPlaceholder, tok)
	if !ok {
		panic(fmt.Sprintf("render: no token placeholder at offsets %v", at))
	}
	return out
}

// markStoryTokens returns sections with r's mark where the stories' own
// links to the reader's pages (FewerURL) have the placeholder; sections
// without such links are returned as they are, uncopied.
func (r *Renderer) markStoryTokens(sections []Section) []Section {
	var out []Section
	for i, sec := range sections {
		for j, it := range sec.Items {
			if !strings.Contains(it.FewerURL, TokenPlaceholder) {
				continue
			}
			if out == nil {
				out = make([]Section, len(sections))
				copy(out, sections)
			}
			if &out[i].Items[0] == &sections[i].Items[0] {
				out[i].Items = append([]Item(nil), sec.Items...)
			}
			out[i].Items[j].FewerURL = r.markTokens(it.FewerURL)
		}
	}
	if out == nil {
		return sections
	}
	return out
}

// hrefTemplate escapes a URL as the templates escape a link's href.
var hrefTemplate = htmltemplate.Must(htmltemplate.New("href").Parse(`<a href="{{.}}">`))

// placeViewURL puts the digest's view URL where a digest made by
// executing the templates holds r's view mark (fragments.item; a framed
// digest places it as it is filled, framedDigest): escaped in the HTML
// as the templates escape a link, as it is in the text. Like the token's
// mark, the view mark is random and never leaves the process, so no story
// can hold it.
func (r *Renderer) placeViewURL(html, text, viewURL string) (string, string, error) {
	if !strings.Contains(html, r.viewMark) && !strings.Contains(text, r.viewMark) {
		return html, text, nil
	}
	if viewURL == "" {
		return "", "", errNoViewURL
	}
	href, err := escapeHref(viewURL)
	if err != nil {
		return "", "", err
	}
	return strings.ReplaceAll(html, r.viewMark, href), strings.ReplaceAll(text, r.viewMark, viewURL), nil
}

var errNoViewURL = errors.New("render digest: a story links to the web digest, but the digest has no view URL")

// escapeHref is u as the templates write it in a link's href.
func escapeHref(u string) (string, error) {
	var b strings.Builder
	if err := hrefTemplate.Execute(&b, u); err != nil {
		return "", fmt.Errorf("render digest: view URL: %w", err)
	}
	return strings.TrimSuffix(strings.TrimPrefix(b.String(), `<a href="`), `">`), nil
}
