package app_test

import (
	"html"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"newsdigest/internal/render"
)

// TestStoryCannotCarryTheReadersToken imports a feed item whose title,
// summary and link hold the token placeholder, as anyone who writes a feed
// can make them, and sends it to a reader. The reader's token (which opens
// their preferences and unsubscribes them) goes only into the digest's own
// links and List-Unsubscribe; the story, in the email and on the web
// digest page, shows the placeholder as written. The web digest, opened
// by its own view token, holds no reader's token at all.
func TestStoryCannotCarryTheReadersToken(t *testing.T) {
	t.Parallel()
	// Counting off, so the story's own link is in the mail as written
	// (with counting on it is behind a /r/ link and never in the mail).
	s := startStackEnv(t, map[string]string{"CLICK_COUNTING": "off"})
	const ph = render.TokenPlaceholder
	title := "Costa Rica: claim your prize " + ph
	link := "https://evil.example/collect?t=" + ph
	feed := `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Feed</title><link>https://evil.example/</link><description>x</description>
<item>
  <title>` + title + `</title>
  <link>` + link + `</link>
  <pubDate>Wed, 16 Dec 2020 10:00:00 GMT</pubDate>
  <description>Costa Rica: send ` + ph + ` to us.</description>
</item>
</channel></rss>`
	status, body := s.do("POST", "/api/v1/imports", "application/rss+xml", []byte(feed), true)
	if status != http.StatusOK {
		t.Fatalf("import feed: %d %s", status, body)
	}

	const reader = "reader@example.org"
	s.subscribeAndConfirm(reader, []string{"CR"})
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", stories2020, &created, http.StatusAccepted)
	if e := s.waitEdition(created.ID); e.Status != "done" || e.Sent != 1 {
		t.Fatalf("edition = %+v, want done with 1 sent", e)
	}
	digest := onlyDigest(t, s, reader, 1)
	m := unsubLink.FindStringSubmatch(digest.Header("List-Unsubscribe"))
	if m == nil {
		t.Fatalf("List-Unsubscribe = %q, want the reader's unsubscribe link", digest.Header("List-Unsubscribe"))
	}
	token := m[2]
	subject, err := new(mime.WordDecoder).DecodeHeader(digest.Header("Subject"))
	if err != nil || strings.Contains(subject, token) {
		t.Errorf("Subject %q (%v) carries the token", subject, err)
	}

	text, htmlPart := bodies(t, digest.Raw)
	text = strings.ReplaceAll(text, "\r\n", "\n")
	ownLinks := []string{"/unsubscribe/" + token, "/preferences/" + token}
	checkStory := func(where, doc string, story []string) {
		t.Helper()
		for _, want := range append(ownLinks, story...) {
			if !strings.Contains(doc, want) {
				t.Errorf("%s lacks %q", where, want)
			}
		}
		if rest := withoutOwnLinks(doc, token, created.ID); strings.Contains(rest, token) {
			i := strings.Index(rest, token)
			t.Errorf("%s has the reader's token outside its own links: …%s…", where, rest[max(0, i-80):i+len(token)])
		}
	}
	checkStory("HTML part", htmlPart, []string{
		`href="` + link + `"`, ">" + html.EscapeString(title) + "</a>", "send " + ph + " to us.",
	})
	checkStory("text part", text, []string{"* " + title + "\n", "\n  " + link + "\n", "send " + ph + " to us."})

	// The web digest is opened by the link the email gives it.
	view := digestLink.FindString(text)
	if view == "" {
		t.Fatalf("the digest has no link to the web digest:\n%s", text)
	}
	resp, err := http.Get(s.base + view)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("web digest: status %d", resp.StatusCode)
	}
	for _, want := range []string{`href="` + link + `"`, ">" + html.EscapeString(title) + "</a>", "send " + ph + " to us."} {
		if !strings.Contains(string(page), want) {
			t.Errorf("web digest lacks %q", want)
		}
	}
	if strings.Contains(string(page), token) || strings.Contains(string(page), "/preferences/") || strings.Contains(string(page), "/unsubscribe/") {
		t.Errorf("the web digest, which anyone with its link may open, carries the reader's token or links")
	}
}

// withoutOwnLinks removes from doc the digest's own links that carry token
// (unsubscribe, preferences, web view), whatever the base URL.
func withoutOwnLinks(doc, token string, edition int64) string {
	own := regexp.MustCompile(`/(unsubscribe|preferences|digest/` + itoa(edition) + `)/` + regexp.QuoteMeta(token))
	return own.ReplaceAllString(doc, "")
}
