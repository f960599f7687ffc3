package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	gosmtp "github.com/emersion/go-smtp"
)

// TestAdminEditionPauseShowsLive watches an edition's page while the
// edition pauses itself for bounces: why it paused, and the button to
// resume it, come onto the page as its status changes, without a reload.
func TestAdminEditionPauseShowsLive(t *testing.T) {
	t.Parallel()
	// At 20 messages a second the 60 take 3 s, past the pauser's look a
	// second: unpaced, a quick machine sends them all before it looks
	// again once 10 are tried, and the edition ends unpaused.
	s := startStackBare(t, map[string]string{"EDITION_PAUSE_MIN_SENT": "10", "SEND_RATE": "20"})
	s.smtp.Reject = func(rcpt string) error {
		if strings.HasPrefix(rcpt, "gone") {
			return &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
		}
		return nil
	}
	editionsImportFixture(t, s)
	pickStories(t, s)
	importSomeGone(t, s, 60, 2)

	// No worker yet: the page is first shown sending, not paused.
	b := newBrowser(t, 4*time.Minute)
	editionSentFromTheConsole(t, b, s)
	if editionsEval[bool](b, "not paused yet", `document.getElementById("paused") !== null`) {
		t.Fatalf("the page says paused before any worker ran: %s", b.pageText())
	}
	editionsEval[bool](b, "set the marker", `window.editionsMarker = "kept"; true`)

	s.runWorker(s.cfg, testWorkerOptions())
	editionsWaitOnPage(b, "why it paused, with the resume button", time.Minute, `
		document.getElementById("p-status").className === "status-paused" &&
		document.getElementById("paused-why") !== null &&
		document.querySelector("form#resume button") !== null`)
	if m := editionsEval[string](b, "read the marker", `String(window.editionsMarker)`); m != "kept" {
		t.Fatalf("the page reloaded (marker %q)", m)
	}
	if why := b.text("why it paused", chromedp.CSS(`#paused-why`)); !strings.Contains(why, "%") {
		t.Errorf("the page says it paused because %q", why)
	}
	b.checkAccessible("edition page, paused while watched")
	b.shots(t, "edition-paused-live")
}
