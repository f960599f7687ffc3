package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/testenv"
)

// One inbox cannot be flooded through its plus-addresses: the per-address
// limit counts the mailbox without its "+tag", whatever its case, so
// victim+1@…, victim+2@… and VICTIM+3@… share CONFIRM_MAILS_PER_DAY, and
// the inbox gets no more confirmation mails than that.
func TestSignupLimitPerMailboxIgnoresPlusTags(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	addrs := []string{"victim+1@example.org", "victim+2@example.org", "VICTIM+3@example.org", "victim+4@example.org", "victim@example.org"}
	for i, addr := range addrs {
		want := http.StatusAccepted
		if i >= s.cfg.ConfirmMailsPerDay {
			want = http.StatusTooManyRequests
		}
		if a := s.postSignup(s.base, "application/json", signupBody(addr), nil); a.status != want {
			t.Errorf("sign-up %d (%s): %d %s, want %d", i+1, addr, a.status, a.body, want)
		}
	}
	if a := s.postSignup(s.base, "application/json", signupBody("someone.else@example.org"), nil); a.status != http.StatusAccepted {
		t.Errorf("another mailbox: %d %s, want 202", a.status, a.body)
	}
	s.smtp.WaitFor(t, 30*time.Second, "confirmation to someone.else@example.org", func([]testenv.Received) bool {
		return len(s.smtp.To("someone.else@example.org")) > 0
	})
	s.waitQueuesIdle()
	inbox := 0
	for _, m := range s.smtp.Messages() {
		for _, to := range m.To {
			if strings.HasPrefix(strings.ToLower(to), "victim") {
				inbox++
			}
		}
	}
	if inbox > s.cfg.ConfirmMailsPerDay {
		t.Errorf("the victim's inbox got %d confirmation mails, more than CONFIRM_MAILS_PER_DAY (%d)", inbox, s.cfg.ConfirmMailsPerDay)
	}
}
