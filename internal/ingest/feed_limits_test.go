package ingest

import (
	"strings"
	"testing"

	"newsdigest/internal/errs"
)

// TestParseFeedRefusesDeepNesting: elements nested hundreds of thousands
// deep, which no feed has, cost the feed parser hundreds of bytes of
// memory per byte of document (a 4 MiB one took nearly a gigabyte);
// such a document is refused before it is parsed, saying why.
func TestParseFeedRefusesDeepNesting(t *testing.T) {
	const n = 50000
	doc := `<?xml version="1.0"?><rss version="2.0" xmlns:x="http://example.org/x"><channel><title>x</title>` +
		`<item><title>t</title><pubDate>Wed, 16 Dec 2020 10:00:00 GMT</pubDate>` +
		strings.Repeat("<x:a>", n) + strings.Repeat("</x:a>", n) + `</item></channel></rss>`
	entries, _, err := ParseFeed(strings.NewReader(doc), "")
	if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "nested more than 1000") || entries != nil {
		t.Errorf("%d entries, %v; want refused as nested too deep", len(entries), err)
	}
	// A feed's ordinary nesting, XHTML content included, is read.
	ok := `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><entry><title>t</title>` +
		`<updated>2020-12-16T10:00:00Z</updated><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">` +
		strings.Repeat("<div>", 40) + "text" + strings.Repeat("</div>", 40) + `</div></content></entry></feed>`
	if entries, lineErrs, err := ParseFeed(strings.NewReader(ok), ""); err != nil || len(lineErrs) > 0 || len(entries) != 1 {
		t.Errorf("nested 40 deep: %d entries, %v, %v", len(entries), lineErrs, err)
	}
}
