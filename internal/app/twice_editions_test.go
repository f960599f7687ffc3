package app_test

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"newsdigest/internal/testenv"
)

// TestEditionAskedTwiceAtOnce: a script that sends POST /api/v1/editions
// twice at once (a retry after a timeout, the first having gone through)
// is answered the same edition both times, and no reader is sent its
// stories twice: with a published range, and for the stories new since
// the last edition.
func TestEditionAskedTwiceAtOnce(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	editionsImportFixture(t, s)
	if status, got := s.importCSV("email,countries,topics,language\none@example.org,MX,,en\ntwo@example.org,GT,,es\n"); status != http.StatusOK || got.Imported != 2 {
		t.Fatalf("import subscribers: %d %+v", status, got)
	}
	day := time.Now().UTC().Format("2 January, 2006")
	fresh := day + "\n\nMexico: a new shelter opens in Tapachula\n\nThe shelter in Tapachula takes 200 people.\n\nhttps://news.example.org/tapachula-shelter\n\n" +
		day + "\n\nGuatemala: a labour survey in Quetzaltenango\n\nThe survey counted 900 workers.\n\nhttps://news.example.org/xela-survey\n"

	digests := 0
	for _, tc := range []struct {
		name string
		body map[string]any
		news string // a listing imported first
	}{
		{"published range", stories2020, ""},
		{"new stories", map[string]any{}, fresh},
	} {
		if tc.news != "" {
			if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(tc.news), true); status != http.StatusOK {
				t.Fatalf("%s: import: %d %s", tc.name, status, body)
			}
		}
		var wg sync.WaitGroup
		ids := make([]int64, 2)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var created struct{ ID int64 }
				s.jsonCall("POST", "/api/v1/editions", tc.body, &created, http.StatusAccepted)
				ids[i] = created.ID
			}()
		}
		wg.Wait()
		if ids[0] != ids[1] {
			t.Errorf("%s: asked twice at once, editions %d and %d were made", tc.name, ids[0], ids[1])
		}
		for _, id := range ids {
			if e := s.waitEdition(id); e.Status != "done" {
				t.Fatalf("%s: edition %+v", tc.name, e)
			}
		}
		digests++
		for _, addr := range []string{"one@example.org", "two@example.org"} {
			if n := len(s.smtp.To(addr)); n != digests {
				t.Errorf("%s: %s has %d digests, want %d", tc.name, addr, n, digests)
			}
		}
	}
	var list struct{ Editions []edition }
	s.jsonCall("GET", "/api/v1/editions", nil, &list, http.StatusOK)
	if len(list.Editions) != 2 {
		t.Errorf("%d editions made, want 2: %+v", len(list.Editions), list.Editions)
	}
}

// TestEditionSendDoubleClicked: an editor who clicks "Send" twice on the
// console's confirmation of an edition of new stories lands both times on
// the one edition made, the second told it was made already, not that
// there is no story to send.
func TestEditionSendDoubleClicked(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	importStoryOfToday(t, s)
	if status, got := s.importCSV("email,countries,topics,language\none@example.org,MX,,en\n"); status != http.StatusOK || got.Imported != 1 {
		t.Fatalf("import subscribers: %d %+v", status, got)
	}
	c := s.consoleLogin()
	token := s.csrfToken(c, "/admin/editions/new")
	type answer struct {
		status int
		path   string
		page   string
	}
	answers := make([]answer, 2)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := c.PostForm(s.base+"/admin/editions?lang=en", url.Values{"csrf_token": {token}})
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			answers[i] = answer{resp.StatusCode, resp.Request.URL.Path, html.UnescapeString(string(b))}
		}()
	}
	wg.Wait()
	var made, already int
	for _, a := range answers {
		switch {
		case a.status != http.StatusOK:
			t.Errorf("a click answered %d at %s: %.400s", a.status, a.path, a.page)
		case strings.Contains(a.page, "The edition was made and handed to the senders; its progress is below."):
			made++
		case strings.Contains(a.page, "This edition was made already and is on its way"):
			already++
		default:
			t.Errorf("a click's page at %s says neither that the edition was made nor that it was already", a.path)
		}
	}
	if made != 1 || already != 1 || answers[0].path != answers[1].path {
		t.Errorf("two clicks: %d made and %d already, at %s and %s", made, already, answers[0].path, answers[1].path)
	}
	var list struct{ Editions []edition }
	s.jsonCall("GET", "/api/v1/editions", nil, &list, http.StatusOK)
	if len(list.Editions) != 1 {
		t.Fatalf("%d editions made, want 1", len(list.Editions))
	}
	if e := s.waitEdition(list.Editions[0].ID); e.Status != "done" || e.Sent != 1 {
		t.Errorf("edition %+v", e)
	}
}

