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
		// The page leads back to the preferences it was asked from.
		b.do("go back to the preferences", chromedp.Click(chromedp.CSS(`main a[href^="/preferences/`+tok+`"]`), chromedp.NodeVisible),
			chromedp.WaitVisible(prefsForm))
	}
}

// overflowing lists the blocks of the page's main whose text runs past
// their own width (and so past the card, cut off on a phone).
const overflowing = `Array.from(document.querySelectorAll("main p, main h1, main h2, main dd, main li, main label"))
	.filter(e => e.getClientRects().length > 0 && e.scrollWidth > e.clientWidth + 1)
	.map(e => e.tagName.toLowerCase() + ": " + e.textContent.trim().slice(0, 60))`

// TestBrowserLongAddressFitsAPhone: the pages that show the reader's
// address keep a long one inside the page at 375 px, wrapped where it
// must be, rather than running out of the card.
func TestBrowserLongAddressFitsAPhone(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	b := newBrowser(t, 3*time.Minute)
	const addr = "maria.fernanda.gonzalez.rodriguez.delatorre@subdominio-largo.universidad-nacional.example.org"
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{
		"email": addr, "countries": []string{"CR"}, "language": "es", "mode": "any",
	}, nil, http.StatusAccepted)
	confirm := s.confirmPath(addr, 1)
	b.do("phone width", chromedp.EmulateViewport(375, 800))
	check := func(what string) {
		t.Helper()
		ctx, cancel := b.step()
		defer cancel()
		out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](overflowing))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		for _, o := range out {
			t.Errorf("%s at 375 px: text runs out of its block: %s", what, o)
		}
	}
	b.open(s.base+confirm, chromedp.CSS(`form#confirm`))
	check("confirm page")
	if st := b.submit("confirm", confirmSend); st != http.StatusOK {
		t.Fatalf("confirm: %d", st)
	}
	check("welcome page")
	b.open(s.base+confirm, pageHeading)
	link := b.attr(`main a[href^='/preferences/']`, "href")
	tok := strings.TrimPrefix(strings.SplitN(link, "?", 2)[0], "/preferences/")
	for _, p := range []struct{ what, path string }{
		{"preferences", "/preferences/" + tok + "?lang=es"},
		{"unsubscribe page", "/unsubscribe/" + tok + "?lang=es"},
		{"delete page", "/preferences/" + tok + "/delete?lang=es"},
	} {
		b.open(s.base+p.path, pageHeading)
		check(p.what)
	}
	if testenv.KeepsArtifacts() {
		b.open(s.base+"/unsubscribe/"+tok+"?lang=es", pageHeading)
		b.screenshot(t.ArtifactDir(), "long-address-unsubscribe-375", 375)
	}
}
