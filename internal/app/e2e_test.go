package app_test

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/testenv"
)

type item struct {
	ID        int64    `json:"id"`
	Title     string   `json:"title"`
	Countries []string `json:"countries"`
	Regions   []string `json:"regions"`
	Topics    []string `json:"topics"`
}

type taxonomyDoc struct {
	Regions []struct {
		Code      string   `json:"code"`
		Countries []string `json:"countries"`
	} `json:"regions"`
}

var (
	confirmLink = regexp.MustCompile(`https?://[^\s"<>]+/confirm/([A-Za-z0-9_-]{22})`)
	unsubLink   = regexp.MustCompile(`<(https?://[^>]+/unsubscribe/([A-Za-z0-9_-]{22}))>`)
	viewLink    = regexp.MustCompile(`https?://\S+/digest/\d+/[A-Za-z0-9_-]{22}`)
)

// TestDigestLoop runs the product as a subscriber and an editor would:
// import, subscribe, confirm from the mailed link, send an edition, leave
// with one click, import again, send again.
func TestDigestLoop(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	fixture, err := os.ReadFile("../ingest/testdata/iom-rosanjose-news-2020.txt")
	if err != nil {
		t.Fatal(err)
	}

	// Import twice: the second time everything is a duplicate.
	var res struct{ Imported, Duplicates int }
	for i, want := range []struct{ imported, dups int }{{10, 0}, {0, 10}} {
		status, body := s.do("POST", "/api/v1/imports", "text/plain", fixture, true)
		if status != http.StatusOK {
			t.Fatalf("import %d: status %d: %s", i+1, status, body)
		}
		mustJSON(t, body, &res)
		if res.Imported != want.imported || res.Duplicates != want.dups {
			t.Fatalf("import %d: got %+v, want imported=%d duplicates=%d", i+1, res, want.imported, want.dups)
		}
	}

	// Subscribe: one person to Costa Rica, one to trafficking-smuggling.
	costaRica, trafficking := "ana@example.org", "luis@example.org"
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{
		"email": costaRica, "countries": []string{"CR"}, "topics": []string{}, "language": "en", "mode": "any",
	}, nil, http.StatusAccepted)
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{
		"email": trafficking, "countries": []string{}, "topics": []string{"trafficking-smuggling"}, "language": "es", "mode": "any",
	}, nil, http.StatusAccepted)

	// Confirm both from the mailed link: a page with one button, then the POST.
	for _, addr := range []string{costaRica, trafficking} {
		msgs := s.smtp.WaitFor(t, 30*time.Second, "confirmation to "+addr, func([]testenv.Received) bool {
			return len(s.smtp.To(addr)) == 1
		})
		_ = msgs
		text, htmlPart := bodies(t, s.smtp.To(addr)[0].Raw)
		m := confirmLink.FindStringSubmatch(text)
		if m == nil || !strings.Contains(htmlPart, m[0]) {
			t.Fatalf("confirmation to %s has no confirm link in both parts:\n%s", addr, text)
		}
		path := "/confirm/" + m[1]
		b := s.browser()
		token := s.csrfToken(b, path)
		resp, err := b.PostForm(s.base+path, url.Values{"csrf_token": {token}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("confirm %s: status %d", addr, resp.StatusCode)
		}
	}

	// What each person should get, worked out from the stored tags.
	var items struct{ Items []item }
	s.jsonCall("GET", "/api/v1/items?limit=1000", nil, &items, http.StatusOK)
	var tax taxonomyDoc
	s.jsonCall("GET", "/api/v1/taxonomy", nil, &tax, http.StatusOK)
	wantCR := matching(items.Items, func(it item) bool {
		return slices.Contains(it.Countries, "CR") || regionHas(tax, it.Regions, "CR")
	})
	wantTrafficking := matching(items.Items, func(it item) bool { return slices.Contains(it.Topics, "trafficking-smuggling") })
	mustHave(t, wantCR, "Costa Rica: IOM presents labor market research study for the border canton of Upala")
	mustHave(t, wantTrafficking, "Central American countries, Mexico and the Dominican Republic meet to analyze the regional situation of human trafficking")

	// First edition.
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", stories2020, &created, http.StatusAccepted)
	e := s.waitEdition(created.ID)
	if e.Status != "done" || e.Sent != 2 || e.Total != 2 || e.Items != 10 {
		t.Fatalf("edition 1 = %+v, want done with 10 items, 2 sent of 2", e)
	}
	digestCR := onlyDigest(t, s, costaRica, 1)
	assertItems(t, digestCR, items.Items, wantCR)
	digestTr := onlyDigest(t, s, trafficking, 1)
	assertItems(t, digestTr, items.Items, wantTrafficking)

	// The digest links to its web view, which holds every story whole and
	// only for the person whose token it carries.
	text, _ := bodies(t, digestCR.Raw)
	view := viewLink.FindString(text)
	if view == "" {
		t.Fatalf("digest has no web view link:\n%s", text)
	}
	resp, err := http.Get(view)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("web view: status %d", resp.StatusCode)
	}
	for _, it := range items.Items {
		if has, want := strings.Contains(string(page), html.EscapeString(it.Title)), slices.Contains(wantCR, it.Title); has != want {
			t.Errorf("web view: %q present=%v, want %v", it.Title, has, want)
		}
	}
	// Nobody received the web view by mail: its footer offers the form.
	if !strings.Contains(string(page), `href="`+s.base+`/?lang=en"`) || strings.Contains(string(page), "You are receiving this email") {
		t.Errorf("web view's footer: want a link to subscribe, not why a mail came:\n%s", string(page)[strings.LastIndex(string(page), `class="nd-f"`):])
	}
	if status, _ := s.do("GET", strings.TrimPrefix(view, s.base)[:strings.LastIndex(strings.TrimPrefix(view, s.base), "/")]+"/AAAAAAAAAAAAAAAAAAAAAA", "", nil, false); status != http.StatusNotFound {
		t.Errorf("web view with a stranger's token: status %d, want 404", status)
	}

	// One-click unsubscribe, as a mail client does it: no cookie, no CSRF
	// token, a 200 and no redirect.
	m := unsubLink.FindStringSubmatch(digestCR.Header("List-Unsubscribe"))
	if m == nil || digestCR.Header("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Fatalf("List-Unsubscribe = %q, List-Unsubscribe-Post = %q",
			digestCR.Header("List-Unsubscribe"), digestCR.Header("List-Unsubscribe-Post"))
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noRedirect.Post(m[1], "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe: status %d, want 200", resp.StatusCode)
	}

	// A new story, then a second edition: only it, only to who is left.
	newTitle := "Costa Rica: authorities dismantle a human trafficking network at the border"
	listing := time.Now().UTC().Format("2 January, 2006") + "\n\n" + newTitle + "\n\nThe police, with IOM support, rescued twelve victims of trafficking in persons.\n"
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true); status != http.StatusOK {
		t.Fatalf("import new item: %d %s", status, body)
	}
	s.jsonCall("POST", "/api/v1/editions", map[string]any{}, &created, http.StatusAccepted)
	e = s.waitEdition(created.ID)
	if e.Status != "done" || e.Items != 1 || e.Sent != 1 || e.Total != 1 {
		t.Fatalf("edition 2 = %+v, want done with 1 item, 1 sent of 1", e)
	}
	onlyDigest(t, s, costaRica, 1) // still just the first
	second := onlyDigest(t, s, trafficking, 2)
	_, htmlPart := bodies(t, second.Raw)
	if !strings.Contains(htmlPart, html.EscapeString(newTitle)) {
		t.Errorf("second digest lacks the new item")
	}
	for _, it := range items.Items {
		if strings.Contains(htmlPart, html.EscapeString(it.Title)) {
			t.Errorf("second digest repeats %q", it.Title)
		}
	}
}

