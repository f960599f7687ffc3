package mail

import (
	"context"
	"mime"
	netmail "net/mail"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"newsdigest/internal/config"
	"newsdigest/internal/testenv"
)

func newTestPool(t *testing.T, srv *testenv.SMTPServer, size int) *Pool {
	t.Helper()
	from := &netmail.Address{Name: "News Digest", Address: "digest@example.org"}
	p, err := NewPool(config.SMTP{Host: srv.Host, Port: srv.Port, TLS: "none"}, from, size, Timings{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func TestPoolSendsMultipartWithHeaders(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
	srv := testenv.NewSMTPServer(t)
	srv.Reject = func(rcpt string) error {
		switch {
		case strings.HasPrefix(rcpt, "gone@"):
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		case strings.HasPrefix(rcpt, "busy@"):
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
		case strings.HasPrefix(rcpt, "gmail@"):
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 26}, Message: "This mail has been blocked because the sender is unauthenticated."}
		}
		return nil
	}
	var refuseSender atomic.Bool
	srv.RejectMail = func(string) error {
		if refuseSender.Load() {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "sender not allowed"}
		}
		return nil
	}
	p := newTestPool(t, srv, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, tc := range []struct {
		to           string
		refuseSender bool
		class        Class
		bounce       bool
	}{
		{"gone@example.org", false, Permanent, true},
		{"busy@example.org", false, Temporary, false},
		// An address that would break out of RCPT never reaches the relay.
		{"a@example.org>\r\nRCPT TO:<b@example.org", false, Permanent, true},
		{"no-at-sign", false, Permanent, true},
		// A relay refusing the sender says nothing about the recipient,
		// at MAIL or, in its words, at RCPT.
		{"ok@example.org", true, Permanent, false},
		{"gmail@example.org", false, Permanent, false},
	} {
		refuseSender.Store(tc.refuseSender)
		err := p.Send(ctx, &Message{To: tc.to, Subject: "s", HTML: "h", Text: "t"})
		if err == nil || ClassOf(err) != tc.class || IsBounce(err) != tc.bounce {
			t.Errorf("send to %s: err = %v, class %v, bounce %v; want class %v, bounce %v",
				tc.to, err, ClassOf(err), IsBounce(err), tc.class, tc.bounce)
		}
	}
	refuseSender.Store(false)
	// The connection survives refusals.
	if err := p.Send(ctx, &Message{To: "ok@example.org", Subject: "s", HTML: "h", Text: "t"}); err != nil {
		t.Fatalf("send after refusals: %v", err)
	}
	if got := len(srv.To("ok@example.org")); got != 1 {
		t.Errorf("ok@ got %d messages", got)
	}
}

func TestPoolSendsEightBitUnlessLinesAreTooLong(t *testing.T) {
	t.Parallel()
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
	// The line is drawn at 998 bytes, a token's placeholder counted where
	// it stands.
	eightBit := func(text string) bool {
		return Prepare(&Message{Subject: "s", Text: text, TextTokens: []int{strings.Index(text, "TOK")}}, "TOK").segments != nil
	}
	if !eightBit(strings.Repeat("y", 995)+"TOK\n"+strings.Repeat("z", 998)) || eightBit(strings.Repeat("y", 996)+"TOK") ||
		eightBit("TOK"+strings.Repeat("y", 996)) || !eightBit(strings.Repeat("y", 997)+"\r\nTOK") {
		t.Error("the 8-bit form's line limit is drawn in the wrong place")
	}
}

// TestPoolSpeaksToPlainerRelays sends the same message to relays offering
// less and less: BDAT pipelined, DATA pipelined, DATA command by command,
// and 7-bit only. Each must receive it whole, a line that starts with a dot
// included (stuffed under DATA, never under BDAT).
func TestPoolSpeaksToPlainerRelays(t *testing.T) {
	t.Parallel()
	text := "first line\n.a line that starts with a dot\n..two dots\nlast línea"
	html := "<p>hola</p>\n.<p>dot</p>"
	for _, tc := range []struct {
		name     string
		hide     []string
		encoding string
	}{
		{"everything", nil, "8bit"},
		{"no CHUNKING", []string{"CHUNKING"}, "8bit"},
		{"no PIPELINING", []string{"PIPELINING", "CHUNKING"}, "8bit"},
		{"BDAT without PIPELINING", []string{"PIPELINING"}, "8bit"},
		{"7-bit only", []string{"8BITMIME", "CHUNKING"}, "quoted-printable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := testenv.NewSMTPServer(t)
			srv.Hide(tc.hide...)
			p := newTestPool(t, srv, 1)
			for _, to := range []string{"a@example.org", "b@example.org"} {
				if err := p.Send(context.Background(), &Message{To: to, Subject: "s", HTML: html, Text: text}); err != nil {
					t.Fatalf("send to %s: %v", to, err)
				}
			}
			for _, to := range []string{"a@example.org", "b@example.org"} {
				msgs := srv.To(to)
				if len(msgs) != 1 {
					t.Fatalf("%s got %d messages", to, len(msgs))
				}
				parts := testenv.Parts(t, msgs[0].Raw)
				if parts["text/plain"] != strings.ReplaceAll(text, "\n", "\r\n") {
					t.Errorf("text part = %q", parts["text/plain"])
				}
				if parts["text/html"] != strings.ReplaceAll(html, "\n", "\r\n") {
					t.Errorf("html part = %q", parts["text/html"])
				}
				if got := strings.Count(string(msgs[0].Raw), "Content-Transfer-Encoding: "+tc.encoding); got != 2 {
					t.Errorf("%d parts encoded %s, want 2", got, tc.encoding)
				}
			}
		})
	}
}

