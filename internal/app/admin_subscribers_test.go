package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"newsdigest/internal/testenv"
)

// subsQuery reads one row from the stack's database.
func (s *stack) subsQuery(sql string, args []any, dest ...any) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.cfg.DatabaseURL)
	if err != nil {
		s.t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, sql, args...).Scan(dest...); err != nil {
		s.t.Fatalf("%s: %v", sql, err)
	}
}

func (s *stack) subsID(addr string) int64 {
	s.t.Helper()
	var id int64
	s.subsQuery(`SELECT id FROM subscribers WHERE lower(email) = lower($1)`, []any{addr}, &id)
	return id
}

func (s *stack) subsCount(where string, args ...any) int {
	s.t.Helper()
	var n int
	s.subsQuery(`SELECT count(*) FROM subscribers WHERE `+where, args, &n)
	return n
}

// subsListed is the addresses the subscriber list shows.
func (b *browserSession) subsListed() []string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`JSON.stringify([...document.querySelectorAll('table#subscribers tbody th a')].map(a => a.textContent.trim()))`))
	if err != nil {
		b.t.Fatalf("read the list: %v", err)
	}
	var out []string
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		b.t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// subsFilter fills the list's filters and applies them.
func (b *browserSession) subsFilter(address, status, country, topic, language string) {
	b.t.Helper()
	// chromedp.SetValue refuses an empty value; the fields are set as a
	// person's choices would set them.
	values, _ := json.Marshal(map[string]string{"f-address": address, "f-status": status, "f-country": country,
		"f-topic": topic, "f-language": language})
	ctx, cancel := b.step()
	_, err := chromedp.Run(ctx, chromedp.Evaluate[any](
		`Object.entries(`+string(values)+`).forEach(([id, v]) => { document.getElementById(id).value = v }); 0`))
	cancel()
	if err != nil {
		b.t.Fatalf("fill the filters: %v", err)
	}
	if st := b.submit("filter", chromedp.CSS(`#subscriber-filters button[type=submit]`)); st != http.StatusOK {
		b.t.Fatalf("filter: status %d: %s", st, b.pageText())
	}
}

// subsAct does an action on a subscriber through its confirmation page,
// checking the page says what will happen first.
func (b *browserSession) subsAct(base string, id int64, action, mustSay string) {
	b.t.Helper()
	b.open(base+"/admin/subscribers/"+itoa(id), chromedp.CSS(`#subscriber-facts`))
	if st := b.submit("open "+action, chromedp.CSS(`#action-`+action)); st != http.StatusOK {
		b.t.Fatalf("%s confirmation: status %d", action, st)
	}
	if got := b.text("explanation", chromedp.CSS(`#action-explained`)); !strings.Contains(got, mustSay) {
		b.t.Errorf("%s confirmation says %q, want it to name %q", action, got, mustSay)
	}
	if st := b.submit(action, chromedp.CSS(`#action-form button[type=submit]`)); st != http.StatusOK {
		b.t.Fatalf("%s: status %d: %s", action, st, b.pageText())
	}
	b.text("flash after "+action, flashStatus)
	// The notice takes the focus: a keyboard or screen reader user
	// starts from what was done, not from the top of the page.
	if !editionsEval[bool](b, "focus on the notice", `document.activeElement !== null && document.activeElement.classList.contains("flash")`) {
		b.t.Errorf("after %s the focus is not on the notice", action)
	}
}

