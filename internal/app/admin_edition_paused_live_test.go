package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	gosmtp "github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5"
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
	// Paused, nothing is sent: the time left says it waits for an
	// editor, and the rate is that of the sending before the pause, not
	// one that falls as the pause goes on.
	editionsWaitOnPage(b, "the time left says paused", time.Minute,
		`document.getElementById("p-left").textContent === "paused until an editor resumes it"`)
	id := editionsEval[string](b, "the edition's number", `location.pathname.split("/").pop()`)
	var want float64
	editionsDB(t, s, func(conn *pgx.Conn) {
		err := conn.QueryRow(context.Background(), `SELECT round((sent / extract(epoch FROM paused_at - sending_started_at) * 10)::numeric) / 10
			FROM editions WHERE id = $1`, id).Scan(&want)
		if err != nil {
			t.Fatal(err)
		}
	})
	var got struct{ Rate float64 }
	s.jsonCall("GET", "/api/v1/editions/"+id, nil, &got, http.StatusOK)
	if got.Rate != want {
		t.Errorf("the paused edition's rate is %v messages a second, want %v, its rate until it paused", got.Rate, want)
	}
	b.checkAccessible("edition page, paused while watched")
	b.shots(t, "edition-paused-live")
}
