package app_test

import (
	"net/http"
	"strconv"
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
	s := startStackBare(t, map[string]string{"EDITION_PAUSE_MIN_SENT": "10"})
	s.smtp.Reject = func(rcpt string) error {
		if strings.HasPrefix(rcpt, "gone") {
			return &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
		}
		return nil
	}
	editionsImportFixture(t, s)
	pickStories(t, s)
	var csv strings.Builder
	csv.WriteString("email,countries,topics,language\n")
	const people = 60
	for i := range people {
		name := "reader"
		if i%2 == 0 {
			name = "gone"
		}
		csv.WriteString(name + strconv.Itoa(i) + "@example.org,CR,,en\n")
	}
	if status, got := s.importCSV(csv.String()); status != http.StatusOK || got.Imported != people {
		t.Fatalf("import readers: %d %+v", status, got)
	}

	// No worker yet: the page is first shown sending, not paused.
	b := newBrowser(t, 4*time.Minute)
	editionsLogin(b, s)
	b.open(s.base+"/admin/editions/new", chromedp.CSS(`form#edition-confirm`))
	if st := b.submit("confirm the edition", chromedp.CSS(`form#edition-confirm button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("confirm: %d: %s", st, b.pageText())
	}
	b.do("edition page", chromedp.WaitVisible(chromedp.CSS(`progress#p-bar`)))
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
}
