package app_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdigest/internal/testenv"
)

var (
	prefsLink     = regexp.MustCompile(`https?://[^\s"<>]+/preferences/[A-Za-z0-9_-]{22}`)
	unsubPageLink = regexp.MustCompile(`https?://[^\s"<>]+/unsubscribe/[A-Za-z0-9_-]{22}`)
	countryBox    = func(code string) chromedp.CSS { return chromedp.CSS(`input[name=countries][value=` + code + `]`) }
	topicBox      = func(slug string) chromedp.CSS { return chromedp.CSS(`input[name=topics][value=` + slug + `]`) }
	// regionSummary opens or closes the folded countries of a region.
	regionSummary = func(code string) chromedp.CSS {
		return chromedp.CSS(`details:has(input[name=regions][value=` + code + `]) > summary`)
	}
	statusMessage  = chromedp.CSS(`main p[role=status]`)
	pageHeading    = chromedp.CSS(`main h1`)
	subscribeForm  = chromedp.CSS(`form#subscribe`)
	subscribeSend  = chromedp.CSS(`form#subscribe button[type=submit]`)
	prefsForm      = chromedp.CSS(`form#preferences`)
	prefsSend      = chromedp.CSS(`form#preferences button[type=submit]`)
	emailField     = chromedp.CSS(`#email`)
	confirmSend    = chromedp.CSS(`form#confirm button[type=submit]`)
	unsubscribeBtn = chromedp.CSS(`form#unsubscribe button[type=submit]`)
)

// browserSession is a headless chromium tab, bounded by one deadline for
// the whole test.
type browserSession struct {
	t   *testing.T
	ctx context.Context
	// scriptsOff: the page runs no script (scripts), so nothing on it
	// moves by itself.
	scriptsOff bool
}

func newBrowser(t *testing.T, total time.Duration) *browserSession {
	t.Helper()
	ctx := testenv.Chromium(t, total) // en-US, 1000×900
	return &browserSession{t: t, ctx: ctx}
}

// step bounds one group of actions, so a stuck page fails with the step's
// name rather than the test deadline. The bound is a net, not a measure:
// browser tests share one Chromium and run in parallel, under the race
// detector, beside other test packages, on machines busy with other work;
// a form's submission once took over a minute to load its answer there.
func (b *browserSession) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, 2*time.Minute)
}

func (b *browserSession) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// text returns the visible text of the first element sel matches, waiting
// for it to be visible.
func (b *browserSession) text(what string, sel chromedp.CSS) string {
	b.t.Helper()
	b.do(what, chromedp.WaitVisible(sel))
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return strings.TrimSpace(s)
}

func (b *browserSession) value(what string, sel chromedp.CSS) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Value(sel))
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return s
}

func (b *browserSession) checked(sel chromedp.CSS) bool {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.JavascriptAttribute[bool](sel, "checked", chromedp.NodeReady))
	if err != nil {
		b.t.Fatalf("read checked of %s: %v", sel, err)
	}
	return v
}

// pageText is the text of the page's main element, for failure messages.
func (b *browserSession) pageText() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		return "(no text: " + err.Error() + ")"
	}
	return strings.Join(strings.Fields(s), " ")
}

// settled is true once no part of the page is busy (the estimate line
// waiting for its answer, aria-busy) and the element sel matches has
// stood still since the last look: a line rewritten above a button moves
// it, and a click aimed where it was lands beside it, submitting nothing.
const settled = `(() => {
	if (document.querySelector("[aria-busy=true]")) { return false; }
	const el = document.querySelector(%q);
	if (!el) { return false; }
	const r = el.getBoundingClientRect(), box = [r.x, r.y, r.width, r.height].join(",");
	const still = window.__settledBox === box;
	window.__settledBox = box;
	return still;
})()`

// submit clicks a form's button, once the page has settled, waits for the
// answer to load and returns its HTTP status.
func (b *browserSession) submit(what string, button chromedp.CSS) int64 {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if !b.scriptsOff {
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(settled, string(button)),
			chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(0))); err != nil {
			b.t.Fatalf("%s: the page never settled: %v", what, err)
		}
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(button, chromedp.NodeVisible))
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	if resp == nil {
		b.t.Fatalf("%s: the click loaded no page", what)
	}
	return resp.Status
}

