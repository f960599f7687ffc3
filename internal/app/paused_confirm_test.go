package app_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/dates"
)

// TestConfirmLinkOfAPausedReader: the confirmation link, opened again by
// a reader who has since paused, does not tell them their digests are on
// their way: it says they are paused, and until when.
func TestConfirmLinkOfAPausedReader(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	const addr = "pausada@example.org"
	tok := s.signUpIn(addr, "es", map[string]any{"frequency": "weekly", "timezone": "America/Costa_Rica", "hour": 7})
	confirm := s.confirmPath(addr, 1)
	b := s.browser()
	prefs := "/preferences/" + tok + "?lang=es"
	resp, err := b.PostForm(s.base+"/preferences/"+tok+"/pause?lang=es",
		url.Values{"csrf_token": {s.csrfToken(b, prefs)}, "weeks": {"2"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("pause: %d", resp.StatusCode)
	}
	zone, _ := time.LoadLocation("America/Costa_Rica")
	until := dates.Weekday("es", time.Now().Add(14*24*time.Hour).In(zone), true)

	resp, err = http.Get(s.base + confirm)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	_, said, _ := strings.Cut(string(page), `<p role="status">`)
	said, _, _ = strings.Cut(said, "</p>")
	if resp.StatusCode != http.StatusOK || strings.Contains(said, "en camino") || !strings.Contains(said, until) {
		t.Errorf("the confirmation link of a reader paused until %s answers %d and says %q", until, resp.StatusCode, said)
	}
}
