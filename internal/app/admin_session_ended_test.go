package app_test

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestChangeAfterTheSessionEndedSaysSo: an editor whose session ended
// (idle, or logged out in another tab) and who then saves a story is
// not dropped silently at a bare login page: the login says the change
// was not made, and leads back to the page it was made on.
func TestChangeAfterTheSessionEndedSaysSo(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	id := itoa(s.postItem(map[string]any{"published_on": "2024-01-03", "title": "A story to correct", "summary": "Its summary.",
		"url": "https://news.example.org/correct", "language": "en"}))
	c := s.consoleLogin()
	page := "/admin/items/" + id
	token := s.csrfToken(c, page)
	s.sqlExec(`UPDATE admin_sessions SET expires_at = now() - interval '1 second'`)

	req, err := http.NewRequest(http.MethodPost, s.base+page, strings.NewReader(url.Values{
		"csrf_token": {token}, "title": {"A corrected title"}, "summary": {"Its summary."}, "published_on": {"2024-01-03"},
	}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", s.base+page)
	stop := *c
	stop.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := stop.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := "/admin/login?ended=1&next=" + url.QueryEscape(page)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Fatalf("saving after the session ended: %d to %q, want 303 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
	resp, err = c.Get(s.base + want + "&lang=en")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if text := html.UnescapeString(string(body)); !strings.Contains(text, "so it was not made") ||
		!strings.Contains(text, `name="next" value="`+page+`"`) {
		t.Errorf("the login after: %.1500s", text[max(0, strings.Index(text, "<main")):])
	}
	var title string
	s.subsQuery(`SELECT title FROM items WHERE id = $1`, []any{id}, &title)
	if title != "A story to correct" {
		t.Errorf("the story's title: %q, want it as it was", title)
	}
}