// open navigates and waits for sel to be visible.
func (b *browserSession) open(url string, sel chromedp.CSS) {
	b.t.Helper()
	b.do("open "+url, chromedp.Navigate(url), chromedp.WaitVisible(sel))
}

func (b *browserSession) screenshot(dir, name string, width int64) string {
	b.t.Helper()
	b.do("resize to "+name, chromedp.EmulateViewport(width, 800))
	ctx, cancel := b.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		b.t.Fatalf("screenshot %s is not a PNG", name)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	return path
}

// TestBrowserSubscribeConfirmPreferencesUnsubscribe walks the public pages
// in a real browser, as a Spanish-speaking reader would: subscribe (once
// with a mistake), confirm from the mailed link, change preferences from a
// digest's link, and leave from the page with the button.
func TestBrowserSubscribeConfirmPreferencesUnsubscribe(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	b := newBrowser(t, 90*time.Second)
	const addr = "lucia@example.org"

	// 1. Subscribe in Spanish to Costa Rica and trafficking-smuggling.
	b.open(s.base+"/?lang=es", subscribeForm)
	if h := b.text("home heading", pageHeading); h != "Suscríbete al boletín" {
		t.Fatalf("home heading = %q, want the Spanish one", h)
	}
	b.do("choose CR and a topic, type the address",
		chromedp.Click(regionSummary("central-america"), chromedp.NodeVisible),
		chromedp.Click(countryBox("CR"), chromedp.NodeVisible),
		chromedp.Click(topicBox("trafficking-smuggling"), chromedp.NodeVisible),
		chromedp.SendKeys(emailField, addr, chromedp.NodeVisible),
	)
	if !b.checked(countryBox("CR")) || !b.checked(topicBox("trafficking-smuggling")) {
		t.Fatal("clicking the CR and trafficking-smuggling checkboxes did not check them")
	}
	if st := b.submit("subscribe", subscribeSend); st != http.StatusOK {
		t.Fatalf("subscribe: status %d, page says %q", st, b.pageText())
	}
	if h := b.text("check-inbox heading", pageHeading); h != "Revisa tu correo" {
		t.Fatalf("after subscribing the page says %q, want %q", h, "Revisa tu correo")
	}

	// 2. The same form with nothing chosen: an error, the address kept.
	const careless = "sin-temas@example.org"
	b.open(s.base+"/?lang=es", subscribeForm)
	b.do("type only the address", chromedp.SendKeys(emailField, careless, chromedp.NodeVisible))
	if st := b.submit("subscribe with no choice", subscribeSend); st != http.StatusUnprocessableEntity {
		t.Errorf("subscribe with no country and no topic: status %d, want 422", st)
	}
	if msg := b.text("error message", chromedp.CSS(`main .error-summary`)); msg == "" {
		t.Error("the error message is empty")
	} else {
		t.Logf("error shown: %q", msg)
	}
	if got := b.value("email kept", emailField); got != careless {
		t.Errorf("after the error the email field holds %q, want %q", got, careless)
	}
	if h := b.text("heading after error", pageHeading); h != "Suscríbete al boletín" {
		t.Errorf("after the error the heading is %q, want the Spanish form's", h)
	}

	// 3. Confirm from the mailed link: a page with one button.
	s.smtp.WaitFor(t, 30*time.Second, "confirmation to "+addr, func([]testenv.Received) bool {
		return len(s.smtp.To(addr)) >= 1
	})
	text, _ := bodies(t, s.smtp.To(addr)[0].Raw)
	confirmURL := confirmLink.FindString(text)
	if confirmURL == "" {
		t.Fatalf("confirmation mail has no /confirm/ link in its text part:\n%s", text)
	}
	b.open(confirmURL, chromedp.CSS(`form#confirm`))
	if h := b.text("confirm heading", pageHeading); h != "Confirma tu suscripción" {
		t.Errorf("confirm page heading = %q, want %q", h, "Confirma tu suscripción")
	}
	if st := b.submit("confirm", confirmSend); st != http.StatusOK {
		t.Fatalf("confirm: status %d, page says %q", st, b.pageText())
	}
	if h := b.text("confirmed heading", pageHeading); h != "Tu suscripción está confirmada" {
		t.Fatalf("after confirming the page says %q, want %q", h, "Tu suscripción está confirmada")
	}

	// 4. A digest brings the preferences and unsubscribe links.
	listing := "20 December, 2020\n\nCosta Rica: IOM trains border officials in San José to detect migrant smuggling\n\n" +
		"Officials from Costa Rica's migration service took part in a workshop on smuggling of migrants.\n"
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", stories2020, &created, http.StatusAccepted)
	if e := s.waitEdition(created.ID); e.Status != "done" || e.Sent != 1 {
		t.Fatalf("edition = %+v, want done with 1 sent", e)
	}
	digest := onlyDigest(t, s, addr, 1)
	text, _ = bodies(t, digest.Raw)
	prefsURL, unsubURL := prefsLink.FindString(text), unsubPageLink.FindString(text)
	if prefsURL == "" || unsubURL == "" {
		t.Fatalf("digest text part lacks the preferences or unsubscribe link:\n%s", text)
	}

	// 5. Preferences: CR is chosen; swap it for GT and save.
	b.open(prefsURL, prefsForm)
	if !b.checked(countryBox("CR")) || !b.checked(topicBox("trafficking-smuggling")) {
		t.Fatal("preferences page does not show CR and trafficking-smuggling as chosen")
	}
	if b.checked(countryBox("GT")) {
		t.Fatal("preferences page shows GT as chosen before it was")
	}
	b.do("swap CR for GT",
		chromedp.Click(countryBox("CR"), chromedp.NodeVisible),
		chromedp.Click(countryBox("GT"), chromedp.NodeVisible),
	)
	if st := b.submit("save preferences", prefsSend); st != http.StatusOK {
		t.Fatalf("save preferences: status %d, page says %q", st, b.pageText())
	}
	if ok := b.text("saved message", chromedp.CSS(`main .ok`)); ok != "Tus preferencias se han guardado." {
		t.Errorf("saved message = %q", ok)
	}
	b.open(prefsURL, prefsForm)
	if !b.checked(countryBox("GT")) || b.checked(countryBox("CR")) {
		t.Fatalf("after saving and reloading: GT checked=%v, CR checked=%v; want GT only",
			b.checked(countryBox("GT")), b.checked(countryBox("CR")))
	}
	if !b.checked(topicBox("trafficking-smuggling")) {
		t.Error("saving the countries lost the topic")
	}

	// 6. Unsubscribe with the page's button; a second visit says so.
	b.open(unsubURL, chromedp.CSS(`form#unsubscribe`))
	if intro := b.text("unsubscribe intro", chromedp.CSS(`main p.intro`)); !strings.Contains(intro, addr) {
		t.Errorf("unsubscribe page intro %q does not name %s", intro, addr)
	}
	if st := b.submit("unsubscribe", unsubscribeBtn); st != http.StatusOK {
		t.Fatalf("unsubscribe: status %d, page says %q", st, b.pageText())
	}
	if h := b.text("unsubscribed heading", pageHeading); h != "Has cancelado la suscripción" {
		t.Fatalf("after unsubscribing the page says %q", h)
	}
	b.open(unsubURL, statusMessage)
	if h := b.text("second visit heading", pageHeading); h != "Has cancelado la suscripción" {
		t.Errorf("second visit to the unsubscribe link says %q, want %q", h, "Has cancelado la suscripción")
	}
	b.do("no button on the second visit", chromedp.WaitNotPresent(chromedp.CSS(`form#unsubscribe`)))

	// The address that made the mistake got no mail.
	if n := len(s.smtp.To(careless)); n != 0 {
		t.Errorf("%s got %d messages after a refused subscription", careless, n)
	}

	// 7. The front page at a phone's width and at a desktop's. Set
	// NEWSDIGEST_SCREENSHOTS to a directory to keep them and look at them.
	b.open(s.base+"/?lang=es", subscribeForm)
	for _, w := range []int64{360, 1000} {
		if dir := os.Getenv("NEWSDIGEST_SCREENSHOTS"); dir != "" {
			t.Logf("screenshot: %s", b.screenshot(dir, "home-"+itoa(w), w))
		} else {
			b.do("resize to "+itoa(w), chromedp.EmulateViewport(w, 800))
		}
		// Nothing sticks out sideways: no horizontal scrolling.
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		scrollWidth, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`))
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if scrollWidth > w {
			t.Errorf("at %dpx the home page is %dpx wide: it scrolls sideways", w, scrollWidth)
		}
	}
}
