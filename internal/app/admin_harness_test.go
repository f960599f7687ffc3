package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdigest/internal/testenv"
)

// Console selectors shared by the console's browser tests.
var (
	loginForm   = chromedp.CSS(`form#login`)
	loginUser   = chromedp.CSS(`#user`)
	loginPass   = chromedp.CSS(`#password`)
	loginSend   = chromedp.CSS(`form#login button[type=submit]`)
	logoutSend  = chromedp.CSS(`form#logout button[type=submit]`)
	flashStatus = chromedp.CSS(`main p.flash[role=status]`)
	mainHeading = chromedp.CSS(`main h1`)
)

// adminLogin logs b into the console as user and waits for the page
// after the login; it returns the login's HTTP status.
func (b *browserSession) adminLogin(base, user, password string) int64 {
	b.t.Helper()
	b.open(base+"/admin/login", loginForm)
	b.do("fill the login form",
		chromedp.SetValue(loginUser, user),
		chromedp.SetValue(loginPass, password))
	return b.submit("log in as "+user, loginSend)
}

// currentURL is the address the tab shows.
func (b *browserSession) currentURL() string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.t.Fatalf("read the location: %v", err)
	}
	return u
}

// checkAccessible runs axe-core on the page b shows and fails the test
// with every violation it finds.
func (b *browserSession) checkAccessible(what string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	vs, err := testenv.AxeViolations(ctx, testenv.AxeSource(b.t))
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	for _, v := range vs {
		b.t.Errorf("%s: accessibility: %s", what, v)
	}
}

// shots checks that nothing makes the page scroll sideways at a phone's
// width (375 px) and a desktop's (1280 px), saving the page at each into
// the test's artifact directory when go test keeps them (-artifacts), and
// puts the viewport back.
func (b *browserSession) shots(t *testing.T, name string) {
	t.Helper()
	for _, w := range []int64{375, 1280} {
		what := name + "-" + itoa(w)
		if testenv.KeepsArtifacts() {
			b.screenshot(t.ArtifactDir(), what, w)
		} else {
			b.do("resize to "+what, chromedp.EmulateViewport(w, 800))
		}
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
			`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
		cancel()
		if err != nil {
			t.Fatalf("measure %s: %v", what, err)
		}
		if overflow {
			t.Errorf("%s: the page scrolls sideways at %d px", name, w)
		}
		if w == 375 {
			b.checkControlsLegible(t, what)
		}
	}
	b.do("restore the viewport", chromedp.EmulateViewport(1000, 900))
}

// smallControls lists the page's visible fields (selects, text inputs,
// text areas) whose text is under 16 px: a phone's browser (Safari on
// iOS) zooms the whole page into such a field when it takes focus, and
// the reader has to zoom back out to see the form.
const smallControls = `Array.from(document.querySelectorAll(
	"select, textarea, input:not([type=checkbox]):not([type=radio]):not([type=hidden]):not([type=submit])"))
	.filter(e => e.getClientRects().length > 0 && parseFloat(getComputedStyle(e).fontSize) < 16)
	.map(e => e.tagName.toLowerCase() + "#" + (e.id || e.name) + " " + getComputedStyle(e).fontSize)`

// checkControlsLegible fails the test for every field smallControls finds.
func (b *browserSession) checkControlsLegible(t *testing.T, what string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	small, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](smallControls))
	if err != nil {
		t.Fatalf("measure the fields of %s: %v", what, err)
	}
	for _, f := range small {
		t.Errorf("%s: the field %s is under 16 px: a phone zooms into it", what, f)
	}
}
