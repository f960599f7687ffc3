package mail

import (
	"context"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"newsdigest/internal/config"
	"newsdigest/internal/testenv"
)

func newTestPool(t *testing.T, srv *testenv.SMTPServer, size int) *Pool {
	t.Helper()
	from := &netmail.Address{Name: "News Digest", Address: "digest@example.org"}
	p, err := NewPool(config.SMTP{Host: srv.Host, Port: srv.Port, TLS: "none"}, from, size)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func TestPoolSendsMultipartWithHeaders(t *testing.T) {
	srv := testenv.NewSMTPServer(t)
	p := newTestPool(t, srv, 2)
	ctx := context.Background()
	for _, to := range []string{"a@example.org", "b@example.org", "c@example.org"} {
		err := p.Send(ctx, &Message{
			To: to, Subject: "Digest — semana", HTML: "<p>hola</p>", Text: "hola", Language: "es",
			Headers: map[string]string{
				"List-Unsubscribe":      "<https://news.example.org/unsubscribe/TOKEN>",
				"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			},
		})
		if err != nil {
			t.Fatalf("send to %s: %v", to, err)
		}
	}
	msgs := srv.Messages()
	if len(msgs) != 3 {
		t.Fatalf("got %d messages, want 3", len(msgs))
	}
	m := msgs[0]
	for h, want := range map[string]string{
		"List-Unsubscribe":      "<https://news.example.org/unsubscribe/TOKEN>",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"Content-Language":      "es",
	} {
		if got := m.Header(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if !strings.HasSuffix(m.Header("Message-Id"), "@example.org>") {
		t.Errorf("Message-Id = %q", m.Header("Message-Id"))
	}
	if ct := m.Header("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative") {
		t.Errorf("Content-Type = %q, want multipart/alternative", ct)
	}
}

func TestPoolClassifiesReplies(t *testing.T) {
	srv := testenv.NewSMTPServer(t)
	srv.Reject = func(rcpt string) error {
		switch {
		case strings.HasPrefix(rcpt, "gone@"):
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		case strings.HasPrefix(rcpt, "busy@"):
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
		}
		return nil
	}
	p := newTestPool(t, srv, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, tc := range []struct {
		to    string
		class Class
	}{
		{"gone@example.org", Permanent},
		{"busy@example.org", Temporary},
	} {
		err := p.Send(ctx, &Message{To: tc.to, Subject: "s", HTML: "h", Text: "t"})
		if err == nil || ClassOf(err) != tc.class {
			t.Errorf("send to %s: err = %v, class %v, want class %v", tc.to, err, ClassOf(err), tc.class)
		}
	}
	// The connection survives refusals.
	if err := p.Send(ctx, &Message{To: "ok@example.org", Subject: "s", HTML: "h", Text: "t"}); err != nil {
		t.Fatalf("send after refusals: %v", err)
	}
	if got := len(srv.To("ok@example.org")); got != 1 {
		t.Errorf("ok@ got %d messages", got)
	}
}

func TestPoolSendsEightBitUnlessLinesAreTooLong(t *testing.T) {
	srv := testenv.NewSMTPServer(t)
	p := newTestPool(t, srv, 1)
	ctx := context.Background()
	short := "<p>Migración segura</p>\n"
	long := "<p>" + strings.Repeat("x", 1200) + "</p>"
	for to, html := range map[string]string{"short@example.org": short, "long@example.org": long} {
		if err := p.Send(ctx, &Message{To: to, Subject: "s", HTML: html, Text: "texto"}); err != nil {
			t.Fatal(err)
		}
	}
	for to, want := range map[string]string{"short@example.org": "8bit", "long@example.org": "quoted-printable"} {
		msgs := srv.To(to)
		if len(msgs) != 1 {
			t.Fatalf("%s: %d messages", to, len(msgs))
		}
		if got := strings.Count(string(msgs[0].Raw), "Content-Transfer-Encoding: "+want); got != 2 {
			t.Errorf("%s: %d parts encoded %s, want 2", to, got, want)
		}
	}
	if !fitsEightBit(strings.Repeat("y", 998)+"\n"+strings.Repeat("z", 998)) || fitsEightBit(strings.Repeat("y", 999)) {
		t.Error("fitsEightBit draws the line in the wrong place")
	}
}