// TestSharedMessageCarriesEachToken sends one prepared message to several
// people: each copy has its own recipient, token (headers and bodies) and
// Message-ID, and nothing of the placeholder is left.
func TestSharedMessageCarriesEachToken(t *testing.T) {
	t.Parallel()
	srv := testenv.NewSMTPServer(t)
	p := newTestPool(t, srv, 2)
	s := Prepare(&Message{
		Subject:    "Resumen semanal — migración y movilidad humana en Centroamérica y el Caribe, semana 48",
		HTML:       `<a href="https://x.example/u/PLACEHOLDER">baja</a> <a href="https://x.example/p/PLACEHOLDER">prefs</a>`,
		Text:       "https://x.example/u/PLACEHOLDER",
		Headers:    map[string]string{"List-Unsubscribe": "<https://x.example/u/PLACEHOLDER>"},
		HTMLTokens: []int{29, 80}, TextTokens: []int{20}, // where the bodies' tokens go
	}, "PLACEHOLDER")
	tokens := map[string]string{"a@example.org": "tokA", "b@example.org": "tokenB-longer"}
	for to, tok := range tokens {
		if err := p.SendShared(context.Background(), s, to, tok); err != nil {
			t.Fatal(err)
		}
	}
	ids := map[string]bool{}
	for to, tok := range tokens {
		msgs := srv.To(to)
		if len(msgs) != 1 {
			t.Fatalf("%s got %d messages", to, len(msgs))
		}
		m := msgs[0]
		raw := string(m.Raw)
		if strings.Contains(raw, "PLACEHOLDER") {
			t.Errorf("%s: placeholder left in the message", to)
		}
		if got := strings.Count(raw, "/"+tok+">") + strings.Count(raw, "/"+tok+"\""); got != 3 {
			t.Errorf("%s: token appears %d times in links, want 3", to, got)
		}
		if m.Header("To") != "<"+to+">" {
			t.Errorf("To = %q", m.Header("To"))
		}
		if m.Header("List-Unsubscribe") != "<https://x.example/u/"+tok+">" {
			t.Errorf("List-Unsubscribe = %q", m.Header("List-Unsubscribe"))
		}
		subject, err := new(mime.WordDecoder).DecodeHeader(m.Header("Subject"))
		if err != nil || !strings.HasPrefix(subject, "Resumen semanal — migración") || !strings.HasSuffix(subject, "semana 48") {
			t.Errorf("Subject decodes to %q (%v)", subject, err)
		}
		// Folded between words: an encoded word is at most 75 characters.
		for _, line := range strings.Split(raw[:strings.Index(raw, "\r\n\r\n")], "\r\n") {
			if len(line) > len("Subject: ")+75 {
				t.Errorf("header line of %d characters: %q", len(line), line)
			}
		}
		ids[m.Header("Message-Id")] = true
	}
	if len(ids) != 2 {
		t.Errorf("Message-IDs are not unique: %v", ids)
	}
}

// TestPoolReconnectsAfter421: a relay closing the transaction with 421
// fails it temporarily, without bouncing anyone; the next message goes
// over a new connection.
func TestPoolReconnectsAfter421(t *testing.T) {
	t.Parallel()
	srv := testenv.NewSMTPServer(t)
	var refused atomic.Int32
	srv.RejectMail = func(string) error {
		if refused.Add(1) == 1 {
			return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "shutting down"}
		}
		return nil
	}
	p := newTestPool(t, srv, 1)
	ctx := context.Background()
	err := p.Send(ctx, &Message{To: "a@example.org", Subject: "s", Text: "t"})
	if ClassOf(err) != Temporary || IsBounce(err) || !strings.HasPrefix(err.Error(), "421") {
		t.Fatalf("first send: err = %v (class %v, bounce %v), want a temporary 421", err, ClassOf(err), IsBounce(err))
	}
	if err := p.Send(ctx, &Message{To: "a@example.org", Subject: "s", Text: "t"}); err != nil {
		t.Fatalf("send after 421: %v", err)
	}
	if got := len(srv.To("a@example.org")); got != 1 {
		t.Errorf("a@ got %d messages, want 1", got)
	}
}

// TestPoolSendsToAnIPv6Relay: a relay named by an IPv6 address
// (SMTP_URL=smtp://[::1]:2525) is reached, where the address go-mail
// joins from host and port ("::1:2525") could not be dialled.
func TestPoolSendsToAnIPv6Relay(t *testing.T) {
	t.Parallel()
	srv := testenv.NewSMTPServerOn(t, "::1")
	p := newTestPool(t, srv, 1)
	if err := p.Send(context.Background(), &Message{To: "reader@example.org", Subject: "News", Text: "News\n"}); err != nil {
		t.Fatalf("send to the relay at [::1]:%d: %v", srv.Port, err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("the relay got %d messages, want 1", n)
	}
}
