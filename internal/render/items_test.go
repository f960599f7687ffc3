package render

import (
	"strings"
	"testing"
)

// TestStoriesRenderedOnceAcrossGroups: each group's digest has a view URL
// of its own. Every story is rendered once and reused by every group, a
// story without a source of its own too: it links to the story on its
// group's web digest, which is put in after (placeViewURL), escaped in
// the HTML as the templates escape a link. So is the layout around the
// stories, whose link to the whole digest is the group's.
func TestStoriesRenderedOnceAcrossGroups(t *testing.T) {
	r := mustNew(t)
	views := map[string]string{ // view URL: its href in the HTML
		"https://news.example.org/digest/1/first":  "https://news.example.org/digest/1/first",
		"https://news.example.org/digest/1/second": "https://news.example.org/digest/1/second",
		"https://news.example.org/digest/1/é&x":    "https://news.example.org/digest/1/%c3%a9&amp;x",
	}
	cached, frames := -1, -1
	for view, href := range views {
		d := testDigest("en") // Mexico's story has a URL, the regional one has not
		d.ViewURL = view
		d.Sections[1].Items[0].Anchor = "story-2"
		m := mustDigest(t, r, d)
		if !strings.Contains(m.HTML, `href="`+href+`#story-2"`) || !strings.Contains(m.Text, view+"#story-2") {
			t.Errorf("group %s: the story without a URL does not link to its web digest:\n%s\n%s", view, m.HTML, m.Text)
		}
		if !strings.Contains(m.HTML, `href="`+href+`"`) || !strings.Contains(m.Text, view+"\n") {
			t.Errorf("group %s: the digest does not link to its whole digest on the web:\n%s\n%s", view, m.HTML, m.Text)
		}
		for other := range views {
			if other != view && strings.Contains(m.HTML+m.Text, other) {
				t.Errorf("group %s's digest links to group %s's web digest", view, other)
			}
		}
		if strings.Contains(m.HTML+m.Text, r.viewMark) {
			t.Errorf("group %s's digest holds the view mark", view)
		}
		r.frags.mu.Lock()
		n := len(r.frags.m)
		r.frags.mu.Unlock()
		r.frames.mu.Lock()
		f := len(r.frames.m)
		r.frames.mu.Unlock()
		for _, c := range []struct {
			now   int
			last  *int
			what  string
			again string
		}{{n, &cached, "fragments cached", "rendered stories of its own"}, {f, &frames, "frames", "laid out its frame again"}} {
			if *c.last >= 0 && c.now != *c.last {
				t.Errorf("group %s: %d %s after it, %d after the group before: a group's digest %s", view, c.now, c.what, *c.last, c.again)
			}
			*c.last = c.now
		}
	}
}
