package app_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/clicks"
)

// browserUA is a reader's browser.
const browserUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"

var storyLink = regexp.MustCompile(`https?://[^\s"<>]+/r/([0-9]+\.[0-9]+\.[A-Za-z0-9_-]+)/([A-Za-z0-9_-]{32})`)

// follow requests a /r/ link without following its redirect.
func (s *stack) follow(method, link, stamp, ua string) (int, string) {
	s.t.Helper()
	req, _ := http.NewRequest(method, s.base+"/r/"+link+"/"+stamp, nil)
	req.Header.Set("User-Agent", ua)
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

// storyClicks is GET /api/v1/stats/stories as a map from story id.
func (s *stack) storyClicks() map[int64]int64 {
	s.t.Helper()
	var got struct {
		Stories []struct{ ID, Clicks int64 }
	}
	s.jsonCall("GET", "/api/v1/stats/stories?from=2000-01-01&to=2100-01-01", nil, &got, http.StatusOK)
	out := map[int64]int64{}
	for _, st := range got.Stories {
		out[st.ID] = st.Clicks
	}
	return out
}

// sendThreeStories sends a reader of Costa Rica an edition of three
// stories with addresses of their own, and returns the mail's text and
// the stories' ids.
func (s *stack) sendThreeStories(reader string) (string, []int64) {
	s.t.Helper()
	if status, got := s.importCSV("email,countries,topics,language\n" + reader + ",CR,,en\n"); status != http.StatusOK || got.Imported != 1 {
		s.t.Fatalf("import the reader: %d %+v", status, got)
	}
	var ids []int64
	for i, slug := range []string{"one", "two", "three"} {
		ids = append(ids, s.postItem(map[string]any{"published_on": "2026-01-0" + itoa(int64(i+1)), "title": "Story " + slug,
			"summary": "A summary.", "url": "https://stories.example.org/" + slug, "language": "en", "countries": []string{"CR"}}))
	}
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", nil, &created, http.StatusAccepted)
	if e := s.waitEdition(created.ID); e.Status != "done" || e.Sent != 1 {
		s.t.Fatalf("edition: %+v", e)
	}
	text, _ := bodies(s.t, s.smtp.To(reader)[0].Raw)
	return text, ids
}

// TestStoryClicksCountedPrivately: the mail's story links go through
// /r/, signed, with the same stamp in every link of the message and no
// reader's token. A reader's click counts once per story per message; a
// click right after sending (a scanner at delivery), HEAD, a scanner's
// user agent and a burst of clicks on one message count nothing; every
// one of them still goes to the story, and only there. A changed link is
// a 404 that redirects nowhere. The click tables hold no reader.
func TestStoryClicksCountedPrivately(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, oldStories)
	const reader = "reader@example.org"
	text, ids := s.sendThreeStories(reader)
	tok, _ := s.digestLinks(reader)
	found := storyLink.FindAllStringSubmatch(text, -1)
	if len(found) != 3 {
		t.Fatalf("want 3 /r/ links in the mail, got %d:\n%s", len(found), text)
	}
	stamp := found[0][2]
	for _, f := range found {
		if f[2] != stamp || strings.Contains(f[0], tok) {
			t.Errorf("link %s: the stamp differs within one message, or it carries the reader's token", f[0])
		}
	}
	links := map[string]string{} // story address → link part
	for _, f := range found {
		status, to := s.follow("GET", f[1], f[2], browserUA)
		if status != http.StatusFound || !strings.HasPrefix(to, "https://stories.example.org/") {
			t.Fatalf("GET %s: %d to %q", f[0], status, to)
		}
		links[to] = f[1]
	}
	if got := s.storyClicks(); len(got) != 0 {
		t.Errorf("clicks right after sending were counted: %v", got)
	}

	// A message sent two minutes ago, as its stamp says (made with the
	// site's key, as the mailer makes them).
	l := clicks.NewLinks(s.base, []byte(secretKey))
	old := func() string { return l.NewStamp(time.Now().Add(-2 * time.Minute)) }
	one, two, three := links["https://stories.example.org/one"], links["https://stories.example.org/two"], links["https://stories.example.org/three"]
	msg := old()
	for range 2 {
		if status, to := s.follow("GET", one, msg, browserUA); status != http.StatusFound || to != "https://stories.example.org/one" {
			t.Fatalf("GET: %d to %q", status, to)
		}
	}
	if got := s.storyClicks(); got[ids[0]] != 1 || len(got) != 1 {
		t.Fatalf("a reader's click twice on one message: %v, want story %d counted once", got, ids[0])
	}
	// HEAD, a scanner, and no user agent: redirected, not counted.
	for _, c := range []struct{ method, ua string }{
		{"HEAD", browserUA}, {"GET", "Mozilla/5.0 (compatible; Barracuda Sentinel (EE))"}, {"GET", "Microsoft Office/16.0 (Windows NT 10.0)"}, {"GET", ""},
	} {
		if status, to := s.follow(c.method, two, old(), c.ua); status != http.StatusFound || to != "https://stories.example.org/two" {
			t.Errorf("%s %q: %d to %q", c.method, c.ua, status, to)
		}
	}
	// A burst on one message: all three stories and one again, at once.
	burst := old()
	for _, link := range []string{one, two, three, one} {
		s.follow("GET", link, burst, browserUA)
	}
	// A stamp not made by the site counts nothing either.
	forged := []byte(old())
	forged[10] ^= 1
	s.follow("GET", three, string(forged), browserUA)
	if got := s.storyClicks(); got[ids[0]] != 1 || len(got) != 1 {
		t.Errorf("after HEAD, scanners, a burst and a forged stamp: %v, want only story %d once", got, ids[0])
	}
	// Another reader's message counts again.
	s.follow("GET", two, old(), browserUA)
	if got := s.storyClicks(); got[ids[1]] != 1 {
		t.Errorf("a second message's click on story two: %v", got)
	}

	// Changed links: a 404, and no redirect anywhere.
	parts := strings.Split(one, ".")
	mac := []byte(parts[2])
	mac[0] ^= 1
	for _, bad := range []string{
		parts[0] + "." + parts[1] + "." + string(mac),
		parts[0] + "." + itoa(ids[1]) + "." + parts[2],
		itoa(99) + "." + parts[1] + "." + parts[2],
		"https:%2F%2Fevil.example",
	} {
		status, to := s.follow("GET", bad, msg, browserUA)
		if status != http.StatusNotFound || to != "" {
			t.Errorf("GET /r/%s: %d to %q, want 404 and no redirect", bad, status, to)
		}
	}

	// The tables hold counts and hashed nonces, nothing that names a reader.
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, s.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, _ := conn.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_name IN ('story_clicks', 'click_nonces') ORDER BY 1, 2`)
	cols, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		var t, c string
		return t + "." + c, r.Scan(&t, &c)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"click_nonces.burst", "click_nonces.first_at", "click_nonces.nonce_hash", "click_nonces.recent", "click_nonces.stories",
		"story_clicks.clicks", "story_clicks.edition_id", "story_clicks.item_id"}
	if !slices.Equal(cols, want) {
		t.Errorf("the click tables' columns are %v, want %v", cols, want)
	}
	var fk int
	conn.QueryRow(ctx, `SELECT count(*) FROM information_schema.constraint_column_usage
		WHERE table_name IN ('subscribers', 'deliveries') AND constraint_name IN (
			SELECT constraint_name FROM information_schema.table_constraints WHERE table_name IN ('story_clicks', 'click_nonces'))`).Scan(&fk)
	if fk != 0 {
		t.Errorf("a click table refers to subscribers or deliveries")
	}
	var leaks int
	conn.QueryRow(ctx, `SELECT count(*) FROM click_nonces WHERE position($1::bytea IN nonce_hash) > 0`, []byte(stamp)).Scan(&leaks)
	if leaks != 0 {
		t.Error("a stamp is stored as it is")
	}
}

// TestStoryLinksOff: with CLICK_COUNTING=off the mail links straight to
// the stories, and no /r/ link is in it.
func TestStoryLinksOff(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"CLICK_COUNTING": "off", "STORY_MAX_AGE": "0"})
	text, _ := s.sendThreeStories("reader@example.org")
	if strings.Contains(text, "/r/") || !strings.Contains(text, "https://stories.example.org/one") {
		t.Errorf("with counting off the mail does not link straight to the stories:\n%s", text)
	}
}