// TestAdminSubscribers: an editor finds people by address and filters,
// reads one person's record, unsubscribes, suppresses and erases people
// through confirmations, and exports the filtered list.
func TestAdminSubscribers(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	const list = "email,countries,topics,language\n" +
		"ana@example.org,CR,health,en\n" +
		"luis@example.org,MX,climate,es\n" +
		"maria@example.org,CR;PA,protection,es\n" +
		"bob@example.net,PA,health,en\n"
	if status, a := s.importCSV(list); status != http.StatusOK || a.Imported != 4 {
		t.Fatalf("import: %d %+v", status, a)
	}
	const erin = "Erin.Private@example.org"
	s.subscribeAndConfirm(erin, []string{"MX"})
	ed := s.edition("Lluvias en Costa Rica")
	s.smtp.WaitFor(t, 60*time.Second, "digest to ana", func([]testenv.Received) bool { return len(s.smtp.To("ana@example.org")) == 1 })

	b := newBrowser(t, 4*time.Minute)
	// Without a session the list sends to the login, which comes back.
	b.open(s.base+"/admin/subscribers", loginForm)
	b.do("fill the login form", chromedp.SetValue(loginUser, "admin"), chromedp.SetValue(loginPass, adminPassword))
	if st := b.submit("log in", loginSend); st != http.StatusOK {
		t.Fatalf("login: status %d: %s", st, b.pageText())
	}

	// Search and filters.
	b.do("wait for the list", chromedp.WaitVisible(chromedp.CSS(`#subscriber-filters`)))
	if got := b.subsListed(); len(got) != 5 {
		t.Fatalf("unfiltered list = %v, want all 5", got)
	}
	for _, tc := range []struct {
		address, status, country, topic, language string
		want                                      []string
	}{
		{"EXAMPLE.NET", "", "", "", "", []string{"bob@example.net"}},
		{"example.org", "", "CR", "", "es", []string{"maria@example.org"}},
		{"", "active", "", "climate", "", []string{"luis@example.org"}},
		{"", "", "PA", "health", "", []string{"bob@example.net"}},
		{"nobody", "", "", "", "", nil},
	} {
		b.subsFilter(tc.address, tc.status, tc.country, tc.topic, tc.language)
		if got := b.subsListed(); !slices.Equal(got, tc.want) {
			t.Errorf("filter %+v lists %v, want %v", tc, got, tc.want)
		}
	}
	b.open(s.base+"/admin/subscribers?country=CR", chromedp.CSS(`#subscriber-filters`))
	if got := b.text("active count", chromedp.CSS(`#count-active`)); got != "2" {
		t.Errorf("active count for CR = %q, want 2", got)
	}
	b.checkAccessible("subscriber list")
	b.shots(t, "subscribers-list")

	// Export with the filter applied: the same CSV as the API's.
	b.open(s.base+"/admin/subscribers?country=PA&language=en", chromedp.CSS(`#export-csv`))
	ctx, cancel := b.step()
	csv, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`fetch(document.querySelector('#export-csv').href).then(r => r.text())`, chromedp.EvalAwaitPromise))
	cancel()
	if err != nil {
		t.Fatalf("fetch the export: %v", err)
	}
	_, apiCSV := s.do("GET", "/api/v1/subscribers.csv?country=PA&language=en", "", nil, true)
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "email,status,") || !strings.HasPrefix(lines[1], "bob@example.net,active,PA,") {
		t.Errorf("export with country=PA&language=en:\n%s\nwant the header and bob alone", csv)
	}
	if csv != string(apiCSV) {
		t.Errorf("console export differs from the API's:\n%s\n---\n%s", csv, apiCSV)
	}
	// A list of addresses leaving the desk is on the record: who took it
	// and how many people were in it.
	var exports string
	s.subsQuery(`SELECT string_agg(actor || ': ' || detail, ' | ' ORDER BY id) FROM audit_log WHERE action = 'subscriber.export'`, nil, &exports)
	if exports != "admin: exported 1 | api: exported 1" {
		t.Errorf("audited exports %q, want the console's and the API's, one person each", exports)
	}

	// One person's record.
	ana := s.subsID("ana@example.org")
	b.open(s.base+"/admin/subscribers?address=ana%40", chromedp.CSS(`table#subscribers`))
	if st := b.submit("open ana", chromedp.CSS(`table#subscribers tbody th a`)); st != http.StatusOK {
		t.Fatalf("open ana: status %d", st)
	}
	for sel, want := range map[string]string{
		`#sub-email`: "ana@example.org", `#sub-status`: "active", `#sub-countries`: "Costa Rica",
		`#sub-topics`: "Health", `table#consents`: "imported", `table#deliveries`: "Edition " + itoa(ed.ID),
	} {
		if got := b.text(sel, chromedp.CSS(sel)); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q in it", sel, got, want)
		}
	}
	if got := b.text("deliveries", chromedp.CSS(`table#deliveries tbody`)); !strings.Contains(got, "sent") {
		t.Errorf("ana's deliveries = %q, want the sent digest", got)
	}
	b.checkAccessible("subscriber detail")
	b.shots(t, "subscriber-detail")
	b.open(s.base+"/admin/subscribers/"+itoa(s.subsID("maria@example.org"))+"?lang=es", chromedp.CSS(`#sub-topics`))
	if got := b.text("topics in Spanish", chromedp.CSS(`#sub-topics`)); !strings.Contains(got, "Protección") {
		t.Errorf("maria's topics in Spanish = %q, want Protección", got)
	}
	b.open(s.base+"/admin/subscribers?lang=en", chromedp.CSS(`#subscriber-filters`))

	// Unsubscribe: status, consent with the editor, audit, and no more mail.
	b.subsAct(s.base, ana, "unsubscribe", "ana@example.org")
	if got := b.text("status", chromedp.CSS(`#sub-status`)); got != "unsubscribed" {
		t.Errorf("status after unsubscribe = %q", got)
	}
	var actor, action string
	s.subsQuery(`SELECT actor, action FROM consents WHERE subscriber_id = $1 ORDER BY id DESC LIMIT 1`, []any{ana}, &actor, &action)
	if actor != "admin" || action != "unsubscribe" {
		t.Errorf("last consent of ana = %s by %q, want unsubscribe by admin", action, actor)
	}
	var audited int
	s.subsQuery(`SELECT count(*) FROM audit_log WHERE actor = 'admin' AND action = 'subscriber.unsubscribe' AND object_id = $1`,
		[]any{itoa(ana)}, &audited)
	if audited != 1 {
		t.Errorf("audit entries of the unsubscribe = %d, want 1", audited)
	}

	// Suppress: a later sign-up answers as ever and mails nothing.
	bob := s.subsID("bob@example.net")
	b.subsAct(s.base, bob, "suppress", "bob@example.net")
	if got := b.text("status", chromedp.CSS(`#sub-status`)); got != "suppressed" {
		t.Errorf("status after suppress = %q", got)
	}
	// The confirmation sent again from the browser's history changes
	// nothing, and says so on the person's page, not on an error page.
	b.do("back to the confirmation", chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.CSS(`#action-form`)))
	if st := b.submit("suppress again", chromedp.CSS(`#action-form button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("suppress again: status %d: %s", st, b.pageText())
	}
	if flash := b.text("flash after suppressing again", flashStatus); !strings.HasPrefix(flash, "Nothing was changed") {
		t.Errorf("suppressing again says %q", flash)
	}
	if got := b.text("status", chromedp.CSS(`#sub-status`)); got != "suppressed" {
		t.Errorf("status after suppressing again = %q", got)
	}
	before := len(s.smtp.To("bob@example.net"))
	for _, addr := range []string{"bob@example.net", "control@example.org"} {
		s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": addr, "countries": []string{"PA"}, "language": "en"},
			nil, http.StatusAccepted)
	}
	s.smtp.WaitFor(t, 60*time.Second, "confirmation to the control address", func([]testenv.Received) bool {
		return len(s.smtp.To("control@example.org")) == 1
	})
	if n := len(s.smtp.To("bob@example.net")); n != before {
		t.Errorf("the suppressed address got %d more mails after signing up", n-before)
	}
	if n := s.subsCount(`id = $1 AND status = 'suppressed' AND confirm_due_at IS NULL`, bob); n != 1 {
		t.Errorf("bob is no longer suppressed, or a confirmation is due")
	}

	// Erase: nothing in the rows names the person, and the address stays out.
	erinID := s.subsID(erin)
	b.subsAct(s.base, erinID, "erase", erin)
	if got := b.text("status", chromedp.CSS(`#sub-status`)); got != "erased" {
		t.Errorf("status after erase = %q", got)
	}
	if got := b.text("address", chromedp.CSS(`#sub-email`)); got != "(erased: the address is no longer kept)" {
		t.Errorf("the erased person's address shows as %q", got)
	}
	if strings.Contains(strings.ToLower(b.pageText()), "erin") {
		t.Errorf("the erased person's page still names them: %s", b.pageText())
	}
	var email string
	var named int
	s.subsQuery(`SELECT email FROM subscribers WHERE id = $1`, []any{erinID}, &email)
	s.subsQuery(`SELECT count(*) FROM consents WHERE subscriber_id = $1 AND (ip <> '' OR user_agent <> '')`, []any{erinID}, &named)
	if strings.Contains(strings.ToLower(email), "erin") || named != 0 {
		t.Errorf("after erasure the email is %q and %d consents keep an IP or browser", email, named)
	}
	s.subsQuery(`SELECT count(*) FROM audit_log WHERE lower(detail) LIKE '%erin%' OR lower(object_id) LIKE '%erin%'`, nil, &named)
	if named != 0 {
		t.Errorf("%d audit entries name the erased address", named)
	}
	s.subsQuery(`SELECT count(*) FROM audit_log WHERE action = 'subscriber.erase' AND object_id = $1`, []any{itoa(erinID)}, &audited)
	if audited != 1 {
		t.Errorf("audit entries of the erasure = %d, want 1", audited)
	}
	// The person may sign up again, through the double opt-in only: a
	// pending sign-up and its confirmation mail, nothing more.
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": erin, "countries": []string{"MX"}, "language": "en"},
		nil, http.StatusAccepted)
	s.confirmPath(erin, 2)
	if n := s.subsCount(`lower(email) = lower($1) AND status = 'pending'`, erin); n != 1 {
		t.Errorf("signing up again after erasure: %d pending sign-ups, want 1", n)
	}

	// No digest reaches the people stopped: a new edition goes to the rest.
	anaMails, erinMails := len(s.smtp.To("ana@example.org")), len(s.smtp.To(erin))
	s.edition("Segunda edición sobre Costa Rica y Panamá")
	s.smtp.WaitFor(t, 60*time.Second, "second digest to maria", func([]testenv.Received) bool {
		return len(s.smtp.To("maria@example.org")) == 2
	})
	if len(s.smtp.To("ana@example.org")) != anaMails || len(s.smtp.To(erin)) != erinMails || len(s.smtp.To("bob@example.net")) != before {
		t.Errorf("a digest went to someone unsubscribed, suppressed or erased: ana %d→%d, erin %d→%d, bob %d→%d", anaMails, len(s.smtp.To("ana@example.org")), erinMails, len(s.smtp.To(erin)), before, len(s.smtp.To("bob@example.net")))
	}
}

