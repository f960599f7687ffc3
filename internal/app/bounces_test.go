package app_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/smtp"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"newsdigest/internal/app"
	"newsdigest/internal/bounce"
)

// bounceDomain is the tests' BOUNCE_DOMAIN, under MAIL_FROM's domain.
const bounceDomain = "bounce.example.org"

// runBounceWorker runs a worker of s whose bounce listener answers on a
// loopback port of its own, and returns that port's address.
func (s *stack) runBounceWorker() (string, *prometheus.Registry) {
	s.t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(s.ctx)
	done := make(chan error, 1)
	opts := testWorkerOptions()
	opts.Registry = prometheus.NewRegistry()
	go func() {
		done <- (&app.Worker{Config: s.cfg, Log: s.log, Options: opts, BounceListener: l}).Run(ctx)
	}()
	s.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			s.t.Errorf("worker: %v", err)
		}
	})
	return l.Addr().String(), opts.Registry.(*prometheus.Registry)
}

// sendEdition imports the fixture's stories and one active reader per
// address, sends an edition and waits for it; it returns the edition's
// id and, per address, the envelope sender its digest came with.
func (s *stack) sendEdition(addrs ...string) (int64, map[string]string) {
	s.t.Helper()
	editionsImportFixture(s.t, s)
	csv := "email,countries,topics,language\n"
	for _, a := range addrs {
		csv += a + ",CR,,en\n"
	}
	if status, got := s.importCSV(csv); status != http.StatusOK || got.Imported != len(addrs) {
		s.t.Fatalf("import readers: %d %+v", status, got)
	}
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", stories2020, &created, http.StatusAccepted)
	if e := s.waitEdition(created.ID); e.Sent != len(addrs) {
		s.t.Fatalf("edition: %+v, want %d sent", e, len(addrs))
	}
	senders := map[string]string{}
	for _, a := range addrs {
		got := s.smtp.To(a)
		if len(got) != 1 {
			s.t.Fatalf("%s got %d digests, want 1", a, len(got))
		}
		senders[a] = got[0].From
	}
	return created.ID, senders
}

// verpRe is a VERP address of the tests' bounce domain.
var verpRe = regexp.MustCompile(`^bounces\+([0-9]+)\.([a-z2-7]{16})@` + regexp.QuoteMeta(bounceDomain) + `$`)

// sampleFor is a sample report of internal/bounce/testdata made to be
// about the delivery whose envelope sender is to: its VERP address and
// token (made for the samples' own domain and secret) replaced by ours.
func sampleFor(t *testing.T, name, to string) []byte {
	t.Helper()
	return sampleIn(t, filepath.Join("..", "bounce", "testdata", name), to)
}

// sampleIn is sampleFor for the sample at path.
func sampleIn(t *testing.T, path, to string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := verpRe.FindStringSubmatch(to)
	if m == nil {
		t.Fatalf("envelope sender %q is not a VERP address of %s", to, bounceDomain)
	}
	old := regexp.MustCompile(`[0-9]+\.[a-z2-7]{16}@bounce\.example\.com`).FindString(string(raw))
	if old == "" {
		t.Fatalf("%s names no VERP address", path)
	}
	oldToken, _, _ := strings.Cut(old, "@")
	s := strings.ReplaceAll(string(raw), oldToken, m[1]+"."+m[2])
	return []byte(strings.ReplaceAll(s, "bounce.example.com", bounceDomain))
}

// mailReport sends a report to the listener as a receiving server does:
// from the null sender, to rcpt.
func mailReport(addr, rcpt string, msg []byte) error {
	return smtp.SendMail(addr, nil, "", []string{rcpt}, msg)
}

// subscriberState reads a subscriber's status and bounce count.
func subscriberState(t *testing.T, s *stack, email string) (status string, bounces int) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), s.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if err := conn.QueryRow(context.Background(), `SELECT status, hard_bounces FROM subscribers WHERE email = $1`, email).
		Scan(&status, &bounces); err != nil {
		t.Fatal(err)
	}
	return status, bounces
}

// deliveryReport reads what a delivery's row says came back.
type deliveryReportRow struct{ Kind, Code, Diagnostic, Source string }

