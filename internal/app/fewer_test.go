package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var fewerLink = regexp.MustCompile(`https?://[^\s"<>]+(/preferences/[A-Za-z0-9_-]{22}/fewer/(country|topic)/[A-Za-z0-9-]+)`)

// choicesOf reads a subscriber's choices through the API.
func (s *stack) choicesOf(addr string) (countries, topics []string) {
	s.t.Helper()
	subs := s.subscribers("address=" + url.QueryEscape(addr))
	if len(subs) != 1 {
		s.t.Fatalf("%d subscribers with address %s", len(subs), addr)
	}
	return subs[0].Countries, subs[0].Topics
}

// sendFewerDigest sends a Spanish reader of Costa Rica, Honduras and
// health a digest with a story in each of their sections, and returns
// the "fewer like this" links of the mail by kind/key.
func (s *stack) sendFewerDigest(reader string) map[string]string {
	s.t.Helper()
	if status, got := s.importCSV("email,countries,topics,language\n" + reader + ",CR;HN,health,es\n"); status != http.StatusOK || got.Imported != 1 {
		s.t.Fatalf("import the reader: %d %+v", status, got)
	}
	for _, it := range []map[string]any{
		{"title": "Costa Rica abre un centro", "countries": []string{"CR"}},
		{"title": "Honduras y el retorno", "countries": []string{"HN"}},
		{"title": "Salud en tránsito", "countries": []string{}, "topics": []string{"health"}},
	} {
		it["published_on"], it["summary"], it["url"], it["language"] = "2026-01-05", "Un resumen.", "https://stories.example.org/"+url.PathEscape(it["title"].(string)), "es"
		s.postItem(it)
	}
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", nil, &created, http.StatusAccepted)
	if e := s.waitEdition(created.ID); e.Status != "done" || e.Sent != 1 {
		s.t.Fatalf("edition: %+v", e)
	}
	text, html := bodies(s.t, s.smtp.To(reader)[0].Raw)
	links := map[string]string{}
	for _, m := range fewerLink.FindAllStringSubmatch(text, -1) {
		links[strings.SplitN(m[1], "/fewer/", 2)[1]] = m[1]
	}
	if len(links) != 3 || !strings.Contains(html, "Menos como esta</a>") {
		s.t.Fatalf("want a fewer link per section in both parts, got %v", links)
	}
	return links
}

// TestFewerLikeThis: the link's page (GET) changes nothing; its button
// (POST, CSRF-checked) drops exactly that country or topic and shows the
// choices left, in the reader's language; the last choice is refused
// with a way on (preferences, unsubscribe), changing nothing; a bad
// token or choice is a 404.
func TestFewerLikeThis(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, oldStories)
	const reader = "lectora@example.org"
	links := s.sendFewerDigest(reader)
	b := s.browser()

	status, page := s.page(b, "GET", links["country/HN"], nil)
	if status != http.StatusOK || !strings.Contains(page, "Quitar «Honduras»") {
		t.Fatalf("GET the fewer page: %d\n%s", status, page)
	}
	if c, tp := s.choicesOf(reader); !slices.Equal(c, []string{"CR", "HN"}) || !slices.Equal(tp, []string{"health"}) {
		t.Fatalf("a GET changed the choices: %v %v", c, tp)
	}
	// Without the CSRF token nothing changes.
	resp, err := b.PostForm(s.base+links["country/HN"], url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if c, _ := s.choicesOf(reader); resp.StatusCode != http.StatusForbidden || len(c) != 2 {
		t.Fatalf("a POST without the CSRF token: %d, choices %v", resp.StatusCode, c)
	}
	status, page = s.page(b, "POST", links["country/HN"], nil)
	if status != http.StatusOK || !strings.Contains(page, "Hecho: «Honduras» ya no está entre tus opciones.") ||
		!strings.Contains(page, "<li>Costa Rica</li>") || !strings.Contains(page, "<li>Salud</li>") || strings.Contains(page, "<li>Honduras</li>") {
		t.Fatalf("POST: %d\n%s", status, page)
	}
	if c, tp := s.choicesOf(reader); !slices.Equal(c, []string{"CR"}) || !slices.Equal(tp, []string{"health"}) {
		t.Fatalf("after dropping Honduras: %v %v", c, tp)
	}
	// Following it again: nothing left to drop, and no button.
	if status, page = s.page(b, "GET", links["country/HN"], nil); status != http.StatusOK || strings.Contains(page, `id="fewer"`) {
		t.Errorf("the link again: %d\n%s", status, page)
	}
	s.page(b, "POST", links["topic/health"], nil)
	// Costa Rica is now the last choice: refused, with a way on.
	status, page = s.page(b, "POST", links["country/CR"], nil)
	if status != http.StatusConflict || !strings.Contains(page, "es la última opción") || !strings.Contains(page, "/unsubscribe/") {
		t.Errorf("the last choice: %d\n%s", status, page)
	}
	if c, tp := s.choicesOf(reader); !slices.Equal(c, []string{"CR"}) || len(tp) != 0 {
		t.Errorf("after refusing the last choice: %v %v", c, tp)
	}
	tok := strings.Split(links["country/CR"], "/")[2]
	for _, bad := range []string{
		"/preferences/AAAAAAAAAAAAAAAAAAAAAA/fewer/country/CR",
		"/preferences/" + tok + "/fewer/region/CAM",
		"/preferences/" + tok + "/fewer/country/ZZ",
	} {
		if status, _ := s.page(b, "GET", bad, nil); status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", bad, status)
		}
	}
}

// TestFewerPageAccessible runs axe-core on the fewer page before and
// after its button, and keeps screenshots of both.
func TestFewerPageAccessible(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, oldStories)
	links := s.sendFewerDigest("lectora@example.org")
	b := newBrowser(t, 2*time.Minute)
	b.open(s.base+links["topic/health"], chromedp.CSS(`form#fewer`))
	b.checkAccessible("fewer page")
	b.shots(t, "fewer")
	if status := b.submit("drop health", chromedp.CSS(`form#fewer button`)); status != http.StatusOK {
		t.Fatalf("the button: %d\n%s", status, b.pageText())
	}
	b.checkAccessible("fewer page, done")
	b.shots(t, "fewer-done")
	if got := b.text("status", chromedp.CSS(`p[role=status]`)); !strings.Contains(got, "Salud") {
		t.Errorf("after the button: %q", got)
	}
}
