package inbound

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/bounce"
)

// testSecret is the secret the VERP addresses in ../testdata were made with.
const testSecret = "testdata secret: not for production use"

// memRecorder keeps what it is given: it stands at the package's
// boundary, where the storage layer will be.
type memRecorder struct {
	mu     sync.Mutex
	events []bounce.Event
	fail   error // returned instead of recording, when set
}

func (r *memRecorder) Record(_ context.Context, e bounce.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := e.Validate(); err != nil {
		return err
	}
	if r.fail != nil {
		return r.fail
	}
	r.events = append(r.events, e)
	return nil
}

func (r *memRecorder) setFail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail = err
}

func (r *memRecorder) got() []bounce.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bounce.Event(nil), r.events...)
}

func testVERP(t testing.TB) *bounce.VERP {
	t.Helper()
	v, err := bounce.NewVERP("bounce.example.com", []byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// startServer starts a listener on a loopback port, stopped when the test
// ends.
func startServer(t testing.TB, opts Options, adjust ...func(*Server)) (*Server, string, *memRecorder) {
	t.Helper()
	rec := &memRecorder{}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	srv, err := New(testVERP(t), rec, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range adjust {
		f(srv)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return srv, l.Addr().String(), rec
}

// send mails msg over SMTP as an MTA would and returns the first error
// the server answered with.
func send(addr, from string, rcpts []string, msg []byte) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello("mta.example.net"); err != nil {
		return err
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	for _, r := range rcpts {
		if err := c.Rcpt(r); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// replyCode is the SMTP reply code of an error send returned, 0 if none.
func replyCode(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

var toVERP = regexp.MustCompile(`(?m)^To:.*?(bounces\+[0-9]+\.[a-z2-7]+@bounce\.example\.com)`)

// TestReportsOverSMTP sends every sample report to the listener as its
// sender would (to the VERP address it came back to, or to the feedback
// loop's registered mailbox) and checks the events recorded.
func TestReportsOverSMTP(t *testing.T) {
	_, addr, rec := startServer(t, Options{})
	type event struct {
		Delivery int64
		Kind     bounce.Kind
	}
	want := map[string]event{
		"gmail-dsn-user-unknown.eml":          {1001, bounce.Hard},
		"gmail-dsn-mailbox-full.eml":          {1002, bounce.Soft},
		"gmail-dsn-empty-status.eml":          {1003, bounce.Hard},
		"gmail-legacy-text.eml":               {1005, bounce.Hard},
		"yahoo-failure-notice.eml":            {1006, bounce.Hard},
		"yahoo-policy.eml":                    {1007, bounce.Blocked},
		"yahoo-arf-abuse.eml":                 {1008, bounce.Complaint},
		"outlook-ndr-recipient-not-found.eml": {1009, bounce.Hard},
		"outlook-ndr-text-only.eml":           {1010, bounce.Hard},
		"outlook-jmrp-arf.eml":                {1011, bounce.Complaint},
		"outlook-mailbox-full.eml":            {1012, bounce.Soft},
		"postfix-user-unknown.eml":            {1013, bounce.Hard},
		"postfix-mailbox-full.eml":            {1014, bounce.Soft},
		"postfix-spam-refused.eml":            {1016, bounce.Blocked},
		"qmail-failure.eml":                   {1017, bounce.Hard},
		"rfc5965-example.eml":                 {1018, bounce.Complaint},
		"rfc3464-multi-recipient.eml":         {1020, bounce.Hard},
		"exim-failed.eml":                     {1024, bounce.Hard},
		"gateway-html-only.eml":               {1025, bounce.Hard},
		"outlook-sender-daily-limit.eml":      {1027, bounce.Soft},
		// Delays, a not-spam report, auto-replies and a person's reply
		// are accepted and record nothing.
	}
	files, err := filepath.Glob(filepath.Join("..", "testdata", "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test data: %v", err)
	}
	gotBy := map[string]event{}
	for _, f := range files {
		msg, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rcpt, from := "fbl@bounce.example.com", "feedback@arf.example.net"
		if m := toVERP.FindSubmatch(msg); m != nil {
			rcpt, from = string(m[1]), "" // a bounce: to the Return-Path, from the null sender
		}
		before := len(rec.got())
		if err := send(addr, from, []string{rcpt}, msg); err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		if evs := rec.got(); len(evs) > before {
			if len(evs) > before+1 {
				t.Errorf("%s: %d events, want one", filepath.Base(f), len(evs)-before)
			}
			e := evs[before]
			gotBy[filepath.Base(f)] = event{e.DeliveryID, e.Kind}
			if e.Source != bounce.SourceSMTP || e.ReportID == "" {
				t.Errorf("%s: event %+v", filepath.Base(f), e)
			}
		}
	}
	if d := cmp.Diff(want, gotBy); d != "" {
		t.Errorf("events recorded (-want +got):\n%s", d)
	}
}

// TestRcptRefusals checks the listener refuses at RCPT what is not its
// own, with a reply that says why, and takes its role mailboxes.
func TestRcptRefusals(t *testing.T) {
	_, addr, rec := startServer(t, Options{})
	v := testVERP(t)
	good := v.Address(7)
	for _, tc := range []struct {
		rcpt string
		code int
		text string
	}{
		{"someone@example.net", 550, "Relaying denied"},
		{strings.Replace(good, "bounce.example.com", "example.com", 1), 550, "Relaying denied"},
		{"nobody@bounce.example.com", 550, "No such mailbox"},
		{"bounces@bounce.example.com", 550, "No such mailbox"},
		{strings.Replace(good, "bounces+7.", "bounces+8.", 1), 550, "not one this server made"},
		{good[:len("bounces+7.")] + "aaaaaaaaaaaaaaaa@bounce.example.com", 550, "not one this server made"},
	} {
		err := send(addr, "", []string{tc.rcpt}, []byte("Subject: x\r\n\r\nx\r\n"))
		var te *textproto.Error
		if !errors.As(err, &te) || te.Code != tc.code || !strings.Contains(te.Msg, tc.text) {
			t.Errorf("RCPT %s: %v; want %d …%s…", tc.rcpt, err, tc.code, tc.text)
		}
	}
	for _, rcpt := range []string{good, strings.ToUpper(good), "prvs=1234abcd56=" + good, "postmaster@bounce.example.com",
		"Abuse@Bounce.Example.com", "fbl@bounce.example.com"} {
		if err := send(addr, "", []string{rcpt}, []byte("Subject: hello\r\n\r\nA person writing.\r\n")); err != nil {
			t.Errorf("RCPT %s: %v", rcpt, err)
		}
	}
	if evs := rec.got(); len(evs) != 0 {
		t.Errorf("recorded %+v from messages that are no reports", evs)
	}
}

// TestRecordFailureAsksForRetry checks that a report whose event cannot
// be stored gets a 451, and goes in when the sender tries again.
func TestRecordFailureAsksForRetry(t *testing.T) {
	_, addr, rec := startServer(t, Options{})
	msg, err := os.ReadFile(filepath.Join("..", "testdata", "postfix-user-unknown.eml"))
	if err != nil {
		t.Fatal(err)
	}
	rcpt := string(toVERP.FindSubmatch(msg)[1])
	rec.setFail(errors.New("database is down"))
	if err := send(addr, "", []string{rcpt}, msg); replyCode(err) != 451 {
		t.Fatalf("with storage down: %v, want 451", err)
	}
	rec.setFail(nil)
	if err := send(addr, "", []string{rcpt}, msg); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if evs := rec.got(); len(evs) != 1 || evs[0].DeliveryID != 1013 || evs[0].Kind != bounce.Hard {
		t.Errorf("events %+v, want the one hard bounce of 1013", evs)
	}
	// A delivery storage no longer has: accepted, nothing to retry.
	rec.setFail(bounce.ErrUnknownDelivery)
	if err := send(addr, "", []string{rcpt}, msg); err != nil {
		t.Errorf("unknown delivery: %v, want it accepted", err)
	}
}

// TestOneEventPerDelivery checks that a message to several addresses
// naming the same delivery records it once, and one naming two records
// both.
func TestOneEventPerDelivery(t *testing.T) {
	_, addr, rec := startServer(t, Options{})
	msg, err := os.ReadFile(filepath.Join("..", "testdata", "postfix-user-unknown.eml"))
	if err != nil {
		t.Fatal(err)
	}
	v := testVERP(t)
	rcpts := []string{v.Address(1013), strings.ToUpper(v.Address(1013)), "postmaster@bounce.example.com", v.Address(2000)}
	if err := send(addr, "", rcpts, msg); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, e := range rec.got() {
		ids = append(ids, e.DeliveryID)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	if d := cmp.Diff([]int64{1013, 2000}, ids); d != "" {
		t.Errorf("deliveries recorded (-want +got):\n%s", d)
	}
}

// TestSizeAndRecipientLimits checks the two limits a single message has.
func TestSizeAndRecipientLimits(t *testing.T) {
	_, addr, rec := startServer(t, Options{MaxMessageBytes: 4096, MaxRecipients: 2})
	v := testVERP(t)
	big := "Subject: big\r\n\r\n" + strings.Repeat(strings.Repeat("x", 70)+"\r\n", 100)
	if err := send(addr, "", []string{v.Address(1)}, []byte(big)); replyCode(err) != 552 {
		t.Errorf("message over the size: %v, want 552", err)
	}
	err := send(addr, "", []string{v.Address(1), v.Address(2), v.Address(3)}, []byte("Subject: x\r\n\r\nx\r\n"))
	if replyCode(err) != 452 {
		t.Errorf("third recipient: %v, want 452", err)
	}
	if evs := rec.got(); len(evs) != 0 {
		t.Errorf("recorded %+v", evs)
	}
}

// TestShutdownClosesIdleConnections checks that Shutdown gives open
// connections until its context ends, then closes them.
func TestShutdownClosesIdleConnections(t *testing.T) {
	srv, addr, _ := startServer(t, Options{})
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("mta.example.net"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := srv.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown with a connection open: %v, want the context's deadline", err)
	}
	if err := c.Noop(); err == nil {
		t.Error("the connection is still served after Shutdown")
	}
	if _, err := net.Dial("tcp", addr); err == nil {
		t.Error("the listener still takes connections after Shutdown")
	}
}
