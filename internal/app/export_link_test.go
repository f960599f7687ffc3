package app_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdigest/internal/testenv"
)

// exportDownload opens a mailed export link in b, as a person would, and
// presses the page's button: the answer and its body.
func (s *stack) exportDownload(b *http.Client, link string) (*http.Response, []byte) {
	s.t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		s.t.Fatal(err)
	}
	tok := s.csrfToken(b, u.Path) // the page, with its one form
	resp, err := b.PostForm(link, url.Values{"csrf_token": {tok}})
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp, body
}

// scannerGet fetches u as a mail scanner passing for a browser does:
// asking for a page, with no cookie.
func scannerGet(t *testing.T, u string) (*http.Response, []byte) {
	t.Helper()
	return getWith(t, &http.Client{Transport: asksForPages{http.DefaultTransport}}, u)
}

// A mail scanner that fetches the export link on arrival as a browser
// does (or posts to it without the page's token) spends nothing: the link
// opens a page, in the person's language, whose one button downloads the
// data, once. A client that asks for no page (a script, curl) still gets
// the data straight from the link.
func TestExportLinkSurvivesAScanner(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	const addr = "escaneo@example.org"
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": addr, "countries": []string{"CR"}, "language": "es"},
		nil, http.StatusAccepted)
	if st, body := s.page(s.browser(), "POST", s.confirmPath(addr, 1), nil); st != http.StatusOK {
		t.Fatalf("confirm: %d %s", st, body)
	}
	var token string
	s.subsQuery(`SELECT token FROM subscribers WHERE email = $1`, []any{addr}, &token)
	if resp, body := privacyGet(t, s.base+"/preferences/"+token+"/export"); resp.StatusCode != http.StatusOK {
		t.Fatalf("ask for the export: %d %s", resp.StatusCode, body)
	}
	var link string
	s.smtp.WaitFor(t, 30*time.Second, "export link to "+addr, func([]testenv.Received) bool {
		if links := s.exportLinks(addr); len(links) > 0 {
			link = links[0]
		}
		return link != ""
	})

	// The scanner: GETs (twice, as some do), a HEAD, a POST without the
	// page's CSRF token. None of them downloads anything.
	for range 2 {
		resp, body := scannerGet(t, link)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Disposition") != "" || strings.Contains(string(body), `"consents"`) ||
			!strings.Contains(string(body), `<form method="post"`) || !strings.Contains(string(body), "Descargar mis datos") {
			t.Fatalf("GET of the export link: %d %q, want the Spanish page with its button and no data", resp.StatusCode, body)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("export page Cache-Control = %q, want no-store", cc)
		}
	}
	if head, err := http.Head(link); err != nil || head.StatusCode == http.StatusOK {
		t.Errorf("HEAD on the export link: %v %v, want no download", err, head)
	}
	resp, err := http.PostForm(link, url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST without the page's token: %d, want 403", resp.StatusCode)
	}

	// The person opens the page (accessible, in their language) and
	// presses its button.
	b := newBrowser(t, 90*time.Second)
	b.open(link, chromedp.CSS(`form#export`))
	if h := b.text("export heading", pageHeading); h != "Tus datos" {
		t.Errorf("export page heading = %q, want the Spanish one", h)
	}
	b.checkAccessible("export link page")
	client := s.browser()
	resp, body := s.exportDownload(client, link)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), addr) {
		t.Fatalf("the button after a scanner's visit: %d %s, want the data", resp.StatusCode, body)
	}
	checkDownload(t, "the button's download", resp)
	// Used once, the link no longer works, as a page or as a button.
	if again, body := scannerGet(t, link); again.StatusCode != http.StatusNotFound {
		t.Errorf("the export page after the download: %d %s, want 404", again.StatusCode, body)
	}
	tok := s.csrfToken(client, "/")
	if again, err := client.PostForm(link, url.Values{"csrf_token": {tok}}); err != nil || again.StatusCode != http.StatusNotFound {
		t.Errorf("the button pressed again: %v %v, want 404", err, again)
	} else {
		again.Body.Close()
	}

	// A script following a fresh link, asking for no page, gets the data
	// at once, as the link always gave it.
	s.sqlExec(`UPDATE export_links SET sent_at = NULL WHERE subscriber_id IN (SELECT id FROM subscribers WHERE email = $1)`, addr)
	if resp, body := privacyGet(t, s.base+"/preferences/"+token+"/export"); resp.StatusCode != http.StatusOK {
		t.Fatalf("ask for the export again: %d %s", resp.StatusCode, body)
	}
	var script string
	s.smtp.WaitFor(t, 30*time.Second, "a second export link to "+addr, func([]testenv.Received) bool {
		if links := s.exportLinks(addr); len(links) > 1 {
			script = links[len(links)-1]
		}
		return script != ""
	})
	resp, body = privacyGet(t, script)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), addr) {
		t.Errorf("a script's GET of the export link: %d %q, want the data", resp.StatusCode, body)
	}
	checkDownload(t, "a script's GET", resp)
}
