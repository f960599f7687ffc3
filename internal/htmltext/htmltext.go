// Package htmltext reads the words out of HTML: a feed entry's
// description, a bounce notice that came as HTML alone.
//
// It is a few lines on x/net/html's tokenizer rather than a sanitiser
// such as bluemonday: the result is never HTML (templates escape it), so
// only the text is wanted, and a sanitiser's strict policy would glue
// "<p>a</p><p>b" into "ab" and leave entities encoded. The tokenizer
// reads its input once from start to end whatever it holds: an unclosed
// <script> or a run of tags that never close costs no more than the same
// bytes of text.
package htmltext

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Text is the text of s: tags dropped, entities decoded, the contents of
// scripts, styles and the like left out. A block or a line break ends
// with block ('\n' keeps lines apart, ' ' only words), a table cell with
// a space; any other tag with inline (0 for nothing, so "<b>Hon</b>duras" stays one
// word). Whitespace is not collapsed.
func Text(s string, block, inline byte) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0 // depth inside elements whose text is not prose
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			// io.EOF or a broken fragment: either way, the text so far.
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case a == atom.Body && tt == html.StartTagToken:
				// HTML lets <head> go unclosed: the body is text whatever
				// came before it.
				skip = 0
			case skipped[a] && tt == html.StartTagToken:
				skip++
			case skipped[a] && tt == html.EndTagToken && skip > 0:
				skip--
			case separates[a]:
				b.WriteByte(block)
			case a == atom.Td || a == atom.Th:
				b.WriteByte(' ') // a row's cells are one line
			case inline != 0:
				b.WriteByte(inline)
			}
		}
	}
}

// skipped elements hold code, metadata or embedded documents, not text a
// reader should see.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Head: true, atom.Title: true, atom.Iframe: true, atom.Object: true,
	atom.Svg: true, atom.Math: true, atom.Select: true, atom.Textarea: true,
}

// separates lists the elements that end a line: blocks, line breaks and
// table rows.
var separates = map[atom.Atom]bool{
	atom.Br: true, atom.Hr: true, atom.P: true, atom.Div: true, atom.Li: true,
	atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Blockquote: true, atom.Pre: true, atom.Table: true, atom.Tr: true,
	atom.Section: true, atom.Article: true, atom.Header: true,
	atom.Footer: true, atom.Figure: true, atom.Figcaption: true, atom.Img: true,
	atom.Address: true, atom.Aside: true, atom.Nav: true, atom.Main: true,
}
