package app_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestBrowserPagesRenderUnderTheirPolicy opens a form page, an error page
// and a subscriber's digest on the web in chromium, with the content
// security policy on: each is styled as designed (the pages by their
// stylesheet, the digest by its inline styles) and the browser reports no
// violation of the policy.
func TestBrowserPagesRenderUnderTheirPolicy(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	text := s.firstDigestOfImported("rosa@example.org", "en", "a workshop for border officials in San José")
	digestURL := viewLink.FindString(text)
	if digestURL == "" {
		t.Fatalf("the digest has no link to its web view:\n%s", text)
	}

	b := newBrowser(t, 60*time.Second)
	var mu sync.Mutex
	var violations []string
	report := func(text string) {
		if strings.Contains(text, "Content Security Policy") {
			mu.Lock()
			violations = append(violations, text)
			mu.Unlock()
		}
	}
	if err := chromedp.Listen(b.ctx, func(ev any) {
		switch e := ev.(type) {
		case *cdplog.EventEntryAdded:
			report(e.Entry.Text)
		case *runtime.EventConsoleAPICalled:
			for _, a := range e.Args {
				report(string(a.Value))
			}
		}
	}); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		url  string
		sel  chromedp.CSS
		want map[string]string // element → its computed background colour
	}{
		{s.base + "/?lang=es", subscribeForm, map[string]string{
			"body": "rgb(245, 247, 249)", "form#subscribe button[type=submit]": "rgb(11, 92, 173)",
		}},
		{s.base + "/no/such/page", pageHeading, map[string]string{"body": "rgb(245, 247, 249)"}},
		{digestURL, chromedp.CSS("body table"), map[string]string{"body": "rgb(238, 241, 244)"}},
	} {
		b.open(tc.url, tc.sel)
		for sel, want := range tc.want {
			ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
			got, err := chromedp.Run(ctx, chromedp.Evaluate[string](
				`getComputedStyle(document.querySelector("`+sel+`")).backgroundColor`))
			cancel()
			if err != nil {
				t.Fatalf("%s: style of %s: %v", tc.url, sel, err)
			}
			if got != want {
				t.Errorf("%s: %s has background %s, want %s: the styles did not apply", tc.url, sel, got, want)
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(violations) > 0 {
		t.Errorf("%d policy violations; the first: %s", len(violations), violations[0])
	}
}
