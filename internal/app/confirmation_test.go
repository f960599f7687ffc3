package app_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5"

	"newsdigest/internal/app"
	"newsdigest/internal/domain"
	"newsdigest/internal/tasks"
	"newsdigest/internal/testenv"
	"newsdigest/internal/token"
)

// sqlExec runs statements on the stack's database, for the states a test
// cannot reach through the API (a lost task, a crashed worker, an erasure).
func (s *stack) sqlExec(sql string, args ...any) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.cfg.DatabaseURL)
	if err != nil {
		s.t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		s.t.Fatalf("%s: %v", sql, err)
	}
}

// confirmPath waits for the n-th confirmation mail to addr and returns its
// link's path. Other mails to addr (a welcome, a digest) are not counted.
func (s *stack) confirmPath(addr string, n int) string {
	s.t.Helper()
	var links []string
	s.smtp.WaitFor(s.t, 30*time.Second, "confirmation to "+addr, func([]testenv.Received) bool {
		links = links[:0]
		for _, m := range s.smtp.To(addr) {
			text, _ := bodies(s.t, m.Raw)
			if l := confirmLink.FindStringSubmatch(text); l != nil {
				links = append(links, l[1])
			}
		}
		return len(links) >= n
	})
	return "/confirm/" + links[n-1]
}

// page GETs or POSTs (with the browser's CSRF token) a page.
func (s *stack) page(b *http.Client, method, path string, form url.Values) (int, string) {
	s.t.Helper()
	var resp *http.Response
	var err error
	if method == "GET" {
		resp, err = b.Get(s.base + path)
	} else {
		if form == nil {
			form = url.Values{}
		}
		form.Set("csrf_token", s.csrfToken(b, "/"))
		resp, err = b.PostForm(s.base+path, form)
	}
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// A confirmation mail goes out once however many tasks ask for it (a
// queue lagging past the task's uniqueness holds several), and a send
// that fails for now, after the worker claimed it, is retried, not lost.
func TestConfirmationMailOnceHoweverManyTasks(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	addr := "ana@example.org"
	var tries atomic.Int32
	s.smtp.Reject = func(rcpt string) error {
		if strings.EqualFold(rcpt, addr) && tries.Add(1) <= 2 {
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
		}
		return nil
	}
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": addr, "countries": []string{"CR"}}, nil, http.StatusAccepted)
	id := s.subscribers("status=pending")[0].ID

	opt, err := app.RedisOpt(s.cfg.RedisURL)
	if err != nil {
		t.Fatal(err)
	}
	q := asynq.NewClient(opt)
	defer q.Close()
	payload, _ := json.Marshal(tasks.ConfirmationMail{SubscriberID: id})
	for range 5 {
		if _, err := q.Enqueue(asynq.NewTask(tasks.TypeConfirmationMail, payload, asynq.Queue(tasks.QueueCritical))); err != nil {
			t.Fatal(err)
		}
	}
	// Signing up again while the mail is still unsent asks for nothing more.
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": addr, "countries": []string{"CR"}}, nil, http.StatusAccepted)

	s.smtp.WaitFor(t, 30*time.Second, "the confirmation mail", func([]testenv.Received) bool { return len(s.smtp.To(addr)) > 0 })
	s.waitQueuesIdle()
	if n := len(s.smtp.To(addr)); n != 1 || tries.Load() < 3 {
		t.Errorf("%d mails after %d tries; want 1, after the two refused", n, tries.Load())
	}
}

// The reconciler sends the confirmation mails whose task was lost, and
// those a worker claimed and then died holding.
func TestReconcilerSendsLostConfirmations(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	for _, tc := range []struct{ addr, claimed string }{
		{"lost@example.org", "NULL"},
		{"crashed@example.org", "now() - interval '11 minutes'"},
	} {
		s.sqlExec(`INSERT INTO subscribers (email, status, countries, token, confirm_token, confirm_expires_at,
			confirm_due_at, confirm_claimed_at, updated_at)
			VALUES ($1, 'pending', '{CR}', $2, $3, now() + interval '7 days', now() - interval '5 minutes', `+tc.claimed+`,
			now() - interval '5 minutes')`, tc.addr, token.New(), token.New())
	}
	for _, addr := range []string{"lost@example.org", "crashed@example.org"} {
		b := s.browser()
		if status, body := s.page(b, "GET", s.confirmPath(addr, 1), nil); status != http.StatusOK {
			t.Errorf("%s: confirmation page %d\n%s", addr, status, body)
		}
	}
}

// The confirmation page shows the choices the button confirms, by name in
// the page's language; a later sign-up for the pending address changes
// them, and the page shows that.
func TestConfirmPageShowsChoices(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	addr := "ana@example.org"
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": addr, "countries": []string{"CR"},
		"topics": []string{"trafficking-smuggling"}, "language": "es", "mode": "narrow"}, nil, http.StatusAccepted)
	path := s.confirmPath(addr, 1)
	var tax struct {
		Topics []struct{ Slug, Name string }
	}
	s.jsonCall("GET", "/api/v1/taxonomy?lang=es", nil, &tax, http.StatusOK)
	topicES := ""
	for _, tp := range tax.Topics {
		if tp.Slug == "trafficking-smuggling" {
			topicES = tp.Name
		}
	}
	b := s.browser()
	status, page := s.page(b, "GET", path, nil)
	for _, want := range []string{"Costa Rica", topicES, "español", "Solo noticias sobre uno de mis países y uno de mis temas"} {
		if status != http.StatusOK || want == "" || !strings.Contains(page, html.EscapeString(want)) {
			t.Errorf("confirmation page (%d) does not show %q:\n%s", status, want, page)
		}
	}
	// "Not what you chose? … from the front page" links to it.
	if !strings.Contains(page, `<a href="/?lang=es" id="confirm-front-page">`) {
		t.Errorf("the confirmation page's way to choose again is not a link:\n%s", page)
	}
	shown := choicesField.FindStringSubmatch(page)
	if shown == nil {
		t.Fatalf("the confirmation form does not carry the choices it shows:\n%s", page)
	}

	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": addr, "countries": []string{"MX"},
		"language": "en", "mode": "any"}, nil, http.StatusAccepted)
	_, page = s.page(b, "GET", path, nil)
	for _, want := range []string{"Mexico", "English", "Any story about one of my countries or one of my topics"} {
		if !strings.Contains(page, want) {
			t.Errorf("confirmation page after a new sign-up does not show %q", want)
		}
	}
	// (The page's footer, the postal address, names Costa Rica too.)
	choices, _, _ := strings.Cut(page, "</dl>")
	if strings.Contains(choices, "Costa Rica") {
		t.Error("confirmation page still shows the old choice Costa Rica")
	}

	// The button of the page shown before the change confirms nothing: the
	// new choices are shown instead, to be confirmed from there.
	status, page = s.page(b, "POST", path, url.Values{"choices": {shown[1]}})
	if status != http.StatusConflict || !strings.Contains(page, "Mexico") {
		t.Errorf("confirming choices changed since they were shown: %d, want 409 showing the new choices:\n%s", status, page)
	}
	if st := byEmail(s.subscribers("limit=10"))[addr].Status; st != "pending" {
		t.Fatalf("after confirming changed choices, %s is %q, want still pending", addr, st)
	}
	now := choicesField.FindStringSubmatch(page)
	if now == nil || now[1] == shown[1] {
		t.Fatalf("the page shown again does not carry the new choices: %v", now)
	}
	if status, page = s.page(b, "POST", path, url.Values{"choices": {now[1]}}); status != http.StatusOK {
		t.Fatalf("confirming the choices shown: %d\n%s", status, page)
	}
	if sub := byEmail(s.subscribers("limit=10"))[addr]; sub.Status != "active" || strings.Join(sub.Countries, ",") != "MX" {
		t.Errorf("after confirming: %+v, want active with MX", sub)
	}
}

