package digest

import (
	"strings"
	"testing"
)

// TestListHeaders checks a digest's list headers: List-Id, the one-click
// unsubscribe pair, and a Feedback-ID made of the edition, the language
// and the list (and the sender), the same for every reader: it holds no
// token or address.
func TestListHeaders(t *testing.T) {
	m := Masthead{BaseURL: "https://news.example.org", ListName: "News Digest", ListID: "News Digest <news-digest.news.example.org>"}
	h := m.Headers(12, "es")
	if h["List-Id"] != "News Digest <news-digest.news.example.org>" {
		t.Errorf("List-Id: %q", h["List-Id"])
	}
	if h["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" || !strings.HasPrefix(h["List-Unsubscribe"], "<https://news.example.org/unsubscribe/") {
		t.Errorf("unsubscribe headers: %q, %q", h["List-Unsubscribe"], h["List-Unsubscribe-Post"])
	}
	if got, want := h["Feedback-ID"], "edition-12:es:news-digest.news.example.org:news.example.org"; got != want {
		t.Errorf("Feedback-ID: %q, want %q", got, want)
	}
	if m.FeedbackID(12, "es") != m.FeedbackID(12, "es") || m.FeedbackID(12, "es") == m.FeedbackID(12, "en") ||
		m.FeedbackID(12, "es") == m.FeedbackID(13, "es") {
		t.Error("Feedback-ID must differ by edition and language, and only by them")
	}
	// Four colon-separated fields, as Gmail reads them, whatever the host.
	m.BaseURL = "http://localhost:8080"
	if n := strings.Count(m.FeedbackID(1, "en"), ":"); n != 3 {
		t.Errorf("Feedback-ID %q has %d colons, want 3", m.FeedbackID(1, "en"), n)
	}
}
