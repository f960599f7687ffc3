package app_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/mail"
)

// postItem stores a story through the API and returns its id.
func (s *stack) postItem(item map[string]any) int64 {
	s.t.Helper()
	var got struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/items", item, &got, http.StatusCreated)
	return got.ID
}

// longStory is a story as long as the API takes in every field the mail
// shows, in a language whose letters take two bytes and whose text
// escapes in HTML: a week of them would make a mail Gmail clips.
func longStory(i int, day string, topics []string) map[string]any {
	title := fmt.Sprintf("Story %02d: ", i) + strings.Repeat("Migración & «tránsito» — ", 19)
	summary := strings.Repeat("Niñas, niños y adolescentes en tránsito & familias desplazadas. ", 40)
	return map[string]any{
		"published_on": day, "title": title[:480], "summary": summary,
		"url":       "https://news.example.org/" + strings.Repeat("a", 1800) + fmt.Sprintf("/%d", i),
		"language":  "es",
		"countries": []string{"CR", "HN", "GT", "SV", "NI", "PA", "MX", "BZ", "DO", "HT", "CU", "JM", "CO", "VE", "EC", "PE", "BO", "CL", "AR", "UY", "PY", "BR", "US", "CA"},
		"topics":    topics,
	}
}

var storyTitle = regexp.MustCompile(`(?m)^\* Story (\d\d):`)

// TestDigestStaysUnderGmailClip: a week of 40 long stories for a reader
// of Costa Rica and health would make a mail of far more than 102 KB
// with the 30-story cap. Every message sent is under mail.ClipBytes
// (102,000 bytes, the stricter reading of Gmail's 102 KB: 102 × 1,024 is
// 104,448), measured on the whole message as received; it still has its
// unsubscribe link, and links the stories it leaves out on the web ("N
// more stories on the web"). What stays is the top of the ranking: the
// featured story first, then those that meet both of the reader's
// choices (health), then the newest.
func TestDigestStaysUnderGmailClip(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, oldStories)
	readers := []string{"lectora@example.org", "a.much.longer.address.of.another.reader@example.org"}
	csv := "email,countries,topics,language\n"
	for _, r := range readers {
		csv += r + ",CR,health,es\n"
	}
	if status, got := s.importCSV(csv); status != http.StatusOK || got.Imported != 2 {
		t.Fatalf("import the readers: %d %+v", status, got)
	}
	var ids []int64
	for i := range 40 {
		var topics []string
		if i%4 == 0 {
			topics = []string{"health"} // stories 0, 4, 8, …: two matches
		}
		day := time.Date(2026, 1, 1+i%28, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
		ids = append(ids, s.postItem(longStory(i, day, topics)))
	}
	// Story 01 is old and meets one choice: featured, it leads anyway.
	until := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	s.jsonCall("PATCH", "/api/v1/items/"+itoa(ids[1]), map[string]any{"featured_until": until}, nil, http.StatusOK)

	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", nil, &created, http.StatusAccepted)
	if e := s.waitEdition(created.ID); e.Status != "done" || e.Sent != 2 {
		t.Fatalf("edition: %+v", e)
	}
	for _, r := range readers {
		msgs := s.smtp.To(r)
		if len(msgs) != 1 {
			t.Fatalf("%s got %d messages", r, len(msgs))
		}
		raw := msgs[0].Raw
		if len(raw) >= mail.ClipBytes {
			t.Errorf("%s: the message has %d bytes, not under %d", r, len(raw), mail.ClipBytes)
		}
		t.Logf("%s: %d bytes", r, len(raw))
		text, html := bodies(t, raw)
		tok, view := s.digestLinks(r)
		if !strings.Contains(html, "/unsubscribe/"+tok) || !strings.Contains(text, "/unsubscribe/"+tok) {
			t.Errorf("%s: the unsubscribe link is not in the message", r)
		}
		got := storyTitle.FindAllStringSubmatch(text, -1)
		if len(got) >= 30 || len(got) < 5 {
			t.Fatalf("%s: the mail holds %d stories; want fewer than the cap of 30 (trimmed to fit), and some", r, len(got))
		}
		more := fmt.Sprintf("%d noticias más en la web", 40-len(got))
		if !strings.Contains(text, more+":\r\n"+s.base+view) || !strings.Contains(html, more+"</a>") {
			i := strings.Index(text, "en la web")
			t.Errorf("%s: no %q link to the web digest %s: %q", r, more, view, text[max(0, i-200):i+200])
		}
		// The ranking: 01 (featured), then the health stories newest
		// first (published on day 1+i%28, the later stored first on a
		// day), then the rest.
		want := []string{"01", "24", "20", "16", "12", "36", "08", "32", "04", "28", "00", "27", "26"}
		for i, w := range want {
			if i < len(got) && got[i][1] != w {
				t.Errorf("%s: story %d of the mail is %s, want %s (all: %v)", r, i, got[i][1], w, got)
				break
			}
		}
	}
}

// oldStories lets the tests' stories, dated at fixed days, into an
// edition made whenever the test runs (STORY_MAX_AGE 0: no bound).
var oldStories = map[string]string{"STORY_MAX_AGE": "0"}
