package render

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"newsdigest/internal/testenv"
)

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
// a digest of hostile stories, and the confirmation, welcome and
// "already subscribed" mails in headless
// Chromium at a phone's width (320 px) and the card's (600 px), in the
// light and the dark scheme. At each it checks that nothing scrolls
// sideways, that the scheme took (the card is white in the light, dark in
// the dark), and runs axe-core, which must find nothing; the screenshots
// go to the test's artifact directory (go test -artifacts keeps them).
func TestEmailsInABrowser(t *testing.T) {
	r := mustNew(t)
	mails := map[string]string{}
	// French: the stories are representativeDigest's English ones, in
	// the French frame, whose words run longest.
	for _, lang := range []string{"en", "es", "fr"} {
		mails["digest-"+lang] = mustDigest(t, r, representativeDigest(lang)).WithToken("tok123").HTML
		c, err := r.Confirmation(Confirmation{Language: lang, ListName: "Migration News Digest",
			ConfirmURL: "https://news.example.org/confirm/abcDEF123_-xyz", PostalAddress: postalAddress})
		if err != nil {
			t.Fatal(err)
		}
		mails["confirm-"+lang] = c.HTML
		w, err := r.Welcome(Welcome{Language: lang, ListName: "Migration News Digest", Countries: []string{"Costa Rica", "Panamá"},
			Topics: []string{"Health"}, DigestLanguage: lang, Schedule: "Every Monday at 07:00 (Costa Rica time)",
			PreferencesURL: "https://news.example.org/preferences/abcDEF123_-xyz",
			UnsubscribeURL: "https://news.example.org/unsubscribe/abcDEF123_-xyz", PostalAddress: postalAddress})
		if err != nil {
			t.Fatal(err)
		}
		mails["welcome-"+lang] = w.HTML
		k, err := r.Known(Known{Language: lang, ListName: "Migration News Digest",
			PreferencesURL: "https://news.example.org/preferences/abcDEF123_-xyz",
			UnsubscribeURL: "https://news.example.org/unsubscribe/abcDEF123_-xyz", PostalAddress: postalAddress})
		if err != nil {
			t.Fatal(err)
		}
		mails["known-"+lang] = k.HTML
	}
	mails["digest-hostile"] = mustDigest(t, r, hostileDigest("en")).WithToken("tok123").HTML

	dir, shots := t.TempDir(), t.ArtifactDir()
	axe := testenv.AxeSource(t)
	ctx := testenv.Chromium(t, 4*time.Minute)
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
				// Two rules are about a whole web page and do not apply to
				// an email: a mail client shows it inside its own page,
				// whose landmarks hold it, and a main landmark in the email
				// would be a second one there. The email is one article in
				// its language instead, as mail clients' own markup does.
				// (The web digest wraps it in <main>, and is checked whole.)
				vs, err := testenv.AxeViolations(step, axe, "region", "landmark-one-main")
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				for _, v := range vs {
					t.Errorf("%s: accessibility: %s", what, v)
				}
				if !testenv.KeepsArtifacts() {
					cancel()
					continue
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
