package app_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"newsdigest/internal/testenv"
)

// TestAdminEditionsCancelMidSend cancels an edition while it is sending
// slowly: what was sent stays sent, the rest is skipped as cancelled,
// the counters add up and no more mail goes out. With scripts off, the
// page of the sending edition refreshes itself.
func TestAdminEditionsCancelMidSend(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"SEND_RATE": "2"})
	editionsImportFixture(t, s)
	var csv strings.Builder
	csv.WriteString("email,countries,topics,language\n")
	const people = 150 // 75 s at SEND_RATE 2: still sending when cancelled
	for i := range people {
		csv.WriteString("reader" + strconv.Itoa(i) + "@example.org,CR,,en\n")
	}
	if status, got := s.importCSV(csv.String()); status != http.StatusOK || got.Imported != people {
		t.Fatalf("import subscribers: %d %+v", status, got)
	}
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", stories2020, &created, http.StatusAccepted)
	id := created.ID
	page := s.base + "/admin/editions/" + itoa(id)

	b := newBrowser(t, 4*time.Minute)
	editionsLogin(b, s)

	// Scripts off: the page says where it is and refreshes itself.
	b.do("turn scripts off", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	b.open(page, chromedp.CSS(`progress#p-bar`))
	editionsWaitOnPage(b, "sending, with something sent", time.Minute,
		`document.getElementById("p-status").className === "status-sending" && document.getElementById("p-sent").textContent !== "0"`)
	if !editionsEval[bool](b, "meta refresh", `!!document.querySelector('meta[http-equiv="refresh"]')`) {
		t.Fatal("with scripts off, the sending edition's page has no refresh")
	}
	before := editionsFigure(b, "p-sent")
	editionsEval[bool](b, "set the marker", `window.editionsMarker = "kept"; true`)
	editionsWaitOnPage(b, "the page refreshed itself with more sent", time.Minute,
		`window.editionsMarker === undefined && Number(document.getElementById("p-sent").textContent) > `+strconv.Itoa(before))
	b.do("turn scripts on", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false})
		return err
	}))

	// Cancel, through the page that says what it will do.
	b.open(page, chromedp.CSS(`a#cancel-link`))
	b.checkAccessible("edition page while sending")
	b.shots(t, "edition-sending-cancellable")
	b.submit("open cancel", chromedp.CSS(`a#cancel-link`))
	b.do("cancel confirmation", chromedp.WaitVisible(chromedp.CSS(`form#cancel`)))
	if st := b.submit("cancel", chromedp.CSS(`form#cancel button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("cancel: %d: %s", st, b.pageText())
	}
	editionsWaitOnPage(b, "the cancelled edition settled", time.Minute, finishedOnPage)
	b.shots(t, "edition-cancelled")

	var e edition
	s.jsonCall("GET", "/api/v1/editions/"+itoa(id), nil, &e, http.StatusOK)
	if e.Status != "done" || e.Reason != "cancelled" || e.Total != people || e.Sent+e.Failed+e.Skipped != e.Total || e.Sent == 0 || e.Skipped == 0 {
		t.Fatalf("after cancel: %+v; want done, cancelled, some sent, the rest skipped, adding up to %d", e, people)
	}
	if shown := editionsFigure(b, "p-sent"); shown != e.Sent {
		t.Errorf("page shows %d sent, API %d", shown, e.Sent)
	}
	editionsDB(t, s, func(conn *pgx.Conn) {
		var sent, cancelled, other int
		err := conn.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE status = 'sent'),
			count(*) FILTER (WHERE status = 'skipped' AND reason = 'cancelled'),
			count(*) FILTER (WHERE status NOT IN ('sent', 'skipped') OR (status = 'skipped' AND reason <> 'cancelled'))
			FROM deliveries WHERE edition_id = $1`, id).Scan(&sent, &cancelled, &other)
		if err != nil {
			t.Fatal(err)
		}
		if sent != e.Sent || cancelled != e.Skipped || other != e.Failed {
			t.Fatalf("deliveries: %d sent, %d cancelled, %d other; edition %+v", sent, cancelled, other, e)
		}
	})
	// Sent stays sent, and nothing more leaves: the relay got exactly
	// the messages counted sent, and still has them a few seconds on
	// (the reconciler runs every second in tests).
	count := func() int {
		n := 0
		for _, m := range s.smtp.Messages() {
			if m.Header("X-Newsdigest-Edition") == itoa(id) {
				n++
			}
		}
		return n
	}
	s.smtp.WaitFor(t, 10*time.Second, "the sent messages", func([]testenv.Received) bool { return count() >= e.Sent })
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if n := count(); n != e.Sent {
			t.Fatalf("the relay has %d messages of the edition, %d counted sent", n, e.Sent)
		}
	}
	editionsDB(t, s, func(conn *pgx.Conn) {
		var n int
		if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'edition.cancel' AND object_id = $1`, itoa(id)).Scan(&n); err != nil || n != 1 {
			t.Errorf("edition.cancel audited %d times (%v), want 1", n, err)
		}
	})
	// The API's door to the same service refuses a second cancel.
	if status, body := s.do("POST", "/api/v1/editions/"+itoa(id)+"/cancel", "", nil, true); status != http.StatusConflict {
		t.Errorf("second cancel via the API: %d %s, want 409", status, body)
	}
}
