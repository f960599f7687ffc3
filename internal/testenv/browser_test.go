package testenv

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestChromiumTabsShareTheBrowserNotTheCookies: two tests' tabs run in one
// browser process, and a cookie one tab gets is not sent by the other.
func TestChromiumTabsShareTheBrowserNotTheCookies(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/set" {
			http.SetCookie(w, &http.Cookie{Name: "who", Value: "first", Path: "/"})
			fmt.Fprint(w, "<title>set</title>")
			return
		}
		c, err := r.Cookie("who")
		if err != nil {
			fmt.Fprint(w, "<title>none</title>")
			return
		}
		fmt.Fprintf(w, "<title>%s</title>", c.Value)
	}))
	t.Cleanup(srv.Close)
	// title opens the pages in a new tab and returns the last one's title.
	title := func(t *testing.T, paths ...string) (string, *chromedp.Browser) {
		ctx := Chromium(t, time.Minute)
		for _, path := range paths {
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+path)); err != nil {
				t.Fatal(err)
			}
		}
		got, err := chromedp.Run(ctx, chromedp.Title())
		if err != nil {
			t.Fatal(err)
		}
		return got, chromedp.FromContext(ctx).Browser
	}
	var first, second *chromedp.Browser
	t.Run("first", func(t *testing.T) {
		if got, b := title(t, "/set", "/"); got != "first" {
			t.Errorf("the tab that was given the cookie shows %q", got)
		} else {
			first = b
		}
	})
	t.Run("second", func(t *testing.T) {
		if got, b := title(t, "/"); got != "none" {
			t.Errorf("another test's tab sent the first one's cookie: %q", got)
		} else {
			second = b
		}
	})
	if first == nil || first != second {
		t.Errorf("the two tests' tabs ran in different browsers")
	}
}