var choicesField = regexp.MustCompile(`name="choices" value="([0-9a-f]+)"`)

var digestLink = regexp.MustCompile(`/digest/(\d+)/([A-Za-z0-9_-]{22})`)

// links of the last digest to addr: its token and its web view's path.
func (s *stack) digestLinks(addr string) (tok, view string) {
	s.t.Helper()
	var msgs []testenv.Received
	for _, m := range s.smtp.To(addr) {
		if m.Header("X-Newsdigest-Edition") != "" { // a digest, not a welcome
			msgs = append(msgs, m)
		}
	}
	if len(msgs) == 0 {
		s.t.Fatalf("no digest to %s", addr)
	}
	d := msgs[len(msgs)-1]
	m := unsubLink.FindStringSubmatch(d.Header("List-Unsubscribe"))
	text, _ := bodies(s.t, d.Raw)
	v := digestLink.FindString(text)
	if m == nil || v == "" {
		s.t.Fatalf("digest to %s lacks its links:\n%s", addr, text)
	}
	return m[2], v
}

// routesRefuse checks that every link a token opens answers 404, but
// for its unsubscribe links when unsubscribes: those of a token a
// confirmed sign-up replaced keep working, for the mails of before.
func (s *stack) routesRefuse(what, tok, view, confirm string, unsubscribes bool) {
	s.t.Helper()
	b := s.browser()
	prefs := url.Values{"countries": {"CR"}, "language": {"en"}, "mode": {"any"}}
	unsubscribe := "/unsubscribe/" + tok
	if unsubscribes {
		unsubscribe = ""
	}
	for _, r := range []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/preferences/" + tok, nil},
		{"POST", "/preferences/" + tok, prefs},
		{"GET", "/preferences/" + tok + "/export", nil},
		{"GET", unsubscribe, nil},
		{"GET", view, nil},
		{"GET", confirm, nil},
		{"POST", confirm, nil},
	} {
		if r.path == "" {
			continue
		}
		if status, _ := s.page(b, r.method, r.path, r.form); status != http.StatusNotFound {
			s.t.Errorf("%s: %s %s = %d, want 404", what, r.method, r.path, status)
		}
	}
	if unsubscribes {
		return
	}
	resp, err := http.Post(s.base+"/unsubscribe/"+tok, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		s.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		s.t.Errorf("%s: one-click POST /unsubscribe = %d, want 404", what, resp.StatusCode)
	}
}

