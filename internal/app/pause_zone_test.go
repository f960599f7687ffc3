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

// TestPauseEndsOnTheReadersDay: a reader on a schedule of their own is
// told the day their pause ends on their own calendar, not the desk's.
// The desk (Honolulu) and the reader (Kiritimati) are a whole day apart.
func TestPauseEndsOnTheReadersDay(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"DIGEST_TZ": "Pacific/Honolulu"})
	const addr = "pausa.kiritimati@example.org"
	tok := s.signUpIn(addr, "es", map[string]any{"frequency": "daily", "timezone": "Pacific/Kiritimati", "hour": 9})
	reader, _ := time.LoadLocation("Pacific/Kiritimati")
	day := func(t time.Time) string { return dates.Weekday("es", t.Add(3*7*24*time.Hour).In(reader), true) }

	before := day(time.Now())
	b := s.browser()
	prefs := "/preferences/" + tok + "?lang=es"
	resp, err := b.PostForm(s.base+"/preferences/"+tok+"/pause?lang=es",
		url.Values{"csrf_token": {s.csrfToken(b, prefs)}, "weeks": {"3"}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	after := day(time.Now())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("pause: %d\n%s", resp.StatusCode, page)
	}
	for _, path := range []string{"", prefs} {
		if path != "" {
			r, err := b.Get(s.base + path)
			if err != nil {
				t.Fatal(err)
			}
			page, _ = io.ReadAll(r.Body)
			r.Body.Close()
		}
		_, rest, _ := strings.Cut(string(page), `<p id="paused">`)
		said, _, _ := strings.Cut(rest, "</p>")
		if !strings.Contains(said, before) && !strings.Contains(said, after) {
			t.Errorf("the preferences page%s says %q, want the reader's day %q", map[bool]string{true: " after pausing"}[path == ""], said, after)
		}
	}
}
