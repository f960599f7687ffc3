package mail_test

import (
	"context"
	"mime"
	netmail "net/mail"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/config"
	"newsdigest/internal/mail"
	"newsdigest/internal/testenv"
)

// wireMessage is a digest-like message with what a transfer could damage:
// lines that start with a dot (stuffed under DATA, never under BDAT), a
// lone dot, text that reads like SMTP commands, bare line feeds made CRLF,
// non-ASCII text (8-bit or quoted-printable) and tokens put in per
// recipient.
func wireMessage() *mail.Message {
	text := "Migración y movilidad — semana 48\n.a line that starts with a dot\n..two dots\n.\n" +
		"BDAT 12 LAST\nDATA\n\nBaja: https://x.example/u/TOKEN\nlast línea"
	html := "<p>Migración</p>\n.<p>dot</p>\n<a href=\"https://x.example/u/TOKEN\">baja</a>\n"
	return &mail.Message{
		Subject: "Resumen semanal — migración, semana 48", Language: "es", Text: text, HTML: html,
		Headers:    map[string]string{"List-Unsubscribe": "<https://x.example/u/TOKEN>"},
		TextTokens: []int{strings.Index(text, "TOKEN")}, HTMLTokens: []int{strings.Index(html, "TOKEN")},
	}
}

// TestPoolSendsByBDATWhenChunkingIsOffered sends one prepared message
// through a Pool to relays offering more or less, and checks on the wire
// that it went by BDAT exactly when the relay offers CHUNKING, with
// BODY=8BITMIME exactly when it offers 8BITMIME, and that it arrived whole
// every way: the same bytes by BDAT as by DATA, the same text once
// quoted-printable is decoded.
func TestPoolSendsByBDATWhenChunkingIsOffered(t *testing.T) {
	t.Parallel()
	want := wireMessage()
	shared := mail.Prepare(want, "TOKEN")
	raws := map[string]string{} // by Content-Transfer-Encoding: the first message seen
	for _, tc := range []struct {
		name     string
		hide     []string
		command  string
		body     string
		encoding string
	}{
		{"everything", nil, "BDAT", "8BITMIME", "8bit"},
		{"BDAT without PIPELINING", []string{"PIPELINING"}, "BDAT", "8BITMIME", "8bit"},
		{"no CHUNKING", []string{"CHUNKING"}, "DATA", "8BITMIME", "8bit"},
		{"no CHUNKING nor PIPELINING", []string{"CHUNKING", "PIPELINING"}, "DATA", "8BITMIME", "8bit"},
		{"BDAT 7-bit", []string{"8BITMIME"}, "BDAT", "", "quoted-printable"},
		{"DATA 7-bit", []string{"CHUNKING", "8BITMIME"}, "DATA", "", "quoted-printable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := testenv.NewSMTPServer(t)
			srv.Hide(tc.hide...)
			p := newWirePool(t, srv)
			// Two messages: the second goes over a connection already used.
			for _, to := range []string{"a@example.org", "b@example.org"} {
				if err := p.SendShared(context.Background(), shared, to, "tok-"+to[:1]); err != nil {
					t.Fatalf("send to %s: %v", to, err)
				}
			}
			msgs := srv.Messages()
			if len(msgs) != 2 {
				t.Fatalf("the relay got %d messages, want 2", len(msgs))
			}
			for _, m := range msgs {
				if m.Command != tc.command || m.Body != tc.body {
					t.Errorf("to %s: came by %q with BODY=%q; want %q with BODY=%q", m.To, m.Command, m.Body, tc.command, tc.body)
				}
				checkArrivedWhole(t, m, want, "tok-"+m.To[0][:1], tc.encoding)
			}
			// BDAT and DATA deliver the same bytes: nothing gained or lost
			// to dot-stuffing or chunking.
			raw := stripVarying(msgs[0])
			if first, ok := raws[tc.encoding]; !ok {
				raws[tc.encoding] = raw
			} else if diff := cmp.Diff(first, raw); diff != "" {
				t.Errorf("the message differs from the %s one sent another way (-there +here):\n%s", tc.encoding, diff)
			}
		})
	}
}

func newWirePool(t *testing.T, srv *testenv.SMTPServer) *mail.Pool {
	t.Helper()
	from := &netmail.Address{Name: "News Digest", Address: "digest@example.org"}
	p, err := mail.NewPool(config.SMTP{Host: srv.Host, Port: srv.Port, TLS: "none"}, from, 1, mail.Timings{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// checkArrivedWhole compares what the relay got with the message sent: its
// headers, and each part decoded, with the recipient's token in place.
func checkArrivedWhole(t *testing.T, m testenv.Received, sent *mail.Message, token, encoding string) {
	t.Helper()
	to := m.To[0]
	if got := m.Header("To"); got != "<"+to+">" {
		t.Errorf("to %s: To = %q", to, got)
	}
	if got := m.Header("List-Unsubscribe"); got != "<https://x.example/u/"+token+">" {
		t.Errorf("to %s: List-Unsubscribe = %q", to, got)
	}
	if got, err := new(mime.WordDecoder).DecodeHeader(m.Header("Subject")); err != nil || got != sent.Subject {
		t.Errorf("to %s: Subject decodes to %q (%v), want %q", to, got, err, sent.Subject)
	}
	crlf := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "TOKEN", token), "\n", "\r\n") }
	want := map[string]string{"text/plain": crlf(sent.Text), "text/html": crlf(sent.HTML)}
	if diff := cmp.Diff(want, testenv.Parts(t, m.Raw)); diff != "" {
		t.Errorf("to %s: parts (-sent +received):\n%s", to, diff)
	}
	if got := strings.Count(string(m.Raw), "Content-Transfer-Encoding: "+encoding+"\r\n"); got != 2 {
		t.Errorf("to %s: %d parts encoded %s, want 2", to, got, encoding)
	}
	if encoding == "quoted-printable" {
		for i, b := range m.Raw {
			if b >= 0x80 {
				t.Errorf("to %s: an 8-bit byte at %d of a message sent as 7-bit", to, i)
				break
			}
		}
	}
}

// stripVarying returns the message without what differs from send to send:
// the Date and Message-ID lines, and the MIME boundary (a fresh one for
// each quoted-printable message).
func stripVarying(m testenv.Received) string {
	raw := varyingHeaders.ReplaceAllString(string(m.Raw), "")
	if _, params, err := mime.ParseMediaType(m.Header("Content-Type")); err == nil && params["boundary"] != "" {
		raw = strings.ReplaceAll(raw, params["boundary"], "BOUNDARY")
	}
	return raw
}

var varyingHeaders = regexp.MustCompile(`(?m)^(Date|Message-ID|Message-Id): [^\r]*\r\n`)
