package app_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5"
)

// TestAdminEditionsWaitingAndRetryRound watches an edition whose last
// delivery failed temporarily: while it waits for its batch to be tried
// again the page says so, in the editor's language, instead of counting
// down seconds at a rate nothing is sent at. Then an editor's retry sends
// it again, and the edition keeps how its first send went.
func TestAdminEditionsWaitingAndRetryRound(t *testing.T) {
	t.Parallel()
	s := startStackBare(t, nil)
	const reader, busy = "reader@example.org", "busy@example.org"
	var busyRelay atomic.Bool
	busyRelay.Store(true)
	s.smtp.Reject = func(rcpt string) error {
		if busyRelay.Load() && strings.EqualFold(rcpt, busy) {
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "mailbox busy, try later"}
		}
		return nil
	}
	editionsImportFixture(t, s)
	pickStories(t, s)
	if status, got := s.importCSV("email,countries,topics,language\n" + reader + ",CR,,en\n" + busy + ",CR,,en\n"); status != http.StatusOK || got.Imported != 2 {
		t.Fatalf("import subscribers: %d %+v", status, got)
	}
	// A worker that waits a while between tries of a batch, so the wait
	// is seen on the page (the check stops at the first sight of it).
	slow := testWorkerOptions()
	slow.FirstRetryDelay, slow.MaxRetryDelay = 8*time.Second, 8*time.Second
	stopSlow := s.runWorker(s.cfg, slow)

	b := newBrowser(t, 4*time.Minute)
	editionsLogin(b, s)
	b.open(s.base+"/admin/editions/new", chromedp.CSS(`form#edition-confirm`))
	if st := b.submit("confirm the edition", chromedp.CSS(`form#edition-confirm button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("confirm: %d: %s", st, b.pageText())
	}
	id := editionsIDFromURL(t, b.currentURL())
	b.do("edition page", chromedp.WaitVisible(chromedp.CSS(`progress#p-bar`)))
	editionsWaitOnPage(b, "the page says the retries wait", time.Minute,
		`document.getElementById("p-left").textContent === "waiting for retries"`)
	if got := editionsFigure(b, "p-sent"); got != 1 {
		t.Errorf("sent while the retry waits = %d, want 1", got)
	}
	b.shots(t, "edition-waiting-for-retries")
	for lang, want := range map[string]string{"es": "esperando reintentos", "fr": "en attente des nouvelles tentatives"} {
		b.open(s.base+"/admin/editions/"+itoa(id)+"?lang="+lang, chromedp.CSS(`#p-left`))
		if got := b.text("time left in "+lang, chromedp.CSS(`#p-left`)); got != want {
			t.Errorf("the %s page's time left says %q, want %q", lang, got, want)
		}
	}
	b.open(s.base+"/admin/editions/"+itoa(id)+"?lang=en", chromedp.CSS(`#p-left`))

	// The retries run out (a quick worker takes over): the edition is done
	// with one temporary failure, which the editor retries once the relay
	// takes the address.
	stopSlow()
	s.startWorker(testWorkerOptions())
	editionsWaitOnPage(b, "the edition done", 2*time.Minute, finishedOnPage)
	var firstFinished time.Time
	editionsDB(t, s, func(conn *pgx.Conn) {
		if err := conn.QueryRow(context.Background(), `SELECT finished_at FROM editions WHERE id = $1`, id).Scan(&firstFinished); err != nil {
			t.Fatal(err)
		}
	})
	b.open(s.base+"/admin/editions/"+itoa(id)+"?lang=en", chromedp.CSS(`form#retry`))
	if n := editionsEval[int](b, "first send before a retry", `document.querySelectorAll("#first-send").length`); n != 0 {
		t.Errorf("the page shows a first send before any retry")
	}
	busyRelay.Store(false)
	if st := b.submit("retry failed", chromedp.CSS(`form#retry button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("retry: %d: %s", st, b.pageText())
	}
	editionsWaitOnPage(b, "the retried edition done", time.Minute,
		finishedOnPage+` && document.getElementById("p-sent").textContent === "2"`)

	// The first send's figures are kept; the retry's rate is its own.
	var e struct {
		edition
		Rate       float64   `json:"rate"`
		FinishedAt time.Time `json:"finished_at"`
		FirstSend  *struct {
			Sent       int       `json:"sent"`
			Rate       float64   `json:"rate"`
			FinishedAt time.Time `json:"finished_at"`
		} `json:"first_send"`
	}
	s.jsonCall("GET", "/api/v1/editions/"+itoa(id), nil, &e, http.StatusOK)
	if e.FirstSend == nil || e.FirstSend.Sent != 1 || !e.FirstSend.FinishedAt.Equal(firstFinished) {
		t.Fatalf("first send = %+v, want 1 sent, finished %s", e.FirstSend, firstFinished)
	}
	if e.Sent != 2 || e.Failed != 0 || !e.FinishedAt.After(firstFinished) {
		t.Errorf("after the retry: %+v", e)
	}
	editionsDB(t, s, func(conn *pgx.Conn) {
		var from int
		var roundAfterFirst bool
		if err := conn.QueryRow(context.Background(), `
			SELECT round_sent_from, round_started_at >= first_finished_at FROM editions WHERE id = $1`, id).Scan(&from, &roundAfterFirst); err != nil {
			t.Fatal(err)
		}
		if from != 1 || !roundAfterFirst {
			t.Errorf("the retry's round counts from %d sent (want 1), starts after the first finished: %v", from, roundAfterFirst)
		}
	})
	b.open(s.base+"/admin/editions/"+itoa(id)+"?lang=en", chromedp.CSS(`#first-send`))
	if got := b.text("first send", chromedp.CSS(`#first-send`)); !strings.HasPrefix(got, "1 sent at ") {
		t.Errorf("the first send reads %q", got)
	}
	b.shots(t, "edition-retried")
}
