package app_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestPublicFormAccessible runs axe-core on the subscribe form in every
// languages (its region headings once skipped a level), and checks that
// the first Tab reaches a skip link that jumps past the header.
func TestPublicFormAccessible(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	b := newBrowser(t, 3*time.Minute)
	for _, lang := range []string{"en", "es", "fr"} {
		b.open(s.base+"/?lang="+lang, subscribeForm)
		b.checkAccessible("subscribe form (" + lang + ")")
		b.do("press Tab", chromedp.KeyEvent("\t"))
		ctx, cancel := b.step()
		first, err := chromedp.Run(ctx,
			chromedp.Evaluate[string](`document.activeElement.className + " " + document.activeElement.getAttribute("href")`))
		cancel()
		if err != nil {
			t.Fatalf("read the focused element: %v", err)
		}
		if first != "skip #main" {
			t.Errorf("%s: the first Tab reaches %q, want the skip link to #main", lang, first)
		}
	}
}