// formFields are the named inputs of the form with id in a page, as the
// browser would send them.
func formFields(t *testing.T, page, id string) url.Values {
	t.Helper()
	start := strings.Index(page, `id="`+id+`"`)
	if start < 0 {
		t.Fatalf("no form %s in the page", id)
	}
	form := page[start:]
	form = form[:strings.Index(form, "</form>")]
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(form, -1) {
		v.Add(m[1], html.UnescapeString(m[2]))
	}
	return v
}

// TestTestSendDoubleClicked: an editor who clicks "Send the test" twice
// gets one test digest, and the audit log says one was sent; sent again
// from the page it comes back to, it goes again.
func TestTestSendDoubleClicked(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	importStoryOfToday(t, s)
	c := s.consoleLogin()
	const editor = "editor@example.org"
	form := formFields(t, s.consoleGet(c, "/admin/editions/preview?countries=MX&language=en&mode=any"), "test-send")
	form.Set("to", editor)
	var finalPage string
	for i, a := range twiceAtOnce(func() (int, string) { return s.postForm(c, "/admin/editions/test-send?lang=en", form) }) {
		if a.status != http.StatusOK || !strings.Contains(a.page, "The test digest is on its way") {
			t.Errorf("click %d: %d: %.300s", i+1, a.status, a.page[max(0, strings.Index(a.page, "<main")):])
		}
		finalPage = a.page
	}
	s.smtp.WaitFor(t, 30*time.Second, "the test digest", func([]testenv.Received) bool { return len(s.smtp.To(editor)) >= 1 })
	s.waitQueuesIdle()
	var audits int
	s.subsQuery(`SELECT count(*) FROM audit_log WHERE action = 'edition.test_send'`, nil, &audits)
	if n := len(s.smtp.To(editor)); n != 1 || audits != 1 {
		t.Errorf("two clicks: %d test digests sent, %d in the audit log, want 1", n, audits)
	}

	again := formFields(t, finalPage, "test-send")
	again.Set("to", editor)
	if st, page := s.postForm(c, "/admin/editions/test-send?lang=en", again); st != http.StatusOK || !strings.Contains(page, "The test digest is on its way") {
		t.Fatalf("sent again: %d", st)
	}
	s.smtp.WaitFor(t, 30*time.Second, "the second test digest", func([]testenv.Received) bool { return len(s.smtp.To(editor)) == 2 })
}

// TestRetryDoubleClicked: an editor who clicks "Retry" twice on an
// edition with temporarily failed deliveries sends them once, and the
// page the browser shows last says they are being sent again, not that
// the edition has none to retry.
func TestRetryDoubleClicked(t *testing.T) {
	t.Parallel()
	s := startStackBare(t, nil)
	var full atomic.Bool
	full.Store(true)
	s.smtp.Reject = func(rcpt string) error {
		if strings.HasPrefix(rcpt, "full-") && full.Load() {
			return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "mailbox full, try again later"}
		}
		return nil
	}
	s.startWorker(testWorkerOptions())
	editionsImportFixture(t, s)
	if status, got := s.importCSV("email,countries,topics,language\nfull-a@example.org,MX,,en\nok@example.org,MX,,en\n"); status != http.StatusOK || got.Imported != 2 {
		t.Fatalf("import subscribers: %d %+v", status, got)
	}
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", stories2020, &created, http.StatusAccepted)
	if e := s.waitEdition(created.ID); e.Sent != 1 || e.Failed != 1 {
		t.Fatalf("edition: %+v", e)
	}
	full.Store(false)
	c := s.consoleLogin()
	path := "/admin/editions/" + itoa(created.ID)
	csrf := s.csrfToken(c, path)
	for i, a := range twiceAtOnce(func() (int, string) {
		return s.postForm(c, path+"/retry?lang=en", url.Values{"csrf_token": {csrf}})
	}) {
		if a.status != http.StatusOK || !strings.Contains(a.page, "The temporarily failed deliveries are being sent again.") {
			t.Errorf("click %d: %d: %.400s", i+1, a.status, html.UnescapeString(a.page[max(0, strings.Index(a.page, "<main")):]))
		}
	}
	if e := s.waitEdition(created.ID); e.Sent != 2 || e.Failed != 0 {
		t.Errorf("after the retry: %+v", e)
	}
	s.waitQueuesIdle()
	var audits int
	s.subsQuery(`SELECT count(*) FROM audit_log WHERE action = 'edition.retry'`, nil, &audits)
	if n := len(s.smtp.To("full-a@example.org")); n != 1 || audits != 1 {
		t.Errorf("the retried reader got %d digests, %d retries audited; want 1 and 1", n, audits)
	}
}

// importStoryOfToday imports one story about Mexico dated today, new
// since any edition.
func importStoryOfToday(t *testing.T, s *stack) {
	t.Helper()
	day := time.Now().UTC().Format("2 January, 2006")
	listing := day + "\n\nMexico: a new shelter opens in Tapachula\n\nThe shelter in Tapachula takes 200 people.\n\nhttps://news.example.org/tapachula-shelter\n"
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
}
