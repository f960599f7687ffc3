package ingest

import (
	"strings"

	"newsdigest/internal/htmltext"
)

// HTMLToText turns an HTML fragment (a feed entry's description or content)
// into plain text (package htmltext), a space wherever a block or a line
// break separated words. Whitespace is not collapsed; CleanText does that.
func HTMLToText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s // plain text, the common case for titles
	}
	return htmltext.Text(s, ' ', 0)
}
