package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdigest/internal/testenv"
)

// signUpIn subscribes addr through the API in lang with the given extra
// fields (a schedule), confirms from the mailed link and returns the
// preferences token of the welcome mail.
func (s *stack) signUpIn(addr, lang string, extra map[string]any) string {
	s.t.Helper()
	body := map[string]any{"email": addr, "countries": []string{"CR"}, "language": lang, "mode": "any"}
	for k, v := range extra {
		body[k] = v
	}
	s.jsonCall("POST", "/api/v1/subscriptions", body, nil, http.StatusAccepted)
	path := s.confirmPath(addr, 1)
	b := s.browser()
	resp, err := b.PostForm(s.base+path+"?lang="+lang, map[string][]string{"csrf_token": {s.csrfToken(b, path)}})
	if err != nil {
		s.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("confirm %s: status %d", addr, resp.StatusCode)
	}
	var tok string
	s.smtp.WaitFor(s.t, 30*time.Second, "welcome to "+addr, func([]testenv.Received) bool {
		for _, m := range s.smtp.To(addr) {
			text, _ := bodies(s.t, m.Raw)
			if l := prefsLink.FindString(text); l != "" {
				tok = l[strings.LastIndex(l, "/")+1:]
				return true
			}
		}
		return false
	})
	return tok
}

// waitLocation polls the tab's address until it holds part, and says
// whether it did within d.
func (b *browserSession) waitLocation(part string, d time.Duration) (string, bool) {
	b.t.Helper()
	var at string
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		u, err := chromedp.Run(ctx, chromedp.Location())
		cancel()
		if err == nil {
			at = u
			if strings.Contains(u, part) {
				return u, true
			}
		}
	}
	return at, false
}

// TestBrowserExportLinkOpensItsPage: the preferences page's "your data"
// link asks for a link by mail; clicking it shows the page that says so,
// in the reader's language, rather than saving that page as a file.
func TestBrowserExportLinkOpensItsPage(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	b := newBrowser(t, 3*time.Minute)
	for _, c := range []struct{ lang, addr, heading string }{
		{"es", "datos.es@example.org", "Revisa tu correo"},
		{"fr", "donnees.fr@example.org", "Consultez votre boîte de réception"},
	} {
		tok := s.signUpIn(c.addr, c.lang, nil)
		b.open(s.base+"/preferences/"+tok+"?lang="+c.lang, prefsForm)
		b.do("click the export link", chromedp.Click(chromedp.CSS(`a[href*="/export"]`), chromedp.NodeVisible))
		if at, ok := b.waitLocation("/export", 15*time.Second); !ok {
			t.Fatalf("%s: clicking the export link left the browser at %s", c.lang, at)
		}
		if h := b.text("export heading", pageHeading); h != c.heading {
			t.Errorf("%s: the export request page's heading is %q, want %q", c.lang, h, c.heading)
		}
		b.checkAccessible("export requested from the preferences page, " + c.lang)
		b.shots(t, "export-clicked-"+c.lang)
	}
}
