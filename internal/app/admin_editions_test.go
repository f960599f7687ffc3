package app_test

import (
	"context"
	"html"
	"io"
	"mime"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/testenv"
)

// editionsEval evaluates js in b's page and returns its value.
func editionsEval[T any](b *browserSession, what, js string) T {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// editionsFigure reads a number the edition's page shows.
func editionsFigure(b *browserSession, id string) int {
	b.t.Helper()
	s := editionsEval[string](b, "read #"+id, `(document.getElementById("`+id+`")||{}).textContent||""`)
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		b.t.Fatalf("#%s shows %q, not a number", id, s)
	}
	return n
}

// editionsWaitOnPage polls the page's DOM (never reloading it itself)
// until cond holds, or fails after the deadline. A page that reloads on
// its own (scripts off) may be between documents when asked: that is
// asked again.
func editionsWaitOnPage(b *browserSession, what string, timeout time.Duration, cond string) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ctx, cancel := b.step()
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("waited %s for %s (last error %v); the page says: %s", timeout, what, err, b.pageText())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// finishedOnPage holds once the page shows the edition finished.
const finishedOnPage = `document.getElementById("progress").dataset.finished === "true"`

// editionsFrameShows waits until the preview frame in the page shows text.
func editionsFrameShows(b *browserSession, text string) {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		shown := editionsEval[string](b, "read the frame", `(function(){ var d = document.getElementById("preview").contentDocument; return d && d.body ? d.body.innerText : ""; })()`)
		if strings.Contains(shown, text) {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("the preview frame does not show %q; it shows %.500q", text, shown)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// editionsDB runs fn with a connection to the stack's database.
func editionsDB(t *testing.T, s *stack, fn func(conn *pgx.Conn)) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), s.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	fn(conn)
}

// editionsImportFixture imports the year of IOM news.
func editionsImportFixture(t *testing.T, s *stack) {
	t.Helper()
	listing, err := os.ReadFile("../ingest/testdata/iom-rosanjose-news-2020.txt")
	if err != nil {
		t.Fatal(err)
	}
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", listing, true); status != http.StatusOK {
		t.Fatalf("import the fixture: %d %.300s", status, body)
	}
}

// editionsLogin logs in as the owner. The page after the login is the
// dashboard, another section's: only where the login led is checked.
func editionsLogin(b *browserSession, s *stack) {
	b.t.Helper()
	b.adminLogin(s.base, "admin", adminPassword)
	if u := b.currentURL(); strings.Contains(u, "/admin/login") {
		b.t.Fatalf("still at the login: %s: %s", u, b.pageText())
	}
}

func editionsIDFromURL(t *testing.T, u string) int64 {
	t.Helper()
	path := u[strings.Index(u, "/admin/editions/")+len("/admin/editions/"):]
	path, _, _ = strings.Cut(path, "?")
	id, err := strconv.ParseInt(path, 10, 64)
	if err != nil {
		t.Fatalf("not an edition's page: %s", u)
	}
	return id
}

