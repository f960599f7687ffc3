package render

import (
	"strings"
	"testing"
)

// TestStoriesRenderedOnceAcrossGroups: each group's digest has a view URL
// of its own. A story with a source of its own is rendered once and
// reused by every group; one without links to the story on its group's
// web digest, so it is rendered for that group and not cached, where it
// would crowd out the stories that are shared.
func TestStoriesRenderedOnceAcrossGroups(t *testing.T) {
	r := mustNew(t)
	cached := -1
	for _, view := range []string{"first-group", "second-group", "third-group"} {
		d := testDigest("en") // Mexico's story has a URL, the regional one has not
		d.ViewURL = "https://news.example.org/digest/1/" + view
		d.Sections[1].Items[0].Anchor = "story-2"
		m := mustDigest(t, r, d)
		if want := d.ViewURL + "#story-2"; !strings.Contains(m.HTML, `href="`+want+`"`) || !strings.Contains(m.Text, want) {
			t.Errorf("group %s: the story without a URL does not link to %s:\n%s", view, want, m.Text)
		}
		for _, other := range []string{"first-group", "second-group", "third-group"} {
			if other != view && strings.Contains(m.HTML+m.Text, other) {
				t.Errorf("group %s's digest links to group %s's web digest", view, other)
			}
		}
		r.frags.mu.Lock()
		n := len(r.frags.m)
		r.frags.mu.Unlock()
		if cached >= 0 && n != cached {
			t.Errorf("group %s: %d fragments cached after it, %d after the group before: a group's digest cached stories of its own", view, n, cached)
		}
		cached = n
	}
}
