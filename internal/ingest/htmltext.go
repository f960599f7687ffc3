package ingest

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTMLToText turns an HTML fragment (a feed entry's description or content)
// into plain text: tags dropped, entities decoded, the contents of scripts,
// styles and the like left out, and a space wherever a block or a line
// break separated words. Whitespace is not collapsed; CleanText does that.
//
// It is our own few lines on x/net/html rather than a sanitiser such as
// bluemonday: the result is never HTML (templates escape it), so only the
// text is wanted, and a sanitiser's strict policy would glue "<p>a</p><p>b"
// into "ab" and leave entities encoded.
func HTMLToText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s // plain text, the common case for titles
	}
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
			case skipped[a] && tt == html.StartTagToken:
				skip++
			case skipped[a] && tt == html.EndTagToken && skip > 0:
				skip--
			case separates[a]:
				b.WriteByte(' ')
			}
		}
	}
}

// skipped elements hold code, metadata or embedded documents, not text a
// reader should see in a summary.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Head: true, atom.Title: true, atom.Iframe: true, atom.Object: true,
	atom.Svg: true, atom.Math: true, atom.Select: true, atom.Textarea: true,
}

// separates lists the elements that end a word: blocks, line breaks and
// table cells. Inline elements (a, em, span) do not, so "<b>Hon</b>duras"
// stays one word.
var separates = map[atom.Atom]bool{
	atom.Br: true, atom.Hr: true, atom.P: true, atom.Div: true, atom.Li: true,
	atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Blockquote: true, atom.Pre: true, atom.Table: true, atom.Tr: true, atom.Td: true,
	atom.Th: true, atom.Section: true, atom.Article: true, atom.Header: true,
	atom.Footer: true, atom.Figure: true, atom.Figcaption: true, atom.Img: true,
	atom.Address: true, atom.Aside: true, atom.Nav: true, atom.Main: true,
}
