package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/emersion/go-smtp"
)

// TestAdminEditionsListsFollowTheFigures watches an edition's page while
// one address is refused for good (550) and another waits for its
// retries (451): the failures, with the refusal and its reply, and the
// skips come onto the page as the figures above them count them, without
// a reload and long before the retries run out. The lists are fetched
// again when those counts change, not at every poll.
func TestAdminEditionsListsFollowTheFigures(t *testing.T) {
	t.Parallel()
	s := startStackBare(t, nil)
	const reader, busy, refused, nomatch = "reader@example.org", "busy@example.org", "refused@example.org", "nomatch@example.org"
	s.smtp.Reject = func(rcpt string) error {
		switch {
		case strings.EqualFold(rcpt, refused):
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox here"}
		case strings.EqualFold(rcpt, busy):
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "mailbox busy, try later"}
		}
		return nil
	}
	editionsImportFixture(t, s)
	pickStories(t, s)
	csv := "email,countries,topics,language\n" + reader + ",CR,,en\n" + busy + ",CR,,en\n" + refused + ",CR,,en\n" + nomatch + ",KN,,en\n"
	if status, got := s.importCSV(csv); status != http.StatusOK || got.Imported != 4 {
		t.Fatalf("import subscribers: %d %+v", status, got)
	}

	// No worker yet: the page is first shown with nothing failed or
	// skipped, so whatever it lists later it got by itself.
	b := newBrowser(t, 4*time.Minute)
	editionSentFromTheConsole(t, b, s)
	if !editionsEval[bool](b, "nothing failed or skipped yet",
		`document.getElementById("no-failures") !== null && document.getElementById("skip-reasons") === null`) {
		t.Fatalf("the page lists failures or skips before any worker ran: %s", b.pageText())
	}
	// The marker is lost if the page reloads; fetches are counted, page
	// against figures; the cancel link has the focus, and keeps it.
	editionsEval[bool](b, "set the marker and the counters", `
		window.editionsMarker = "kept";
		window.pageFetches = 0; window.polls = 0;
		var fetchNow = window.fetch;
		window.fetch = function (u) {
			if (String(u).indexOf("/progress") >= 0) window.polls++; else window.pageFetches++;
			return fetchNow.apply(this, arguments);
		};
		document.getElementById("cancel-link").focus();
		document.activeElement.id === "cancel-link"`)

	// A worker whose retries wait far longer than the test.
	slow := testWorkerOptions()
	slow.FirstRetryDelay, slow.MaxRetryDelay = 10*time.Minute, 10*time.Minute
	s.runWorker(s.cfg, slow)
	editionsWaitOnPage(b, "the failure and the skip listed while the retries wait", time.Minute, `
		document.getElementById("p-left").textContent === "waiting for retries" &&
		document.getElementById("p-failed").textContent === "1" &&
		document.getElementById("p-skipped").textContent === "1" &&
		document.getElementById("no-failures") === null &&
		document.getElementById("skip-reasons") !== null &&
		(document.getElementById("failed-permanent") || {textContent: ""}).textContent.indexOf("550") >= 0`)
	if m := editionsEval[string](b, "read the marker", `String(window.editionsMarker)`); m != "kept" {
		t.Fatalf("the page reloaded (marker %q)", m)
	}
	section := b.text("permanent failures", chromedp.CSS(`section#failed-permanent`))
	for _, want := range []string{refused, "550", "no such mailbox here"} {
		if !strings.Contains(section, want) {
			t.Errorf("the permanent failures say %q, lacking %q", section, want)
		}
	}
	if got := b.text("failed count", chromedp.CSS(`#failed-heading + p`)); !strings.Contains(got, "1") {
		t.Errorf("the failures' count reads %q", got)
	}
	if got := b.text("skip reasons", chromedp.CSS(`#skip-reasons`)); !strings.Contains(got, "nothing matched") {
		t.Errorf("the skip reasons say %q, want nothing matched", got)
	}
	if n := editionsEval[int](b, "temporary failures", `document.querySelectorAll("section#failed-temporary").length`); n != 0 {
		t.Errorf("the address whose retries wait is listed as failed")
	}
	if id := editionsEval[string](b, "focus", `document.activeElement ? document.activeElement.id : ""`); id != "cancel-link" {
		t.Errorf("after the lists came in the focus is on %q, not the cancel link it was on", id)
	}
	b.checkAccessible("edition page, lists brought in while the retries wait")
	b.shots(t, "edition-waiting-lists")

	// Figures that stay the same bring no new page.
	fetched := editionsEval[int](b, "page fetches", `window.pageFetches`)
	polls := editionsEval[int](b, "polls", `window.polls`)
	editionsWaitOnPage(b, "three more polls", 30*time.Second, `window.polls >= `+itoa(int64(polls+3)))
	if again := editionsEval[int](b, "page fetches", `window.pageFetches`); again != fetched {
		t.Errorf("the page was fetched %d more times while its figures stayed the same", again-fetched)
	}
}

// editionSentFromTheConsole logs b in, sends an edition of new stories
// from the console's form, and waits on the edition's page it leads to.
func editionSentFromTheConsole(t *testing.T, b *browserSession, s *stack) {
	t.Helper()
	editionsLogin(b, s)
	b.open(s.base+"/admin/editions/new", chromedp.CSS(`form#edition-confirm`))
	if st := b.submit("confirm the edition", chromedp.CSS(`form#edition-confirm button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("confirm: %d: %s", st, b.pageText())
	}
	b.do("edition page", chromedp.WaitVisible(chromedp.CSS(`progress#p-bar`)))
}