func mustHave(t *testing.T, titles []string, title string) {
	t.Helper()
	if !slices.Contains(titles, title) {
		t.Fatalf("the tagger did not put %q where it belongs; matching titles: %q", title, titles)
	}
}

func matching(items []item, keep func(item) bool) []string {
	var out []string
	for _, it := range items {
		if keep(it) {
			out = append(out, it.Title)
		}
	}
	return out
}

func regionHas(tax taxonomyDoc, regions []string, country string) bool {
	for _, r := range tax.Regions {
		if slices.Contains(regions, r.Code) && slices.Contains(r.Countries, country) {
			return true
		}
	}
	return false
}

// onlyDigest returns the last digest to addr, failing unless addr has
// exactly n digests.
func onlyDigest(t *testing.T, s *stack, addr string, n int) testenv.Received {
	t.Helper()
	var digests []testenv.Received
	for _, m := range s.smtp.To(addr) {
		if m.Header("X-Newsdigest-Edition") != "" {
			digests = append(digests, m)
		}
	}
	if len(digests) != n {
		t.Fatalf("%s got %d digests, want %d", addr, len(digests), n)
	}
	d := digests[n-1]
	if d.Header("List-Id") == "" || d.Header("Message-Id") == "" {
		t.Errorf("digest to %s lacks List-Id or Message-Id", addr)
	}
	return d
}

// assertItems checks that the digest holds exactly the wanted titles.
func assertItems(t *testing.T, d testenv.Received, all []item, want []string) {
	t.Helper()
	_, htmlPart := bodies(t, d.Raw)
	for _, it := range all {
		has := strings.Contains(htmlPart, html.EscapeString(it.Title))
		if wanted := slices.Contains(want, it.Title); has != wanted {
			t.Errorf("digest to %s: item %q present=%v, want %v", d.To[0], it.Title, has, wanted)
		}
	}
}
