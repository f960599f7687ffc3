package app_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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

// axeSource is axe-core's script, which scripts/services.sh --with-axe
// puts in .cache/axe; AXE_CORE_JS names another copy.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("AXE_CORE_JS")
	if path == "" {
		path = filepath.Join("..", "..", ".cache", "axe", "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("axe-core: %v (run scripts/services.sh --with-axe, or set AXE_CORE_JS)", err)
	}
	return string(b)
}

// axeViolation is what axe-core reports of one broken rule.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// checkAccessible runs axe-core on the page b shows and fails the test
// with every violation it finds. The script is evaluated through the
// DevTools protocol, which the pages' content security policy does not
// govern, so the pages need allow no script for it.
func (b *browserSession) checkAccessible(what string) {
	b.t.Helper()
	src := axeSource(b.t)
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](src+";0")); err != nil {
		b.t.Fatalf("%s: load axe-core: %v", what, err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(r.violations))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: run axe-core: %v", what, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		b.t.Fatalf("%s: read axe-core's answer: %v", what, err)
	}
	for _, v := range vs {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, n.HTML)
		}
		b.t.Errorf("%s: accessibility: %s (%s): %s\n\t%s", what, v.ID, v.Impact, v.Help, strings.Join(where, "\n\t"))
	}
}

// shots saves the page at a phone's width (375 px) and a desktop's
// (1280 px) into the test's artifact directory (kept with go test
// -artifacts), checks that nothing makes the page scroll sideways, and
// puts the viewport back.
func (b *browserSession) shots(t *testing.T, name string) {
	t.Helper()
	dir := t.ArtifactDir()
	for _, w := range []int64{375, 1280} {
		path := b.screenshot(dir, name+"-"+itoa(w), w)
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
			`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
		cancel()
		if err != nil {
			t.Fatalf("measure %s: %v", path, err)
		}
		if overflow {
			t.Errorf("%s: the page scrolls sideways at %d px", name, w)
		}
	}
	b.do("restore the viewport", chromedp.EmulateViewport(1000, 900))
}