func deliveryReport(t *testing.T, s *stack, email string) (r deliveryReportRow) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), s.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if err := conn.QueryRow(context.Background(), `
		SELECT d.bounce_kind, d.bounce_code, d.bounce_diagnostic, d.bounce_source
		FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE s.email = $1`, email).
		Scan(&r.Kind, &r.Code, &r.Diagnostic, &r.Source); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestBouncesBySMTP sends an edition with BOUNCE_DOMAIN set, then mails
// real reports (internal/bounce/testdata: Gmail, Yahoo, Outlook and
// Postfix as they send them) to the worker's listener, each made to be
// about one digest, and checks what the database says: hard bounces
// bounce the reader at once, soft ones count to BOUNCE_LIMIT (the same
// report twice, or two reports of one digest, count once), a complaint
// marks the reader complained,
// a delay warning changes nothing, and a forged address is refused.
func TestBouncesBySMTP(t *testing.T) {
	t.Parallel()
	s := startStackBare(t, map[string]string{"BOUNCE_DOMAIN": bounceDomain, "BOUNCE_LIMIT": "2"})
	listener, reg := s.runBounceWorker()
	readers := []string{"hard.gmail@example.net", "hard.outlook@example.net", "soft@example.net",
		"complainer@example.net", "slow@example.net", "forged@example.net", "kept@example.net", "blocked@example.net"}
	id, senders := s.sendEdition(readers...)
	for _, r := range readers {
		if !verpRe.MatchString(senders[r]) {
			t.Fatalf("%s's digest came from %q, want bounces+<id>.<mac>@%s", r, senders[r], bounceDomain)
		}
		d := s.smtp.To(r)[0]
		if tok := d.Header(bounce.DeliveryHeader); "bounces+"+tok+"@"+bounceDomain != senders[r] {
			t.Errorf("%s: %s is %q, not the envelope sender's token", r, bounce.DeliveryHeader, tok)
		}
	}

	report := func(name, reader string) {
		t.Helper()
		if err := mailReport(listener, senders[reader], sampleFor(t, name, senders[reader])); err != nil {
			t.Fatalf("mail %s about %s: %v", name, reader, err)
		}
	}
	report("gmail-dsn-user-unknown.eml", "hard.gmail@example.net")
	report("outlook-ndr-recipient-not-found.eml", "hard.outlook@example.net")
	report("postfix-mailbox-full.eml", "soft@example.net")
	report("postfix-mailbox-full.eml", "soft@example.net") // the same report again
	report("yahoo-arf-abuse.eml", "complainer@example.net")
	report("gmail-delayed.eml", "slow@example.net")
	// Two servers refusing the sender (a block list, policy): blocked,
	// and no failure of the reader's, under a BOUNCE_LIMIT of 2.
	report("postfix-spam-refused.eml", "blocked@example.net")
	report("yahoo-policy.eml", "blocked@example.net")

	for _, c := range []struct {
		reader, status string
		bounces        int
		report         deliveryReportRow
	}{
		{"hard.gmail@example.net", "bounced", 0, deliveryReportRow{Kind: "hard", Code: "5.1.1", Source: "smtp"}},
		{"hard.outlook@example.net", "bounced", 0, deliveryReportRow{Kind: "hard", Code: "5.1.10", Source: "smtp"}},
		{"soft@example.net", "active", 1, deliveryReportRow{Kind: "soft", Code: "5.2.2", Source: "smtp"}},
		{"complainer@example.net", "complained", 0, deliveryReportRow{Kind: "complaint", Source: "smtp"}},
		{"slow@example.net", "active", 0, deliveryReportRow{}},
		{"kept@example.net", "active", 0, deliveryReportRow{}},
		{"blocked@example.net", "active", 0, deliveryReportRow{Kind: "blocked", Code: "5.7.9", Source: "smtp"}},
	} {
		status, bounces := subscriberState(t, s, c.reader)
		if status != c.status || bounces != c.bounces {
			t.Errorf("%s: %s with %d bounces, want %s with %d", c.reader, status, bounces, c.status, c.bounces)
		}
		got := deliveryReport(t, s, c.reader)
		if got.Kind != c.report.Kind || got.Code != c.report.Code || got.Source != c.report.Source ||
			(c.report.Kind != "" && c.report.Kind != "complaint" && got.Diagnostic == "") {
			t.Errorf("%s: the delivery records %+v, want %+v with a diagnostic", c.reader, got, c.report)
		}
	}

	// A second, different report of the same digest (another server on
	// its way) is the same failure: it does not reach BOUNCE_LIMIT (2).
	report("outlook-mailbox-full.eml", "soft@example.net")
	if status, bounces := subscriberState(t, s, "soft@example.net"); status != "active" || bounces != 1 {
		t.Errorf("soft@ after a second report of one digest: %s with %d, want active with 1", status, bounces)
	}

	// A forged MAC is refused at RCPT, and nothing changes.
	forged := verpRe.ReplaceAllString(senders["forged@example.net"], "bounces+${1}.aaaaaaaaaaaaaaaa@"+bounceDomain)
	err := mailReport(listener, forged, sampleFor(t, "gmail-dsn-user-unknown.eml", forged))
	var se *textproto.Error
	if err == nil || !errors.As(err, &se) || se.Code != 550 {
		t.Errorf("a report to a forged address: %v, want 550", err)
	}
	if status, _ := subscriberState(t, s, "forged@example.net"); status != "active" {
		t.Errorf("forged@ after a forged report: %s, want active", status)
	}
	if err := mailReport(listener, "someone@elsewhere.example", []byte("Subject: x\r\n\r\nx\r\n")); err == nil {
		t.Error("the listener relayed mail for another domain")
	}

	// The console's edition page lists what came back, and the reader's
	// page says they complained.
	c := s.consoleLogin()
	page := s.consoleGet(c, "/admin/editions/"+itoa(id))
	for _, want := range []string{`id="reports"`, "hard.gmail@example.net", "5.1.10", "complainer@example.net", `data-kind="complaint"`,
		`data-kind="blocked"`, "blocked: the sender or the message refused"} {
		if !strings.Contains(page, want) {
			t.Errorf("the edition's page lacks %s", want)
		}
	}
	var sub struct{ ID int64 }
	for _, d := range s.subscribers("address=complainer%40example.net") {
		sub.ID = d.ID
	}
	if p := s.consoleGet(c, "/admin/subscribers/"+itoa(sub.ID)); !strings.Contains(p, `class="status-complained"`) {
		t.Errorf("the complainer's page does not say complained")
	}

	// The worker's metrics count each report once: the repeated one and
	// the delay warning not at all.
	for _, c := range []struct {
		name, kind string
		want       float64
	}{
		{"newsdigest_bounces_total", "hard", 2},
		{"newsdigest_bounces_total", "soft", 2},
		{"newsdigest_bounces_total", "blocked", 2},
		{"newsdigest_complaints_total", "", 1},
	} {
		if got := counterValue(t, reg, c.name, c.kind); got != c.want {
			t.Errorf("%s{kind=%q} = %v, want %v", c.name, c.kind, got, c.want)
		}
	}
}

// counterValue reads a counter of reg, the series whose kind label is
// kind (any series, when kind is empty).
func counterValue(t *testing.T, reg *prometheus.Registry, name, kind string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if kind == "" || slices.ContainsFunc(m.GetLabel(), func(l *dto.LabelPair) bool {
				return l.GetName() == "kind" && l.GetValue() == kind
			}) {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

// consoleLogin logs in to the console as the owner.
func (s *stack) consoleLogin() *http.Client {
	s.t.Helper()
	c := s.browser()
	token := s.csrfToken(c, "/admin/login")
	resp, err := c.PostForm(s.base+"/admin/login", url.Values{"csrf_token": {token}, "user": {"admin"}, "password": {adminPassword}})
	if err != nil {
		s.t.Fatal(err)
	}
	resp.Body.Close()
	return c
}

// consoleGet fetches a console page, which must answer 200.
func (s *stack) consoleGet(c *http.Client, path string) string {
	s.t.Helper()
	resp, err := c.Get(s.base + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("GET %s: %d: %.300s", path, resp.StatusCode, b)
	}
	return string(b)
}
