package mail

import (
	"context"
	"slices"
	"strings"
	"testing"

	"newsdigest/internal/testenv"
)

// TestEnvelopeAndSignedListHeaders sends a digest-like message under a
// delivery's own envelope: the relay sees that envelope sender (MAIL
// FROM) while From stays the list's, the delivery's name is in
// X-Newsdigest-Delivery, and both DKIM signatures cover List-Id,
// List-Unsubscribe, List-Unsubscribe-Post and Feedback-ID (each listed
// twice, so that one added on the way breaks the signature) and verify.
func TestEnvelopeAndSignedListHeaders(t *testing.T) {
	d, txt := dkimKeys(t)
	srv := testenv.NewSMTPServer(t)
	p := newTestPool(t, srv, 1)
	p.SignWith(d)
	text := "News\nLeave: https://x.example/u/TOKEN\n"
	s := Prepare(&Message{
		Subject: "News", Text: text,
		Headers: map[string]string{
			"List-Id":               "News <news.example.org>",
			"List-Unsubscribe":      "<https://x.example/u/TOKEN>",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"Feedback-ID":           "edition-7:es:news.example.org:x.example",
		},
		TextTokens: []int{strings.Index(text, "TOKEN")},
	}, "TOKEN")
	env := Envelope{Sender: "bounces+42.abcdefghijklmnop@bounce.example.org", Delivery: "42.abcdefghijklmnop"}
	if err := p.SendSharedAs(context.Background(), s, "reader@example.net", "tok", env); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("got %d messages", len(msgs))
	}
	m := msgs[0]
	if m.From != env.Sender {
		t.Errorf("MAIL FROM %q, want %q", m.From, env.Sender)
	}
	if got := m.Header("From"); !strings.Contains(got, "@example.org") || strings.Contains(got, "bounces+") {
		t.Errorf("From: %q, want the list's address", got)
	}
	if got := m.Header(DeliveryHeader); got != env.Delivery {
		t.Errorf("%s: %q, want %q", DeliveryHeader, got, env.Delivery)
	}
	if got := m.Header("Feedback-ID"); got != "edition-7:es:news.example.org:x.example" {
		t.Errorf("Feedback-ID: %q", got)
	}
	for _, v := range verify(t, m.Raw, txt) {
		if v.Err != nil {
			t.Errorf("signature does not verify: %v", v.Err)
		}
		for _, h := range []string{"List-Id", "List-Unsubscribe", "List-Unsubscribe-Post", "Feedback-ID"} {
			n := 0
			for _, k := range v.HeaderKeys {
				if strings.EqualFold(k, h) {
					n++
				}
			}
			if n != 2 {
				t.Errorf("h= lists %s %d times, want 2 (h=%v)", h, n, v.HeaderKeys)
			}
		}
		if slices.ContainsFunc(v.HeaderKeys, func(k string) bool { return strings.EqualFold(k, DeliveryHeader) }) {
			// Not wrong, but the per-delivery header need not be signed:
			// it only helps find the delivery, and is checked by its MAC.
			t.Logf("h= covers %s", DeliveryHeader)
		}
	}

	// An envelope sender that could break out of MAIL FROM is refused.
	err := p.SendSharedAs(context.Background(), s, "reader@example.net", "tok", Envelope{Sender: "x@y> RCPT TO:<z@w"})
	if err == nil || ClassOf(err) != Permanent {
		t.Errorf("a bad envelope sender: %v, want a permanent error", err)
	}
}
