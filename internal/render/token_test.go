package render

import (
	"strings"
	"testing"
)

// leakDigest is a digest whose content (stories, a section title, the list
// name) carries TokenPlaceholder, as a feed item may, and links to the web
// view.
func leakDigest(lang string, full bool) Digest {
	d := testDigest(lang)
	d.ListName = "Digest " + TokenPlaceholder
	d.Sections = append(d.Sections, Section{Title: "Feed " + TokenPlaceholder, Items: []Item{{
		Title:       "Click <here> " + TokenPlaceholder,
		Summary:     "Your token is " + TokenPlaceholder + " & more.",
		URL:         "https://evil.example/?t=" + TokenPlaceholder,
		PublishedOn: "2026-11-27",
		Tags:        []string{"Tag " + TokenPlaceholder},
	}}})
	// A story without a URL of its own links to itself on the web view,
	// with the reader's token, in an email.
	d.Sections[1].Items[0].Anchor = "story-9"
	d.Omitted = 4
	d.ViewURL = "https://news.example.org/digest/7/" + TokenPlaceholder
	d.Full = full
	return d
}

// TestTokenOnlyInTheDigestsLinks: WithToken puts the token in the
// unsubscribe, preferences and web view links (a story's included) and
// nowhere else; every
// placeholder a story brought comes out as written, escaped as usual, by
// frames and by executing the templates alike.
func TestTokenOnlyInTheDigestsLinks(t *testing.T) {
	const token = "tokREADERsecret_1"
	links := []string{
		"https://news.example.org/unsubscribe/" + token,
		"https://news.example.org/preferences/" + token,
		"https://news.example.org/digest/7/" + token,
	}
	for _, framed := range []bool{true, false} {
		for _, full := range []bool{false, true} {
			r := mustNew(t)
			if !r.framed {
				t.Fatal("the shipped templates do not fill frames")
			}
			r.framed = framed
			m := mustDigest(t, r, leakDigest("en", full))
			storyLinks := 1 // the story that links to the web view
			if full {
				storyLinks = 0 // on the web view, it is on the page
			}
			p := m.WithToken(token)
			if p.Subject != m.Subject || !strings.Contains(p.Subject, TokenPlaceholder) {
				t.Errorf("framed %v: subject %q, want %q unchanged", framed, p.Subject, m.Subject)
			}
			for _, c := range []struct {
				part          string
				body, after   string
				tokens, links int
				content       []string
			}{
				{"HTML", m.HTML, p.HTML, len(m.HTMLTokens), 4 + storyLinks, []string{ // the web view is linked twice
					`href="https://evil.example/?t=` + TokenPlaceholder + `"`,
					`>Click &lt;here&gt; ` + TokenPlaceholder + `</a>`,
					"Your token is " + TokenPlaceholder + " &amp; more.",
					">Feed " + TokenPlaceholder + "</h2>",
					">Digest " + TokenPlaceholder + "</h1>",
					"<title>7 new stories: Mexico, Regional and Feed " + TokenPlaceholder + "</title>",
				}},
				{"text", m.Text, p.Text, len(m.TextTokens), 4 + storyLinks, []string{ // so is it in the text
					"* Click <here> " + TokenPlaceholder + "\n",
					"  https://evil.example/?t=" + TokenPlaceholder + "\n",
					"Your token is " + TokenPlaceholder + " & more.",
					"Feed " + TokenPlaceholder + "\n",
				}},
			} {
				if c.tokens != c.links || strings.Count(c.after, token) != c.links {
					t.Errorf("framed %v full %v: %s has %d token offsets and %d tokens, want %d", framed, full, c.part, c.tokens, strings.Count(c.after, token), c.links)
				}
				for _, l := range links {
					if !strings.Contains(c.after, l) {
						t.Errorf("framed %v full %v: %s lacks %s", framed, full, c.part, l)
					}
				}
				for _, s := range c.content {
					if !strings.Contains(c.after, s) {
						t.Errorf("framed %v full %v: %s lacks the story's own %q", framed, full, c.part, s)
					}
				}
				if got, want := strings.Count(c.after, TokenPlaceholder), strings.Count(c.body, TokenPlaceholder)-c.links; got != want || got < len(c.content) {
					t.Errorf("framed %v full %v: %s keeps %d placeholders, want %d", framed, full, c.part, got, want)
				}
				if strings.Contains(c.body, r.tokenMark) {
					t.Errorf("framed %v full %v: %s gives away the token mark", framed, full, c.part)
				}
			}
		}
	}
}

// TestTokenMarkIsSecret: every renderer has its own mark, which is neither
// the placeholder nor anything escaping could change.
func TestTokenMarkIsSecret(t *testing.T) {
	a, b := mustNew(t), mustNew(t)
	if a.tokenMark == b.tokenMark {
		t.Errorf("two renderers share the token mark %q", a.tokenMark)
	}
	for _, mark := range []string{a.tokenMark, b.tokenMark} {
		if mark == TokenPlaceholder || len(mark) != len(TokenPlaceholder) || strings.Trim(mark, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			t.Errorf("token mark %q: want %d upper-case letters other than the placeholder", mark, len(TokenPlaceholder))
		}
	}
}

// TestWithTokenRefusesForeignOffsets: offsets that do not hold the
// placeholder are a bug, not something to splice a token into.
func TestWithTokenRefusesForeignOffsets(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("WithToken accepted an offset off the placeholder")
		}
	}()
	Message{HTML: "<a href=x>" + TokenPlaceholder + "</a>", HTMLTokens: []int{1}}.WithToken("tok")
}