// subsPreview pastes a list into the import form and asks for its
// preview, returning the answer's status.
func (b *browserSession) subsPreview(base, list string) int64 {
	b.t.Helper()
	b.open(base+"/admin/subscribers/import", chromedp.CSS(`#import-form`))
	b.do("paste the list", chromedp.SetValue(chromedp.CSS(`#import-csv`), list), chromedp.Click(chromedp.CSS(`#import-consent`)))
	return b.submit("preview", chromedp.CSS(`#import-form button[type=submit]`))
}

// TestAdminSubscribersImport: a list is previewed with what it would do
// and nothing is written until it is confirmed; a list with a bad line
// shows the line and cannot be confirmed. The operator actions of the
// JSON API answer as the console's do.
func TestAdminSubscribersImport(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	if status, a := s.importCSV("email,countries,topics,language\nmaria@example.org,CR,,es\nbob@example.net,PA,,en\n"); status != http.StatusOK || a.Imported != 2 {
		t.Fatalf("import: %d %+v", status, a)
	}
	bob := itoa(s.subsID("bob@example.net"))
	if status, body := s.do("POST", "/api/v1/subscribers/"+bob+"/suppress", "", nil, true); status != http.StatusOK ||
		!strings.Contains(string(body), `"suppressed"`) {
		t.Fatalf("API suppress: %d %s", status, body)
	}
	if status, _ := s.do("POST", "/api/v1/subscribers/"+bob+"/unsubscribe", "", nil, true); status != http.StatusConflict {
		t.Errorf("API unsubscribe of a suppressed address: %d, want 409", status)
	}
	if status, _ := s.do("POST", "/api/v1/subscribers/999999/erase", "", nil, true); status != http.StatusNotFound {
		t.Errorf("API erase of no one: %d, want 404", status)
	}

	b := newBrowser(t, 4*time.Minute)
	b.open(s.base+"/admin/subscribers/import", loginForm)
	b.do("fill the login form", chromedp.SetValue(loginUser, "admin"), chromedp.SetValue(loginPass, adminPassword))
	if st := b.submit("log in", loginSend); st != http.StatusOK {
		t.Fatalf("login: status %d: %s", st, b.pageText())
	}

	// A bad line: shown by number, nothing to confirm, nothing written.
	st := b.subsPreview(s.base, "email,countries,topics,language\nok@example.org,CR,,en\nnot-an-address,CR,,en\n")
	if st != http.StatusUnprocessableEntity {
		t.Errorf("preview of a bad list: status %d", st)
	}
	if got := b.text("line errors", chromedp.CSS(`table#line-errors tbody`)); !strings.Contains(got, "3\temail\t") {
		t.Errorf("line errors = %q, want line 3 naming the email column", got)
	}
	if strings.Contains(b.pageText(), "Import 1") {
		t.Errorf("a list with errors offers to be imported: %s", b.pageText())
	}
	ctx, cancel := b.step()
	confirmable, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('#import-confirm')`))
	cancel()
	if err != nil || confirmable {
		t.Errorf("a list with errors has a confirm form (err %v)", err)
	}
	if n := s.subsCount(`email = 'ok@example.org'`); n != 0 {
		t.Errorf("the bad list wrote its good line")
	}

	// A good list: the preview says what will happen and writes nothing.
	list := "email,countries,topics,language\n" +
		"new1@example.org,CR,health,en\n" +
		"new2@example.org,MX,,es\n" +
		"bob@example.net,PA,,en\n" +
		"maria@example.org,CR,,es\n" +
		"NEW1@example.org,PA,,en\n"
	if st := b.subsPreview(s.base, list); st != http.StatusOK {
		t.Fatalf("preview: status %d: %s", st, b.pageText())
	}
	if got := b.text("summary", chromedp.CSS(`#import-summary`)); !strings.Contains(got, "adds 2 people. 3 rows are skipped.") {
		t.Errorf("preview summary = %q, want 2 added and 3 skipped", got)
	}
	skipped := b.text("skipped rows", chromedp.CSS(`table#skipped-rows tbody`))
	for _, want := range []string{"bob@example.net", "suppressed: not brought back", "maria@example.org", "already subscribed", "repeated"} {
		if !strings.Contains(skipped, want) {
			t.Errorf("skipped rows = %q, want %q in them", skipped, want)
		}
	}
	// The first rows, as read: names, not codes, so a misread column shows.
	sample := b.text("sample rows", chromedp.CSS(`table#sample-rows tbody`))
	for _, want := range []string{"new1@example.org", "Costa Rica", "Health", "English", "Mexico", "Spanish", "any chosen country or topic"} {
		if !strings.Contains(sample, want) {
			t.Errorf("sample rows = %q, want %q in them", sample, want)
		}
	}
	if n := s.subsCount(`lower(email) IN ('new1@example.org', 'new2@example.org')`); n != 0 {
		t.Errorf("the preview wrote %d subscribers", n)
	}
	b.checkAccessible("import preview")
	b.shots(t, "subscribers-import-preview")

	if st := b.submit("confirm the import", chromedp.CSS(`#import-confirm button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("confirm: status %d: %s", st, b.pageText())
	}
	if got := b.text("flash", flashStatus); !strings.Contains(got, "2 people added. 3 rows were skipped.") {
		t.Errorf("flash after the import = %q", got)
	}
	if n := s.subsCount(`lower(email) IN ('new1@example.org', 'new2@example.org') AND status = 'active'
		AND EXISTS (SELECT 1 FROM consents c WHERE c.subscriber_id = subscribers.id AND c.action = 'import')`); n != 2 {
		t.Errorf("after the import %d of the 2 new people are active with an import consent", n)
	}
	if n := s.subsCount(`email = 'bob@example.net' AND status = 'suppressed'`); n != 1 {
		t.Errorf("the import revived the suppressed address")
	}
	var audited int
	s.subsQuery(`SELECT count(*) FROM audit_log WHERE actor = 'admin' AND action = 'subscriber.import'`, nil, &audited)
	if audited != 1 {
		t.Errorf("audit entries of the import = %d, want 1", audited)
	}
}
