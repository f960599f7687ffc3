package testenv

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is Debian's chromium; scripts/services.sh --with-chromium
// installs it.
const ChromiumPath = "/usr/bin/chromium"

// Chromium starts a headless Chromium for t and returns a tab in it. The
// whole browser is bound by total; it stops when t ends. extra adds
// options (a window size, a language).
func Chromium(t testing.TB, total time.Duration, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		t.Fatalf("%s not found (%v): run scripts/services.sh --with-chromium to install it", ChromiumPath, err)
	}
	// The profile directory is made before the cleanups below are
	// registered, so it is removed after the browser has exited.
	profile := t.TempDir()
	// Chromium keeps its singleton socket in TMPDIR and leaves it there;
	// a directory of our own keeps /tmp clean. t.TempDir's path would be
	// too long for a socket path (108 bytes at most).
	chromeTmp, err := os.MkdirTemp("", "nd-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(chromeTmp) })
	deadline, cancelDeadline := context.WithTimeout(context.Background(), total)
	t.Cleanup(cancelDeadline)
	opts := append([]chromedp.ExecAllocatorOption{
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
		chromedp.UserDataDir(profile),
		chromedp.Env("TMPDIR=" + chromeTmp),
	}, extra...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(deadline, opts...)
	t.Cleanup(cancelAlloc) // waits for the browser process to exit
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(cancelTab)
	// The first Do starts the browser; it is bound by the whole-test
	// deadline, never by a shorter one.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", ChromiumPath, err)
	}
	return ctx
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
