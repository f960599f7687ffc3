package app_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/bounce"
	"newsdigest/internal/testenv"
)

// noticeVerpRe is the envelope sender of a one-off mail to a subscriber.
var noticeVerpRe = regexp.MustCompile(`^bounces\+(n[0-9]+\.[a-z2-7]{16})@` + regexp.QuoteMeta(bounceDomain) + `$`)

// noticeSample is a sample report of internal/bounce/testdata made to be
// about the mail whose notice token is tok.
func noticeSample(t *testing.T, name, tok string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "bounce", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	old := regexp.MustCompile(`[0-9]+\.[a-z2-7]{16}@bounce\.example\.com`).FindString(string(raw))
	if old == "" {
		t.Fatalf("%s names no VERP address", name)
	}
	oldToken, _, _ := strings.Cut(old, "@")
	s := strings.ReplaceAll(string(raw), oldToken, tok)
	return []byte(strings.ReplaceAll(s, "bounce.example.com", bounceDomain))
}

// TestConfirmationBounces: with BOUNCE_DOMAIN set, a confirmation mail's
// envelope sender names its subscriber (signed, as a digest's names its
// delivery). A DSN saying the address does not exist, mailed to the
// worker's listener, bounces the pending address, and signing it up again
// sends nothing more; a complaint about a confirmation marks the address
// complained.
func TestConfirmationBounces(t *testing.T) {
	t.Parallel()
	s := startStackBare(t, map[string]string{"BOUNCE_DOMAIN": bounceDomain})
	listener, _ := s.runBounceWorker()

	confirmation := func(addr string) (sender, tok string) {
		t.Helper()
		if a := s.postSignup(s.base, "application/json", signupBody(addr), nil); a.status != http.StatusAccepted {
			t.Fatalf("sign up %s: %d %s", addr, a.status, a.body)
		}
		s.smtp.WaitFor(t, 30*time.Second, "the confirmation to "+addr, func([]testenv.Received) bool { return len(s.smtp.To(addr)) > 0 })
		m := s.smtp.To(addr)[0]
		got := noticeVerpRe.FindStringSubmatch(m.From)
		if got == nil {
			t.Fatalf("%s's confirmation came from %q, want bounces+n<id>.<mac>@%s", addr, m.From, bounceDomain)
		}
		if h := m.Header(bounce.DeliveryHeader); h != got[1] {
			t.Errorf("%s: %s is %q, not the envelope sender's token %q", addr, bounce.DeliveryHeader, h, got[1])
		}
		return m.From, got[1]
	}

	ghost := "no.such.user@example.net"
	sender, tok := confirmation(ghost)
	if err := mailReport(listener, sender, noticeSample(t, "gmail-dsn-user-unknown.eml", tok)); err != nil {
		t.Fatalf("mail the DSN: %v", err)
	}
	if status, _ := subscriberState(t, s, ghost); status != "bounced" {
		t.Errorf("%s after its confirmation bounced: %s, want bounced", ghost, status)
	}
	if a := s.postSignup(s.base, "application/json", signupBody(ghost), nil); a.status != http.StatusAccepted {
		t.Fatalf("sign up again: %d %s", a.status, a.body)
	}
	s.waitQueuesIdle()
	if n := len(s.smtp.To(ghost)); n != 1 {
		t.Errorf("%s got %d mails after bouncing and signing up again, want the first alone", ghost, n)
	}

	complainer := "not.me@example.net"
	sender, tok = confirmation(complainer)
	if err := mailReport(listener, sender, noticeSample(t, "yahoo-arf-abuse.eml", tok)); err != nil {
		t.Fatalf("mail the complaint: %v", err)
	}
	if status, _ := subscriberState(t, s, complainer); status != "complained" {
		t.Errorf("%s after a complaint about its confirmation: %s, want complained", complainer, status)
	}
}

// TestConfirmationBounceBySESAndForwarded: with Amazon SES the same
// bounce comes twice by default, as SES's notice through SNS and as the
// bounce SES forwards to the envelope sender, which the listener takes;
// SES sent the message with a Message-ID of its own, which the forwarded
// bounce returns and the notice gives as mail.messageId. A confirmation
// that failed once is one failure toward BOUNCE_LIMIT, not two: else
// two failed sign-ups would lock the address out.
func TestConfirmationBounceBySESAndForwarded(t *testing.T) {
	t.Parallel()
	s := startStackBare(t, map[string]string{"BOUNCE_DOMAIN": bounceDomain, "BOUNCE_SES_TOPIC_ARNS": sesTopic})
	listener, _ := s.runBounceWorker()
	f := newFakeSNS(t)
	base := s.runWebhookWeb(f)

	addr := "full.box@example.net"
	if a := s.postSignup(s.base, "application/json", signupBody(addr), nil); a.status != http.StatusAccepted {
		t.Fatalf("sign up %s: %d %s", addr, a.status, a.body)
	}
	s.smtp.WaitFor(t, 30*time.Second, "the confirmation to "+addr, func([]testenv.Received) bool { return len(s.smtp.To(addr)) > 0 })
	sender := s.smtp.To(addr)[0].From
	got := noticeVerpRe.FindStringSubmatch(sender)
	if got == nil {
		t.Fatalf("the confirmation came from %q, want bounces+n<id>.<mac>@%s", sender, bounceDomain)
	}
	tok := got[1]

	// SES's notice: a transient bounce of the message SES gave this id.
	const sesID = "0102019a1b2c3d4e-aa11bb22-cc33-dd44-ee55-ff6677889900-000000"
	notice := string(noticeSample(t, filepath.Join("..", "webhook", "testdata", "ses-bounce-permanent.json"), tok))
	notice = strings.Replace(notice, `"bounceType": "Permanent"`, `"bounceType": "Transient"`, 1)
	if !strings.Contains(notice, `"messageId": "`+sesID+`"`) || !strings.Contains(notice, "Transient") {
		t.Fatal("the SES sample is not a notice about message " + sesID)
	}
	b, _ := json.Marshal(f.notification(t, "7a1d2c3e-0001-4c2c-8f9d-bdfb0c7bf324", notice))
	if status, body := postWebhook(t, base+"/webhooks/bounces/ses", "text/plain; charset=UTF-8", b); status != http.StatusOK ||
		!strings.Contains(body, `"recorded":1`) {
		t.Fatalf("SES notice: %d %s", status, body)
	}
	if status, bounces := subscriberState(t, s, addr); status != "pending" || bounces != 1 {
		t.Fatalf("%s after SES's notice: %s, %d in a row; want pending, 1", addr, status, bounces)
	}

	// The bounce SES forwards: the receiving server's, returning the
	// header SES sent the message with.
	dsn := string(noticeSample(t, "postfix-mailbox-full.eml", tok))
	ours := "Message-ID: <20250514084038.1014.digest@example.com>"
	if !strings.Contains(dsn, ours) {
		t.Fatalf("the DSN sample does not return %q", ours)
	}
	dsn = strings.Replace(dsn, ours, "Message-ID: <"+sesID+"@eu-west-1.amazonses.com>", 1)
	if err := mailReport(listener, sender, []byte(dsn)); err != nil {
		t.Fatalf("mail the forwarded bounce: %v", err)
	}
	if status, bounces := subscriberState(t, s, addr); status != "pending" || bounces != 1 {
		t.Errorf("%s after the bounce SES forwarded: %s, %d in a row; want pending, 1 (one message failed once)", addr, status, bounces)
	}
}