// TestAdminEditionsSendWatchRetryPreview sends an edition from the
// console as an editor would: the confirmation's figures, the live
// progress to done on the page, a 550 refusal shown with its reply and
// retried once the address is accepted, then the digest of a subscriber
// previewed in the page and test-sent.
func TestAdminEditionsSendWatchRetryPreview(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	const reader, busy, refused, unsure, nomatch = "reader@example.org", "busy@example.org", "refused@example.org",
		"unsure@example.org", "nomatch@example.org"
	var busyRelay atomic.Bool
	busyRelay.Store(true)
	s.smtp.Reject = func(rcpt string) error {
		switch {
		case strings.EqualFold(rcpt, refused):
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox here"}
		case busyRelay.Load() && strings.EqualFold(rcpt, busy):
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "mailbox busy, try later"}
		}
		return nil
	}
	// The reader's message waits at the relay until the test has the
	// edition's page open, so the page is seen to change by itself.
	hold := make(chan struct{})
	var release sync.Once
	defer release.Do(func() { close(hold) })
	s.smtp.AfterData = func(rcpts []string) error {
		if slices.Contains(rcpts, reader) {
			<-hold
		}
		return nil
	}
	editionsImportFixture(t, s)
	pickStories(t, s) // stories of 2020: in an edition of new stories only when picked
	csv := "email,countries,topics,language\n"
	for _, addr := range []string{reader, busy, refused, unsure} {
		csv += addr + ",CR,,en\n"
	}
	if status, got := s.importCSV(csv + nomatch + ",KN,,en\n"); status != http.StatusOK || got.Imported != 5 {
		t.Fatalf("import subscribers: %d %+v", status, got)
	}

	b := newBrowser(t, 4*time.Minute)
	editionsLogin(b, s)
	b.open(s.base+"/admin/editions", chromedp.CSS(`a[href="/admin/editions/new"]`))
	b.checkAccessible("editions list (empty)")

	// Send now: the confirmation says what it will do.
	b.submit("open send now", chromedp.CSS(`a[href="/admin/editions/new"]`))
	b.do("confirmation", chromedp.WaitVisible(chromedp.CSS(`form#edition-confirm`)))
	stories, subscribers, nonEmpty := editionsFigure(b, "plan-stories"), editionsFigure(b, "plan-subscribers"), editionsFigure(b, "plan-nonempty")
	if stories == 0 || subscribers != 5 || nonEmpty != 4 {
		t.Fatalf("the confirmation says %d stories, %d subscribers, %d non-empty; want some, 5, 4", stories, subscribers, nonEmpty)
	}
	b.checkAccessible("send now confirmation")
	b.shots(t, "editions-confirm")
	if st := b.submit("confirm the edition", chromedp.CSS(`form#edition-confirm button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("confirm: %d: %s", st, b.pageText())
	}
	id := editionsIDFromURL(t, b.currentURL())
	b.do("edition page", chromedp.WaitVisible(chromedp.CSS(`progress#p-bar`)))
	if got := b.text("flash", flashStatus); got == "" {
		t.Error("no flash after creating the edition")
	}

	// Live progress: a marker set now survives only if the page never
	// reloads while it goes to done (the busy address is tried until its
	// retries run out).
	editionsEval[bool](b, "set the marker", `window.editionsMarker = "kept"; true`)
	editionsWaitOnPage(b, "the page shows sending", time.Minute,
		`document.getElementById("progress").dataset.status === "sending"`)
	b.shots(t, "edition-sending")
	release.Do(func() { close(hold) })
	editionsWaitOnPage(b, "the page shows the edition done", 2*time.Minute, finishedOnPage)
	if m := editionsEval[string](b, "read the marker", `String(window.editionsMarker)`); m != "kept" {
		t.Fatalf("the page reloaded while it waited (marker %q)", m)
	}
	var e edition
	s.jsonCall("GET", "/api/v1/editions/"+itoa(id), nil, &e, http.StatusOK)
	sent, failed, skipped, total := editionsFigure(b, "p-sent"), editionsFigure(b, "p-failed"), editionsFigure(b, "p-skipped"), editionsFigure(b, "p-total")
	if e.Status != "done" || e.Items != stories || e.Total != subscribers || sent != e.Sent || failed != e.Failed || skipped != e.Skipped || total != e.Total {
		t.Fatalf("page says sent %d failed %d skipped %d of %d; API says %+v; confirmation said %d stories, %d subscribers",
			sent, failed, skipped, total, e, stories, subscribers)
	}
	if sent != 2 || failed != 2 || skipped != 1 || sent+failed != nonEmpty {
		t.Fatalf("sent %d, failed %d, skipped %d: want 2, 2, 1", sent, failed, skipped)
	}
	if !strings.Contains(b.text("skip reasons", chromedp.CSS(`#skip-reasons`)), "nothing matched") {
		t.Errorf("skip reasons do not say nothing matched: %s", b.pageText())
	}

	// A connection that broke after the whole message had left is a
	// state the relay cannot be made to show quickly: written as the
	// sender would have recorded it.
	s.sqlExec(`UPDATE deliveries SET status = 'failed', failure = 'uncertain', sent_at = NULL,
		last_error = 'uncertain, not retried: SMTP connection: read tcp: i/o timeout'
		WHERE edition_id = $1 AND subscriber_id = (SELECT id FROM subscribers WHERE email = $2)`, id, unsure)
	s.sqlExec(`UPDATE editions SET sent = sent - 1, failed = failed + 1 WHERE id = $1`, id)
	b.open(s.base+"/admin/editions/"+itoa(id), chromedp.CSS(`form#retry`))

	// Each kind of failure apart, with what it means, each address a
	// link to its subscriber.
	for kind, want := range map[string][]string{
		"temporary": {busy, "451", "mailbox busy, try later", "can be sent again"},
		"permanent": {refused, "550", "no such mailbox here", "not retried"},
		"uncertain": {unsure, "i/o timeout", "never sent again"},
	} {
		section := b.text(kind+" failures", chromedp.CSS(`section#failed-`+kind))
		for _, w := range want {
			if !strings.Contains(section, w) {
				t.Errorf("the %s failures say %q, lacking %q", kind, section, w)
			}
		}
	}
	for _, addr := range []string{busy, refused, unsure} {
		href := editionsEval[string](b, "the link of "+addr,
			`(Array.from(document.querySelectorAll("section.ed-failures a")).find(a => a.textContent === "`+addr+`")||{}).pathname||""`)
		if want := "/admin/subscribers/" + itoa(s.subsID(addr)); href != want {
			t.Errorf("%s links to %q, want %q", addr, href, want)
		}
	}
	if got := b.text("retry button", chromedp.CSS(`form#retry button`)); !strings.Contains(got, "1 temporarily failed") {
		t.Errorf("the retry button says %q, want it to retry the 1 temporarily failed", got)
	}
	b.checkAccessible("edition page, done with failures of each kind")
	b.shots(t, "edition-done-failed")
	b.open(s.base+"/admin/editions/"+itoa(id)+"?lang=es", chromedp.CSS(`section#failed-uncertain`))
	if got := b.text("uncertain failures in Spanish", chromedp.CSS(`section#failed-uncertain h3`)); !strings.HasPrefix(got, "Inciertos") {
		t.Errorf("the Spanish page heads the uncertain failures %q", got)
	}
	b.checkAccessible("edition page in Spanish")
	b.shots(t, "edition-done-failed-es")
	b.open(s.base+"/admin/editions/"+itoa(id)+"?lang=en", chromedp.CSS(`form#retry`))

	// Retry once the relay takes the busy address: only it is sent again.
	busyRelay.Store(false)
	if st := b.submit("retry failed", chromedp.CSS(`form#retry button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("retry: %d: %s", st, b.pageText())
	}
	editionsEval[bool](b, "set the marker", `window.editionsMarker = "kept"; true`)
	editionsWaitOnPage(b, "the retried edition done", time.Minute,
		finishedOnPage+` && document.getElementById("p-failed").textContent === "2"`)
	if m := editionsEval[string](b, "read the marker", `String(window.editionsMarker)`); m != "kept" {
		t.Fatalf("the page reloaded after the retry (marker %q)", m)
	}
	if got := editionsFigure(b, "p-sent"); got != 2 {
		t.Fatalf("sent after retry = %d, want 2", got)
	}
	s.smtp.WaitFor(t, 10*time.Second, "the retried message", func([]testenv.Received) bool { return len(s.smtp.To(busy)) == 1 })
	b.open(s.base+"/admin/editions/"+itoa(id), chromedp.CSS(`section#failed-permanent`))
	if n := editionsEval[int](b, "retry forms", `document.querySelectorAll("form#retry, section#failed-temporary").length`); n != 0 {
		t.Errorf("after the retry the page still offers a retry or lists temporary failures (%d)", n)
	}
	if n := len(s.smtp.To(unsure)); n != 1 {
		t.Errorf("the uncertain address got %d messages, want the 1 it may already have", n)
	}
	b.shots(t, "edition-done")

	// The reader's digest, in the page.
	var titles []string
	editionsDB(t, s, func(conn *pgx.Conn) {
		rows, err := conn.Query(context.Background(), `SELECT title FROM items WHERE 'CR' = ANY(countries) AND language = 'en'
			AND id IN (SELECT item_id FROM edition_items WHERE edition_id = $1)`, id)
		if err != nil {
			t.Fatal(err)
		}
		titles, err = pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil || len(titles) == 0 {
			t.Fatalf("Costa Rica stories of the edition: %v %v", titles, err)
		}
	})
	// As a filter first (the form's own fields), then as the subscriber.
	b.open(s.base+"/admin/editions/preview?edition="+itoa(id)+"&countries=CR&language=en&mode=any", chromedp.CSS(`iframe#preview`))
	editionsFrameShows(b, titles[0])
	b.open(s.base+"/admin/editions/preview?edition="+itoa(id)+"&email="+reader, chromedp.CSS(`iframe#preview`))
	if !editionsEval[bool](b, "the frame is sandboxed", `document.getElementById("preview").hasAttribute("sandbox")`) {
		t.Fatal("the preview frame has no sandbox")
	}
	editionsFrameShows(b, titles[0])
	// The form shows the reader's own choices, as the frame does.
	if !editionsEval[bool](b, "the reader's choices in the form", `document.getElementById("filter-of-email") !== null &&
		document.querySelector('input[name=countries][value=CR]').checked &&
		document.getElementById("language").value === "en"`) {
		t.Error("previewed as the reader, the form does not show their choices")
	}
	b.checkAccessible("preview")
	b.shots(t, "edition-preview-reader")
	b.do("type the test address", chromedp.SetValue(chromedp.CSS(`#to`), "editor@example.org"))
	if st := b.submit("test send", chromedp.CSS(`form#test-send button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("test send: %d: %s", st, b.pageText())
	}
	s.smtp.WaitFor(t, 30*time.Second, "the test digest", func([]testenv.Received) bool { return len(s.smtp.To("editor@example.org")) == 1 })
	// Reloaded, the page says how the test send went.
	b.open(b.currentURL(), chromedp.CSS(`ul#test-sends li[data-outcome="sent"]`))
	b.shots(t, "edition-preview-test-sent")
	test := s.smtp.To("editor@example.org")[0]
	subj, _ := new(mime.WordDecoder).DecodeHeader(test.Header("Subject"))
	if !strings.HasPrefix(subj, "[TEST] ") {
		t.Errorf("test send subject %q is not marked as a test", subj)
	}
	text, htmlBody := bodies(t, test.Raw)
	if !strings.Contains(strings.Join(strings.Fields(text), " "), titles[0]) {
		t.Errorf("the test digest lacks %q", titles[0])
	}
	// Its reader's links (the web version, preferences, leaving) say
	// that they come from a test, not that they no longer work.
	links := regexp.MustCompile(`href="([^"]*/`+domain.TestSendToken+`[^"]*)"`).FindAllStringSubmatch(htmlBody, -1)
	if len(links) < 2 {
		t.Errorf("the test digest has %d reader's links", len(links))
	}
	for _, l := range links {
		resp, err := http.Get(html.UnescapeString(l[1]))
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(page), "This link is from a test send") {
			t.Errorf("%s from the test send: %d: %.300s", l[1], resp.StatusCode, page)
		}
	}

	editionsDB(t, s, func(conn *pgx.Conn) {
		rows, _ := conn.Query(context.Background(), `SELECT action FROM audit_log WHERE actor = 'admin' AND object_id = $1 ORDER BY id`, itoa(id))
		actions, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"edition.create", "edition.retry", "edition.test_send"} {
			if !slices.Contains(actions, want) {
				t.Errorf("audit log of edition %d = %v, lacks %s", id, actions, want)
			}
		}
	})
}