// Leaving and signing up again gives a new token, but only once the
// inbox's owner confirms: a stranger signing up an address that left
// breaks none of its links. The token replaced only unsubscribes (the
// mails of before are still in the inbox). An erased subscriber's links
// all stop working. The web digest's link is no reader's: it shows the digest,
// before and after, and nothing else.
func TestTokensRotateOnConfirmation(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	ana := "ana@example.org"
	s.subscribeAndConfirm(ana, []string{"CR"})
	if e := s.edition("first story"); e.Sent != 1 {
		t.Fatalf("edition = %+v", e)
	}
	oldTok, oldView := s.digestLinks(ana)
	b := s.browser()
	if status, _ := s.page(b, "GET", oldView, nil); status != http.StatusOK {
		t.Fatalf("digest web view before leaving: %d", status)
	}
	first := onlyDigest(t, s, ana, 1)
	s.oneClickUnsubscribe(first)

	// Someone signs the address up again: until it is confirmed, the
	// person's links keep working.
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": ana, "countries": []string{"CR"}}, nil, http.StatusAccepted)
	newConfirm := s.confirmPath(ana, 2)
	for _, path := range []string{"/preferences/" + oldTok, "/unsubscribe/" + oldTok} {
		if status, page := s.page(b, "GET", path, nil); status != http.StatusOK {
			t.Errorf("GET %s after a sign-up not yet confirmed: %d, want 200: %.300s", path, status, page)
		}
	}
	if status, _ := s.page(b, "POST", newConfirm, nil); status != http.StatusOK {
		t.Fatalf("confirm the re-subscription: %d", status)
	}
	s.routesRefuse("old token after the re-subscription was confirmed", oldTok, "", "", true)
	if e := s.edition("second story"); e.Sent != 1 {
		t.Fatalf("edition = %+v", e)
	}
	newTok, newView := s.digestLinks(ana)
	// The first digest, still in the inbox, unsubscribes with its link
	// (the page, and one click), and that is all its old token does.
	if status, page := s.page(b, "GET", "/unsubscribe/"+oldTok, nil); status != http.StatusOK || !strings.Contains(page, ana) {
		t.Errorf("GET /unsubscribe/ with the first digest's token: %d: %.300s", status, page)
	}
	s.oneClickUnsubscribe(first)
	var status string
	s.subsQuery(`SELECT status FROM subscribers WHERE lower(email) = $1`, []any{ana}, &status)
	if status != string(domain.StatusUnsubscribed) {
		t.Errorf("after one click in the first digest: %s, want unsubscribed", status)
	}
	if newTok == oldTok {
		t.Fatal("the confirmed re-subscription kept the old token")
	}
	if strings.Contains(oldView, oldTok) || strings.Contains(newView, newTok) {
		t.Errorf("the web digest's link carries the reader's token: %s, %s", oldView, newView)
	}

	// Someone else signs up and is erased before confirming.
	luis := "luis@example.org"
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": luis, "countries": []string{"CR"}}, nil, http.StatusAccepted)
	luisConfirm := s.confirmPath(luis, 1)
	s.sqlExec(`UPDATE subscribers SET status = 'erased' WHERE lower(email) IN ($1, $2)`, ana, luis)
	s.routesRefuse("erased", newTok, "", luisConfirm, false)
	s.routesRefuse("erased, its token of before", oldTok, "", "", false)
	for _, view := range []string{oldView, newView} {
		if status, page := s.page(b, "GET", view, nil); status != http.StatusOK || strings.Contains(page, ana) {
			t.Errorf("GET %s (a digest, naming no one) after its reader was erased: %d", view, status)
		}
	}
}
