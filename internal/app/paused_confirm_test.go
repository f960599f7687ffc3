package app_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/dates"
	"newsdigest/internal/testenv"
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

// TestSignupAgainWhilePaused: a paused reader who signs up again (their
// digests stopped coming) is told by mail that they are paused, and until
// when, rather than offered to pause.
func TestSignupAgainWhilePaused(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	for _, c := range []struct{ lang, addr, says, offer string }{
		{"es", "otra.vez@example.org", "en pausa hasta el ", "o pausarlo"},
		{"fr", "encore@example.org", "suspendus jusqu’au ", "ou le suspendre"},
		{"en", "again@example.org", "paused until ", "or to pause it"},
	} {
		tok := s.signUpIn(c.addr, c.lang, map[string]any{"frequency": "weekly", "timezone": "Asia/Tokyo", "hour": 7})
		b := s.browser()
		resp, err := b.PostForm(s.base+"/preferences/"+tok+"/pause?lang="+c.lang,
			url.Values{"csrf_token": {s.csrfToken(b, "/preferences/"+tok)}, "weeks": {"4"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		zone, _ := time.LoadLocation("Asia/Tokyo")
		until := dates.Weekday(c.lang, time.Now().Add(28*24*time.Hour).In(zone), true)
		before := len(s.smtp.To(c.addr))
		s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{
			"email": c.addr, "countries": []string{"CR"}, "language": c.lang, "mode": "any",
		}, nil, http.StatusAccepted)
		s.smtp.WaitFor(t, 30*time.Second, "known mail to "+c.addr, func([]testenv.Received) bool {
			return len(s.smtp.To(c.addr)) > before
		})
		known := s.smtp.To(c.addr)[before]
		text, _ := bodies(t, known.Raw)
		flat := strings.Join(strings.Fields(text), " ")
		if !strings.Contains(flat, c.says+until) || strings.Contains(flat, c.offer) {
			t.Errorf("%s: the mail to a reader paused until %s, who signed up again, says:\n%s", c.lang, until, text)
		}
	}
}
