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
}

// TestAdminSubscribers: an editor finds people by address and filters,
// reads one person's record, unsubscribes, suppresses and erases people
// through confirmations, and exports the filtered list.
func TestAdminSubscribers(t *testing.T) {
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

	// One person's record.
	ana := s.subsID("ana@example.org")
	b.open(s.base+"/admin/subscribers?address=ana%40", chromedp.CSS(`table#subscribers`))
	if st := b.submit("open ana", chromedp.CSS(`table#subscribers tbody th a`)); st != http.StatusOK {
		t.Fatalf("open ana: status %d", st)
	}
	for sel, want := range map[string]string{
		`#sub-email`: "ana@example.org", `#sub-status`: "active", `#sub-countries`: "Costa Rica",
		`#sub-topics`: "Health", `table#consents`: "imported", `table#deliveries`: "#" + itoa(ed.ID),
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
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": erin, "countries": []string{"MX"}, "language": "en"},
		nil, http.StatusAccepted)
	if n := s.subsCount(`lower(email) = lower($1)`, erin); n != 0 {
		t.Errorf("signing up again brought the erased address back")
	}

	// No digest reaches the people stopped: a new edition goes to the rest.
	anaMails, erinMails := len(s.smtp.To("ana@example.org")), len(s.smtp.To(erin))
	s.edition("Segunda edición sobre Costa Rica y Panamá")
	s.smtp.WaitFor(t, 60*time.Second, "second digest to maria", func([]testenv.Received) bool {
		return len(s.smtp.To("maria@example.org")) == 2
	})
	if len(s.smtp.To("ana@example.org")) != anaMails || len(s.smtp.To(erin)) != erinMails || len(s.smtp.To("bob@example.net")) != before {
		t.Errorf("a digest went to someone unsubscribed, suppressed or erased")
	}
}
