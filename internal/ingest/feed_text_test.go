package ingest

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"newsdigest/internal/domain"
)

// TestFeedTextEscapedTwice: a feed that escapes its HTML once more than
// it should (&amp;lt;p&amp;gt;) still gives the entry's words, not its
// tags and scripts as text for the digest to show.
func TestFeedTextEscapedTwice(t *testing.T) {
	doc := `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item>
<title>Panama &amp;lt;b&amp;gt;opens&amp;lt;/b&amp;gt; a shelter</title>
<pubDate>Wed, 16 Dec 2020 10:00:00 GMT</pubDate><link>https://news.example.org/a</link>
<description>&amp;lt;p&amp;gt;The shelter &amp;lt;a href="https://x.example"&amp;gt;opened&amp;lt;/a&amp;gt; today.&amp;lt;/p&amp;gt;&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;</description>
</item></channel></rss>`
	entries, lineErrs, err := ParseFeed(strings.NewReader(doc), "")
	if err != nil || len(lineErrs) > 0 || len(entries) != 1 {
		t.Fatalf("%v %v", lineErrs, err)
	}
	if e := entries[0]; e.Title != "Panama opens a shelter" || e.Summary != "The shelter opened today." {
		t.Errorf("title %q, summary %q; want the words without markup", e.Title, e.Summary)
	}
	// Text that only looks a little like markup stays as written.
	for in, want := range map[string]string{
		"AT&amp;T &lt;3 caf&eacute;": "AT&T <3 café",
		"a &lt; b and c &gt; d":      "a < b and c > d",
		"&lt;more&gt; to come":       "<more> to come",
	} {
		if got := HTMLToText(in); got != want {
			t.Errorf("HTMLToText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFeedLongTitle: an entry whose title is longer than an item's may
// be (some feeds put the whole post there) is clipped rather than
// refusing the whole feed at every poll: the editor cannot fix someone
// else's feed.
func TestFeedLongTitle(t *testing.T) {
	long := strings.TrimSpace(strings.Repeat("Migrants cross the Darién gap ", 40))
	doc := `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item>
<title>` + long + `</title><pubDate>Wed, 16 Dec 2020 10:00:00 GMT</pubDate><link>https://news.example.org/a</link>
</item></channel></rss>`
	store := &recordingStore{}
	im := &Importer{Store: store, Tagger: newTestTagger(t)}
	res, err := im.ImportFeed(context.Background(), strings.NewReader(doc), "")
	if err != nil || res.Imported != 1 {
		t.Fatalf("import: %+v, %v; want the entry imported", res, err)
	}
	title := store.items[0].Title
	if n := utf8.RuneCountInString(title); n > domain.MaxTitleLen || !strings.HasPrefix(title, "Migrants cross the Darién gap Migrants") ||
		!strings.HasSuffix(title, " the…") {
		t.Errorf("title of %d characters: %q", n, title)
	}
}
