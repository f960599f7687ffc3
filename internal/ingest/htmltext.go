package ingest

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdigest/internal/htmltext"
)

// HTMLToText turns an HTML fragment (a feed entry's description or content)
// into plain text (package htmltext), a space wherever a block or a line
// break separated words. Whitespace is not collapsed; CleanText does that.
//
// Feeds that escape their HTML twice (&amp;lt;p&amp;gt;) are common
// enough: when the text read still holds tags of HTML's own elements, it
// is read once more, so the digest shows words, not "<p>" and a script.
func HTMLToText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s // plain text, the common case for titles
	}
	text := htmltext.Text(s, ' ', 0)
	if hasHTMLTags(text) {
		text = htmltext.Text(text, ' ', 0)
	}
	return text
}

// hasHTMLTags reports whether s holds a tag of an element HTML defines
// (<p>, </a>, <script>); "<3" or "<more>" are text.
func hasHTMLTags(s string) bool {
	if !strings.Contains(s, "<") {
		return false
	}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return false
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) != 0 {
				return true
			}
		}
	}
}
