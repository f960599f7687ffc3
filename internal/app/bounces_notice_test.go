package app_test

import (
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
