package app_test

import (
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
)

// TestTestSendSaysHowItWent: the preview page lists the editor's test
// sends and how each went: the one the relay took, the one it refused,
// and the one it put off on every try, with the relay's codes, where the
// console had said only that each was on its way. None keeps its address
// once done.
func TestTestSendSaysHowItWent(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	s.smtp.Reject = func(rcpt string) error {
		if strings.HasPrefix(rcpt, "typo") {
			return &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
		}
		if strings.HasPrefix(rcpt, "busy") {
			return &gosmtp.SMTPError{Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
		}
		return nil
	}
	importStoryOfToday(t, s)
	c := s.consoleLogin()
	const preview = "/admin/editions/preview?countries=MX&language=en&mode=any"
	for _, to := range []string{"editor@example.org", "typo.editor@example.org", "busy.editor@example.org"} {
		form := formFields(t, s.consoleGet(c, preview), "test-send")
		form.Set("to", to)
		if st, page := s.postForm(c, "/admin/editions/test-send?lang=en", form); st != http.StatusOK || !strings.Contains(page, "reload this page to see how it went") {
			t.Fatalf("test send to %s: %d", to, st)
		}
	}
	var page string
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		page = s.consoleGet(c, preview+"&lang=en")
		if strings.Count(page, `data-outcome="sent"`) == 1 && strings.Count(page, `data-outcome="refused"`) == 1 &&
			strings.Count(page, `data-outcome="failed"`) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the preview does not say how the three test sends went: %.2000s", page[max(0, strings.Index(page, `id="test-sends"`)):])
		}
	}
	list := html.UnescapeString(page[strings.Index(page, `id="test-sends"`):])
	if !strings.Contains(list, "refused by the mail server (permanent, SMTP 550 5.1.1): check the address") ||
		!strings.Contains(list, "not sent (temporary, SMTP 451 4.3.0): the mail server did not take it") {
		t.Errorf("the refusal and the failure are not said with the relay's codes: %.1000s", list)
	}
	if strings.Contains(page, "typo.editor@") {
		t.Error("the preview names the refused address")
	}
	var kept int
	s.subsQuery(`SELECT count(*) FROM test_sends WHERE recipient IS NOT NULL`, nil, &kept)
	if kept != 0 {
		t.Errorf("%d test sends done still hold their address", kept)
	}
}
