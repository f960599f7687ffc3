package app_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5"

	"newsdigest/internal/testenv"
)

// accessFixture is what the route access test fills paths with: real
// records and tokens, and the people whose addresses no page may show to
// those who do not manage subscribers.
type accessFixture struct {
	edition, item, source, subscriber, editor, draft string
	// tokens by kind: "prefs" (alice's), "bobPrefs", "view", "confirm"
	// (carol's, not yet confirmed), "export" (alice's).
	tokens     map[string]string
	link       [2]string // a story link of alice's digest: link, stamp
	addresses  []string  // every reader's address
	owner      *loginClient
	ownerDraft string
}

// accessReaders: alice and bob read (Costa Rica; Mexico), carol has not
// confirmed, refused's mail is refused with a reply quoting the address.
const (
	accessAlice   = "alice.reader@example.org"
	accessBob     = "bob.reader@example.org"
	accessCarol   = "carol.pending@example.org"
	accessRefused = "refused.reader@example.org"
)

// newAccessFixture makes the records: readers, an edition sent to them
// (one delivery refused), a source, an import draft of the owner's, an
// editor to be the owner's pages' subject.
func newAccessFixture(t *testing.T, s *stack, owner *loginClient) *accessFixture {
	t.Helper()
	f := &accessFixture{tokens: map[string]string{}, owner: owner,
		addresses: []string{accessAlice, accessBob, accessCarol, accessRefused}}
	s.smtp.Reject = func(rcpt string) error {
		if strings.EqualFold(rcpt, accessRefused) {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
				Message: "<" + accessRefused + ">: mailbox unavailable"}
		}
		return nil
	}
	s.subscribeAndConfirm(accessAlice, []string{"CR"})
	s.subscribeAndConfirm(accessBob, []string{"MX"})
	if status, a := s.importCSV("email,countries,topics,language\n" + accessRefused + ",CR,,en\n"); status != http.StatusOK || a.Imported != 1 {
		t.Fatalf("import: %d %+v", status, a)
	}
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": accessCarol, "countries": []string{"GT"}}, nil, http.StatusAccepted)
	f.tokens["confirm"] = strings.TrimPrefix(s.confirmPath(accessCarol, 1), "/confirm/")

	s.postItem(map[string]any{"published_on": time.Now().UTC().Format(time.DateOnly), "title": "Route access story",
		"summary": "A summary.", "url": "https://stories.example.org/route", "language": "en", "countries": []string{"CR"}})
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", nil, &created, http.StatusAccepted)
	e := s.waitEdition(created.ID)
	if e.Sent != 1 || e.Failed != 1 {
		t.Fatalf("edition: %+v, want one sent and one refused", e)
	}
	f.edition = itoa(e.ID)
	// A server reports alice's digest refused after it left, in words
	// that quote her address, as they often do.
	s.sqlExec(`
		UPDATE deliveries d SET bounce_kind = 'blocked', bounce_code = '5.7.26', bounce_source = 'smtp', bounced_at = now(),
		       bounce_diagnostic = '550 5.7.26 <' || s.email || '>: unauthenticated sender'
		FROM subscribers s WHERE s.id = d.subscriber_id AND s.email = $1 AND d.edition_id = $2`, accessAlice, e.ID)
	var view string
	f.tokens["prefs"], view = s.digestLinks(accessAlice)
	f.tokens["view"] = view[strings.LastIndex(view, "/")+1:]
	text, _ := bodies(t, s.smtp.To(accessAlice)[len(s.smtp.To(accessAlice))-1].Raw)
	m := storyLink.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("alice's digest has no story link:\n%s", text)
	}
	f.link = [2]string{m[1], m[2]}
	f.tokens["bobPrefs"] = subscriberRow(t, s, accessBob).Token
	link := s.exportOf(s.base+"/preferences/"+f.tokens["prefs"], accessAlice)
	f.tokens["export"] = link[strings.LastIndex(link, "/")+1:]

	f.subscriber = itoa(subscriberRow(t, s, accessAlice).ID)
	var items struct{ Items []struct{ ID int64 } }
	s.jsonCall("GET", "/api/v1/items?limit=1", nil, &items, http.StatusOK)
	f.item = itoa(items.Items[0].ID)
	var src struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/sources", map[string]any{"url": "https://feeds.example.org/route.xml", "kind": "feed"}, &src, http.StatusCreated)
	f.source = itoa(src.ID)
	// Its first poll (which fails: the test has no network) is done
	// before the test compares the database.
	s.waitSource(src.ID, "polled once", func(d sourceDoc) bool { return d.LastPolledAt != nil })
	f.editor = addEditor(t, owner, "route.subject@example.org", "a subject editor's long passphrase 29", "edit")
	resp, _ := owner.post("/admin/items/import", "/admin/items/import", url.Values{"listing": {"1 March, 2026\n\nCosta Rica: A draft\n\nSummary.\n"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/items/import/") {
		t.Fatalf("the owner's import draft: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	f.draft = strings.TrimPrefix(resp.Header.Get("Location"), "/admin/items/import/")
	// Test sends: alice's digest to the desk, and the desk's sample to
	// alice's address; then an export of the list.
	alices := len(s.smtp.To(accessAlice))
	for _, form := range []url.Values{
		{"edition": {f.edition}, "email": {accessAlice}, "to": {"desk.inbox@example.org"}},
		{"edition": {f.edition}, "countries": {"CR"}, "language": {"en"}, "mode": {"any"}, "to": {accessAlice}},
	} {
		if resp, page := owner.post("/admin/editions/preview", "/admin/editions/test-send", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("test send %v: %d %.300s", form, resp.StatusCode, page)
		}
	}
	// Sent, and their rows done (their addresses forgotten), before the
	// test compares the database: the worker changes nothing meanwhile.
	s.smtp.WaitFor(t, 30*time.Second, "the test sends", func([]testenv.Received) bool {
		return len(s.smtp.To("desk.inbox@example.org")) == 1 && len(s.smtp.To(accessAlice)) == alices+1
	})
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var left int
		s.subsQuery(`SELECT count(*) FROM test_sends WHERE finished_at IS NULL OR recipient IS NOT NULL`, nil, &left)
		if left == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d test sends still waiting, or keeping their address, after 30s", left)
		}
	}
	if resp, _ := owner.request("GET", "/admin/subscribers.csv", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("export: %d", resp.StatusCode)
	}
	return f
}

// tokenKind is the kind of token a reader route takes.
func tokenKind(path string) string {
	switch {
	case strings.HasPrefix(path, "/confirm/"):
		return "confirm"
	case strings.HasPrefix(path, "/export/"):
		return "export"
	case strings.HasPrefix(path, "/digest/"):
		return "view"
	}
	return "prefs"
}

// fill puts the fixture's records into path's parameters; tok stands for
// :token (the right one or another), id for :id and :draft when not "".
func (f *accessFixture) fill(path, tok, id string) string {
	idOf := map[string]string{"/admin/items/import/": f.draft, "/admin/items/": f.item, "/admin/sources/": f.source,
		"/admin/editions/": f.edition, "/admin/subscribers/": f.subscriber, "/admin/editors/": f.editor,
		"/admin/tagging/": "4242", "/api/v1/items/": f.item, "/api/v1/editions/": f.edition,
		"/api/v1/sources/": f.source, "/api/v1/subscribers/": f.subscriber}
	var parts []string
	for _, p := range strings.Split(path, "/") {
		switch p {
		case ":id", ":draft":
			if id != "" {
				p = id
				break
			}
			longest := ""
			for prefix := range idOf {
				if strings.HasPrefix(path, prefix) && len(prefix) > len(longest) {
					longest = prefix
				}
			}
			p = idOf[longest]
		case ":token":
			p = tok
		case ":edition":
			p = f.edition
		case ":action":
			p = "erase"
		case ":kind":
			p = "country"
		case ":key":
			p = "CR"
		case ":provider":
			p = "ses"
		case ":link":
			p = f.link[0]
		case ":stamp":
			p = f.link[1]
		case ":file":
			switch {
			case strings.HasPrefix(path, "/admin/static/"):
				p = "admin.css"
			case strings.HasPrefix(path, "/feeds/topic/"):
				p = "protection.xml"
			default:
				p = "CR.xml"
			}
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "/")
}

// fingerprintRows are the rows dbFingerprint reads of a table whose
// rows may rightly change while refused requests come in: a signed-in
// editor refused a page is still seen, and their session's idle expiry
// moves on (at most once a minute, so only a slow run sees it); and the
// worker, finding no model when it started, stores its first one
// tasks.RetrainDelay later, with the suggestions it makes, whenever
// that falls (on a slow run, among the refused requests). No request
// writes either table itself.
var fingerprintRows = map[string]string{
	"admin_sessions":  `SELECT token_hash, editor_id, owner_key, created_at, ip, user_agent FROM admin_sessions`,
	"tag_models":      `SELECT id FROM tag_models WHERE false`,
	"tag_suggestions": `SELECT item_id FROM tag_suggestions WHERE false`,
}

// dbFingerprint is a checksum of every table's rows, to show that refused
// requests changed nothing.
func dbFingerprint(t *testing.T, s *stack) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT quote_ident(table_name) FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(tables)
	out := map[string]string{}
	for _, tb := range tables {
		from := tb
		if rows, ok := fingerprintRows[tb]; ok {
			from = "(" + rows + ")"
		}
		var sum string
		if err := conn.QueryRow(ctx, `SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM `+from+` r`).Scan(&sum); err != nil {
			t.Fatalf("%s: %v", tb, err)
		}
		out[tb] = sum
	}
	return out
}

// accessCaller is one kind of client the test is: its cookies (with a
// console session or none), its Authorization header, what it may use.
type accessCaller struct {
	name    string
	lc      *loginClient
	bearer  string
	session bool              // a live console session
	may     map[audience]bool // the console's and the API's audiences it is in
	csrf    string            // a CSRF token of its cookie
}

// allows reports whether c may use a route for who.
func (c *accessCaller) allows(who audience) bool {
	switch who {
	case anyone, reader, loginPage:
		return true
	}
	return c.may[who]
}

// send sends one request as c. A POST, PATCH or DELETE carries form (a
// page's; with c's CSRF token when csrf) or, to the API, an empty JSON
// object. Pages are asked for as a browser asks.
func (c *accessCaller) send(t *testing.T, method, path string, form url.Values, csrf bool) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	contentType := ""
	if method != "GET" && method != "HEAD" {
		if strings.HasPrefix(path, "/api/") {
			body, contentType = strings.NewReader("{}"), "application/json"
		} else {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if csrf {
				f.Set("csrf_token", c.csrf)
			}
			body, contentType = strings.NewReader(f.Encode()), "application/x-www-form-urlencoded"
		}
	}
	req, err := http.NewRequest(method, c.lc.s.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	for _, ck := range c.lc.cookie {
		req.AddCookie(ck)
	}
	resp, err := c.lc.c.Do(req)
	if err != nil {
		t.Fatalf("%s: %s %s: %v", c.name, method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, ck := range resp.Cookies() {
		if ck.Name != "nd_admin" { // a session the test ended stays ended
			c.lc.setCookie(ck)
		}
	}
	return resp, string(b)
}

// toLogin reports whether resp sends to the console's login.
func toLogin(resp *http.Response) bool {
	return resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(resp.Header.Get("Location"), "/admin/login")
}

// refusal says why resp is a refusal, or "" when it is none.
func refusal(resp *http.Response) string {
	switch {
	case toLogin(resp):
		return "sent to the login"
	case resp.StatusCode == http.StatusUnauthorized, resp.StatusCode == http.StatusForbidden:
		return http.StatusText(resp.StatusCode)
	}
	return ""
}

var csrfOfPage = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrfOf reads the CSRF token of the sign-up form, which anyone may see.
func (c *accessCaller) csrfOf(t *testing.T) {
	t.Helper()
	_, page := c.send(t, "GET", "/", nil, false)
	m := csrfOfPage.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("%s: no CSRF token on the sign-up form", c.name)
	}
	c.csrf = m[1]
}
