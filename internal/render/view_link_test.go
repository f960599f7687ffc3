package render

import (
	"strings"
	"testing"
)

// TestDigestTextEndsWithItsWebLink: as the HTML part does, the text part
// gives the link to the web digest again after its last story, so that a
// reader at the end of a long digest finds the stories it left out
// without scrolling back to the top.
func TestDigestTextEndsWithItsWebLink(t *testing.T) {
	r := mustNew(t)
	for _, lang := range []string{"en", "es", "fr"} {
		for _, omitted := range []int{0, 34} {
			d := testDigest(lang)
			d.ViewURL = "https://news.example.org/digest/7/abc"
			d.Sections[1].Items[0].Anchor = "story-2"
			d.Omitted = omitted
			m := mustDigest(t, r, d)
			body, _, ok := strings.Cut(m.Text, "\n----------")
			if !ok {
				t.Fatalf("%s: the text part has no footer rule:\n%s", lang, m.Text)
			}
			top, rest, _ := strings.Cut(body, "\n* ")
			lines := strings.Split(top, "\n")
			var label string // the line before the link, as the top gives it
			for i, l := range lines {
				if l == d.ViewURL && i > 0 {
					label = lines[i-1]
				}
			}
			if label == "" {
				t.Fatalf("%s: the text part does not start with the web link:\n%s", lang, m.Text)
			}
			lastStory := rest[strings.LastIndex(rest, "\n* ")+1:]
			if !strings.HasSuffix(strings.TrimSpace(lastStory), label+"\n"+d.ViewURL) {
				t.Errorf("%s, %d left out: the text part's stories end without %q:\n%s", lang, omitted, label, body)
			}
		}
	}
}
