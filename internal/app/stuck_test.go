package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdigest/internal/token"
)

// stuckPrefsLink is the link to a subscriber's preferences that a used
// confirmation link's page gives.
var stuckPrefsLink = regexp.MustCompile(`href="(/preferences/[A-Za-z0-9_-]+)\?lang=[a-z]+"`)

// stuckActive signs addr up through the API with digests in English,
// confirms it over HTTP, and returns its confirmation link's path and the
// path of its preferences (read from the page the used link shows).
func (s *stack) stuckActive(b *http.Client, addr string) (confirm, prefs string) {
	s.t.Helper()
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": addr, "countries": []string{"CR"},
		"language": "en", "mode": "any"}, nil, http.StatusAccepted)
	confirm = s.confirmPath(addr, 1)
	if status, page := s.page(b, "POST", confirm, nil); status != http.StatusOK {
		s.t.Fatalf("confirm %s: %d\n%s", addr, status, page)
	}
	status, page := s.page(b, "GET", confirm, nil)
	m := stuckPrefsLink.FindStringSubmatch(page)
	if status != http.StatusOK || m == nil || !strings.Contains(page, "You confirmed this subscription already") {
		s.t.Fatalf("the used confirmation link of %s (%d) does not say it is subscribed nor link to its preferences:\n%s",
			addr, status, page)
	}
	return confirm, m[1]
}

// A used confirmation link tells the subscriber they are subscribed and
// links to their preferences; a token that is no one's, and the used link
// of someone since unsubscribed, still get "this link no longer works".
// An unsubscribed person's preferences page says so and offers to
// subscribe again, which sends a new confirmation mail; a bounced one
// gets the notice without the button.
func TestStuckUsedConfirmLinkAndResubscribe(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	b := newBrowser(t, 150*time.Second)
	const addr = "marta@example.org"
	hc := s.browser()
	confirm, prefs := s.stuckActive(hc, addr)

	b.open(s.base+confirm, chromedp.CSS(`main a[href^="/preferences/"]`))
	if h := b.text("used link heading", pageHeading); h != "You are subscribed" {
		t.Errorf("used confirmation link heading = %q, want %q", h, "You are subscribed")
	}
	b.checkAccessible("used confirmation link")
	b.shots(t, "stuck-confirm-used")

	invalid := "It may have expired, been used already, or been cut short when it was copied."
	status, page := s.page(hc, "GET", "/confirm/"+token.New(), nil)
	if status != http.StatusNotFound || !strings.Contains(page, invalid) || strings.Contains(page, "/preferences/") {
		t.Errorf("unknown confirmation token: %d, want 404 saying the link no longer works:\n%s", status, page)
	}

	// Unsubscribe; the used confirmation link then says nothing of them.
	if status, page := s.page(hc, "POST", strings.Replace(prefs, "/preferences/", "/unsubscribe/", 1), nil); status != http.StatusOK {
		t.Fatalf("unsubscribe: %d\n%s", status, page)
	}
	if status, page := s.page(hc, "GET", confirm, nil); status != http.StatusNotFound || strings.Contains(page, "/preferences/") {
		t.Errorf("used confirmation link after unsubscribing: %d, want 404 without a preferences link:\n%s", status, page)
	}

	// Saving an old preferences form answers with the status, in the page's language.
	status, page = s.page(hc, "POST", prefs+"?lang=es", url.Values{"countries": {"CR"}, "language": {"en"}, "mode": {"any"}})
	if status != http.StatusConflict || !strings.Contains(page, "Te diste de baja; no recibes boletines.") {
		t.Errorf("saving preferences while unsubscribed: %d, want 409 with the Spanish notice:\n%s", status, page)
	}

	b.open(s.base+prefs, chromedp.CSS(`form#resubscribe`))
	if got := b.text("status notice", chromedp.CSS(`#status`)); got != "You are unsubscribed; you get no digests." {
		t.Errorf("unsubscribed preferences page says %q", got)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	forms, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("form#preferences").length`))
	cancel()
	if err != nil || forms != 0 {
		t.Errorf("the unsubscribed preferences page shows the preferences form (%d, %v)", forms, err)
	}
	b.checkAccessible("unsubscribed preferences page")
	b.shots(t, "stuck-prefs-unsubscribed")
	if st := b.submit("subscribe again", chromedp.CSS(`form#resubscribe button`)); st != http.StatusOK {
		t.Fatalf("subscribe again: status %d, page says %q", st, b.pageText())
	}
	if h := b.text("after subscribing again", pageHeading); h != "Check your inbox" {
		t.Errorf("after subscribing again the heading is %q, want %q", h, "Check your inbox")
	}
	again := s.confirmPath(addr, 2)
	if again == confirm {
		t.Error("subscribing again mailed the old confirmation link")
	}
	if sub := byEmail(s.subscribers("limit=10"))[addr]; sub.Status != "pending" || strings.Join(sub.Countries, ",") != "CR" {
		t.Errorf("after subscribing again: %+v, want pending with the old choice CR", sub)
	}

	// A bounced address: the notice, no button, nothing saved.
	const bounced = "rebota@example.org"
	_, bprefs := s.stuckActive(hc, bounced)
	s.sqlExec(`UPDATE subscribers SET status = 'bounced' WHERE lower(email) = $1`, bounced)
	status, page = s.page(hc, "GET", bprefs, nil)
	if status != http.StatusOK || !strings.Contains(page, "Digests to this address are stopped") ||
		strings.Contains(page, `id="resubscribe"`) || strings.Contains(page, `id="preferences"`) {
		t.Errorf("bounced preferences page: %d, want the notice without a form:\n%s", status, page)
	}
	// Counted once the worker has done with the sign-up's mails: on a
	// busy machine the welcome (queued by the confirmation) or a
	// confirmation tried again after a slow answer may still be on its way.
	s.waitQueuesIdle()
	mails := len(s.smtp.To(bounced))
	status, _ = s.page(hc, "POST", bprefs, url.Values{"resubscribe": {"1"}})
	if status != http.StatusConflict || len(s.smtp.To(bounced)) != mails {
		t.Errorf("subscribe again as a bounced address: %d and %d mails after %d, want 409 and no new mail",
			status, len(s.smtp.To(bounced)), mails)
	}
}

// A reader of the Spanish preferences page who makes an error gets it
// back in Spanish, though their digests are in English.
func TestStuckPreferencesErrorStaysSpanish(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	hc := s.browser()
	_, prefs := s.stuckActive(hc, "pablo@example.org")
	status, page := s.page(hc, "GET", prefs+"?lang=es", nil)
	if status != http.StatusOK || !strings.Contains(page, "Tus preferencias") {
		t.Fatalf("Spanish preferences page: %d\n%s", status, page)
	}
	m := regexp.MustCompile(`<form method="post" action="([^"]+)" id="preferences">`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no preferences form:\n%s", page)
	}
	action := strings.ReplaceAll(m[1], "&amp;", "&")
	status, page = s.page(hc, "POST", action, url.Values{"language": {"en"}, "mode": {"any"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, "Elige «Todas las noticias», o al menos un país o un tema.") ||
		!strings.Contains(page, "Tus preferencias") {
		t.Errorf("error on the Spanish preferences page: %d, want 422 in Spanish:\n%s", status, page)
	}
}
