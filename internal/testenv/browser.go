package testenv

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is Debian's chromium; scripts/services.sh --with-chromium
// installs it.
const ChromiumPath = "/usr/bin/chromium"

// Chromium returns a tab for t in a headless Chromium shared by the
// process's tests, bound by total and closed when t ends. The tab is the
// only one in a browser context of its own, a fresh profile in all that a
// page can see (cookies, storage, cache), so tests sharing the browser
// cannot meet; what they share is the start of a browser, a second or
// more of a test's time. The window is 1000×900 px and the language
// en-US; a test that needs another viewport emulates it in its tab.
//
// A process whose tests do not run under Main has no one to close a
// shared browser at the end, and gets a browser per test instead.
func Chromium(t testing.TB, total time.Duration) context.Context {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		t.Fatalf("%s not found (%v): run scripts/services.sh --with-chromium to install it", ChromiumPath, err)
	}
	var browser context.Context
	if mainRuns.Load() {
		b, err := chromiumProc.browser()
		if err != nil {
			t.Fatalf("start %s: %v", ChromiumPath, err)
		}
		browser = b
	} else {
		b, stop, err := startChromium(t.Logf)
		if err != nil {
			t.Fatalf("start %s: %v", ChromiumPath, err)
		}
		t.Cleanup(stop)
		browser = b
	}
	tab, cancelTab := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelTab) // closes the tab and disposes of its context
	deadline, cancelDeadline := context.WithTimeout(tab, total)
	t.Cleanup(cancelDeadline)
	// The first Do opens the tab and binds it to the whole-test
	// deadline, never to a shorter one.
	if err := chromedp.Do(deadline); err != nil {
		t.Fatalf("open a tab in %s: %v", ChromiumPath, err)
	}
	return deadline
}

// chromiumProcess is the process's shared browser, started by the first
// test that wants one and stopped by Main.
type chromiumProcess struct {
	mu   sync.Mutex
	ctx  context.Context // the browser's; nil before the first start
	stop func()
}

var chromiumProc chromiumProcess

func (p *chromiumProcess) browser() (context.Context, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ctx != nil && p.ctx.Err() == nil {
		return p.ctx, nil
	}
	if p.stop != nil {
		p.stop() // the browser died: clean up after it and start another
	}
	// The log goes to stderr: it outlives any one test.
	ctx, stop, err := startChromium(log.Printf)
	if err != nil {
		p.ctx, p.stop = nil, nil
		return nil, err
	}
	p.ctx, p.stop = ctx, stop
	return ctx, nil
}

func (p *chromiumProcess) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop != nil {
		p.stop()
	}
	p.ctx, p.stop = nil, nil
}

// startChromium starts a headless Chromium; stop ends it and removes its
// files. Browser errors (messages it sends that chromedp cannot read) go
// to errorf.
func startChromium(errorf func(string, ...any)) (browser context.Context, stop func(), err error) {
	profile, err := os.MkdirTemp("", "nd-chromium-profile-")
	if err != nil {
		return nil, nil, err
	}
	// Chromium keeps its singleton socket in TMPDIR and leaves it there;
	// a directory of our own keeps /tmp clean. Its path must stay short:
	// a socket path has 108 bytes at most.
	chromeTmp, err := os.MkdirTemp("", "nd-chromium-")
	if err != nil {
		os.RemoveAll(profile)
		return nil, nil, err
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(ChromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), // /dev/shm is small in containers
		chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(1000, 900),
		chromedp.UserDataDir(profile),
		chromedp.Env("TMPDIR="+chromeTmp),
	)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx, chromedp.WithErrorf(errorf))
	stop = func() {
		cancelBrowser()
		cancelAlloc() // waits for the browser process to exit
		os.RemoveAll(profile)
		os.RemoveAll(chromeTmp)
	}
	// The first Do starts the browser and binds it to ctx, which has no
	// deadline: tabs get theirs.
	if err := chromedp.Do(ctx); err != nil {
		stop()
		return nil, nil, err
	}
	return ctx, stop, nil
}

// AxeSource is axe-core's script, which scripts/services.sh --with-axe
// puts in .cache/axe at the repository's root (two levels above a
// package's tests); AXE_CORE_JS names another copy.
func AxeSource(t testing.TB) string {
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

// AxeViolations runs axe-core (src, from AxeSource) on the page the tab
// shows and returns what it finds wrong, one entry per broken rule with
// the elements that break it; off names rules not to run. The script is
// evaluated through the DevTools protocol, which a page's content
// security policy does not govern.
func AxeViolations(ctx context.Context, src string, off ...string) ([]string, error) {
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](src+";0")); err != nil {
		return nil, fmt.Errorf("load axe-core: %w", err)
	}
	rules := map[string]map[string]bool{}
	for _, id := range off {
		rules[id] = map[string]bool{"enabled": false}
	}
	opts, err := json.Marshal(map[string]any{"resultTypes": []string{"violations"}, "rules": rules})
	if err != nil {
		return nil, err
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`axe.run(document, `+string(opts)+`).then(r => JSON.stringify(r.violations))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("run axe-core: %w", err)
	}
	var vs []struct {
		ID, Impact, Help string
		Nodes            []struct{ HTML string }
	}
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		return nil, fmt.Errorf("read axe-core's answer: %w", err)
	}
	var out []string
	for _, v := range vs {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, n.HTML)
		}
		out = append(out, fmt.Sprintf("%s (%s): %s\n\t%s", v.ID, v.Impact, v.Help, strings.Join(where, "\n\t")))
	}
	return out, nil
}

// KeepsArtifacts reports whether go test keeps the tests' artifacts
// (-artifacts). Only then is a screenshot worth taking: rendering a whole
// page to PNG is most of what a browser test costs the machine, and
// without the flag the file is deleted unseen. What a screenshot's width
// is there to check (nothing scrolls sideways) is checked either way.
func KeepsArtifacts() bool {
	f := flag.Lookup("test.artifacts")
	return f != nil && f.Value.String() == "true"
}
