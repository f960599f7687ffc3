package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserProposesTheReadersTimeZone: with scripts, the sign-up form
// proposes the browser's time zone (Tokyo here, and Montevideo, which the
// list lacks and the script adds); without, the select starts at the
// desk's zone and works as it is.
func TestBrowserProposesTheReadersTimeZone(t *testing.T) {
	t.Parallel()
	s := startStackBare(t, nil)
	b := newBrowser(t, 2*time.Minute)
	zone := func(name string) {
		b.do("browser zone "+name, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: name})
			return err
		}))
	}
	zone("Asia/Tokyo")
	b.open(s.base+"/?lang=en", subscribeForm)
	editionsWaitOnPage(b, "the proposed zone", 20*time.Second, `document.getElementById("timezone").value === "Asia/Tokyo"`)
	zone("America/Montevideo")
	b.open(s.base+"/?lang=en", subscribeForm)
	editionsWaitOnPage(b, "a zone the list lacks", 20*time.Second, `document.getElementById("timezone").value === "America/Montevideo"`)
	editionsWaitOnPage(b, "the added zone named by its city", 20*time.Second,
		`document.querySelector("#timezone option:checked").textContent === "Montevideo"`)
	// The proposed zone is named in the page's language.
	zone("Asia/Tokyo")
	b.open(s.base+"/?lang=es", subscribeForm)
	editionsWaitOnPage(b, "the proposed zone named in Spanish", 20*time.Second,
		`document.getElementById("timezone").value === "Asia/Tokyo" && document.querySelector("#timezone option:checked").textContent === "Tokio"`)
	editionsWaitOnPage(b, "the schedule shown", 20*time.Second,
		`(function () { var d = document.getElementById("timezone").closest("details"); if (d) { d.open = true; } return true; })()`)
	b.shots(t, "form-zone-es")
	b.scripts(false)
	b.open(s.base+"/?lang=en", subscribeForm)
	editionsWaitOnPage(b, "the desk's zone without scripts", 20*time.Second,
		`document.getElementById("timezone").value === "UTC" && document.getElementById("hour").value === "7"`)
}
