package render

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's chromium; scripts/services.sh --with-chromium
// installs it.
const chromiumPath = "/usr/bin/chromium"

// newTab starts a headless Chromium for the test and returns a tab in it.
func newTab(t *testing.T, total time.Duration) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("%s not found (%v): run scripts/services.sh --with-chromium to install it", chromiumPath, err)
	}
	profile := t.TempDir()
	// Chromium leaves its singleton socket in TMPDIR; a directory of our
	// own (short enough for a socket path) keeps /tmp clean.
	chromeTmp, err := os.MkdirTemp("", "nd-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(chromeTmp) })
	deadline, cancelDeadline := context.WithTimeout(context.Background(), total)
	t.Cleanup(cancelDeadline)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(deadline,
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.Env("TMPDIR="+chromeTmp),
	)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(cancelTab)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	return ctx
}

// axeScript is axe-core, which scripts/services.sh --with-axe puts in
// .cache/axe; AXE_CORE_JS names another copy.
func axeScript(t *testing.T) string {
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

// colorScheme makes the tab report prefers-color-scheme: scheme.
func colorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}

// TestEmailsInABrowser renders the representative digest (each language),
// a digest of hostile stories and the confirmation mail in headless
// Chromium at a phone's width (320 px) and the card's (600 px), in the
// light and the dark scheme. At each it checks that nothing scrolls
// sideways, that the scheme took (the card is white in the light, dark in
// the dark), and runs axe-core, which must find nothing; the screenshots
// go to the test's artifact directory (go test -artifacts keeps them).
func TestEmailsInABrowser(t *testing.T) {
	r := mustNew(t)
	mails := map[string]string{}
	for _, lang := range []string{"en", "es"} {
		mails["digest-"+lang] = mustDigest(t, r, representativeDigest(lang)).WithToken("tok123").HTML
		c, err := r.Confirmation(Confirmation{Language: lang, ListName: "Migration News Digest",
			ConfirmURL: "https://news.example.org/confirm/abcDEF123_-xyz", PostalAddress: postalAddress})
		if err != nil {
			t.Fatal(err)
		}
		mails["confirm-"+lang] = c.HTML
	}
	mails["digest-hostile"] = mustDigest(t, r, hostileDigest("en")).WithToken("tok123").HTML

	dir, shots := t.TempDir(), t.ArtifactDir()
	axe := axeScript(t)
	ctx := newTab(t, 4*time.Minute)
	for name, page := range mails {
		file := filepath.Join(dir, name+".html")
		if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, scheme := range []string{"light", "dark"} {
			for _, width := range []int64{320, 600} {
				what := fmt.Sprintf("%s-%s-%d", name, scheme, width)
				step, cancel := context.WithTimeout(ctx, 60*time.Second)
				err := chromedp.Do(step,
					chromedp.EmulateViewport(width, 800),
					colorScheme(scheme),
					chromedp.Navigate("file://"+file),
					chromedp.WaitReady("body"))
				if err != nil {
					cancel()
					t.Fatalf("%s: open: %v", what, err)
				}
				overflow, err := chromedp.Run(step, chromedp.Evaluate[bool](
					`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
				if err != nil {
					t.Fatalf("%s: measure: %v", what, err)
				}
				if overflow {
					t.Errorf("%s: the email scrolls sideways", what)
				}
				card, err := chromedp.Run(step, chromedp.Evaluate[string](
					`getComputedStyle(document.querySelector('table.nd-card')).backgroundColor`))
				if err != nil {
					t.Fatalf("%s: read the card's colour: %v", what, err)
				}
				if want := map[string]string{"light": "rgb(255, 255, 255)", "dark": "rgb(26, 31, 38)"}[scheme]; card != want {
					t.Errorf("%s: the card is %s, want %s", what, card, want)
				}
				for _, v := range runAxe(t, step, axe, what) {
					t.Errorf("%s: accessibility: %s", what, v)
				}
				png, err := chromedp.Run(step, chromedp.FullScreenshot(100))
				cancel()
				if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
					t.Fatalf("%s: screenshot: %v", what, err)
				}
				if err := os.WriteFile(filepath.Join(shots, what+".png"), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// runAxe runs axe-core on the page the tab shows and returns its
// violations, one line each. Two rules are about a whole web page and do
// not apply to an email: a mail client shows it inside its own page,
// whose landmarks hold it, and a main landmark in the email would be a
// second one there. The email is instead one article named by its
// subject, as mail clients' own markup does. (The web digest wraps it in
// <main>.)
func runAxe(t *testing.T, ctx context.Context, src, what string) []string {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](src+";0")); err != nil {
		t.Fatalf("%s: load axe-core: %v", what, err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`axe.run(document, {resultTypes: ['violations'], rules: {'region': {enabled: false}, 'landmark-one-main': {enabled: false}}}).then(r => JSON.stringify(r.violations))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: run axe-core: %v", what, err)
	}
	var vs []struct {
		ID, Impact, Help string
		Nodes            []struct{ HTML string }
	}
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatalf("%s: read axe-core's answer: %v", what, err)
	}
	var out []string
	for _, v := range vs {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, n.HTML)
		}
		out = append(out, fmt.Sprintf("%s (%s): %s\n\t%s", v.ID, v.Impact, v.Help, strings.Join(where, "\n\t")))
	}
	return out
}
