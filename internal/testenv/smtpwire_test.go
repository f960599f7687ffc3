package testenv

import (
	"bufio"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"
)

// client speaks SMTP by hand, so that a test decides exactly what goes on
// the wire and when.
type client struct {
	t    *testing.T
	conn net.Conn
	r    *textproto.Reader
}

func dialSMTP(t *testing.T, s *SMTPServer) *client {
	t.Helper()
	conn, err := net.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	c := &client{t: t, conn: conn, r: textproto.NewReader(bufio.NewReader(conn))}
	c.expect(220)
	return c
}

// send writes the pieces in one write: pipelined, as far as the server can
// tell.
func (c *client) send(pieces ...string) {
	c.t.Helper()
	if _, err := c.conn.Write([]byte(strings.Join(pieces, ""))); err != nil {
		c.t.Fatal(err)
	}
}

// expect reads one reply per code, in order.
func (c *client) expect(codes ...int) {
	c.t.Helper()
	for _, want := range codes {
		code, msg, err := c.r.ReadResponse(0)
		if err != nil && code == 0 {
			c.t.Fatalf("waiting for %d: %v", want, err)
		}
		if code != want {
			c.t.Fatalf("reply %d %q, want %d", code, msg, want)
		}
	}
}

func bdat(chunk string, last bool) string {
	cmd := "BDAT " + strconv.Itoa(len(chunk))
	if last {
		cmd += " LAST"
	}
	return cmd + "\r\n" + chunk
}

// TestSMTPServerRecordsHowMessagesCame sends messages by BDAT and by DATA,
// pipelined deeper than a careful client would, with refused transactions
// and message text that looks like commands, and checks what each
// Received says about how it came.
func TestSMTPServerRecordsHowMessagesCame(t *testing.T) {
	s := NewSMTPServer(t)
	s.Reject = func(rcpt string) error {
		if strings.HasPrefix(rcpt, "gone@") {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		}
		return nil
	}
	c := dialSMTP(t, s)
	c.send("EHLO client.example.org\r\n")
	c.expect(250)

	// A BDAT refused for want of recipients: its chunk is not a command.
	c.send("MAIL FROM:<a@example.org> BODY=8BITMIME\r\n", "RCPT TO:<gone@example.org>\r\n",
		bdat("Subject: refused\r\n\r\nDATA\r\n", true), "RSET\r\n")
	c.expect(250, 550, 502, 250)

	// Two chunks, then the next transaction by DATA in the same write.
	chunked := "Subject: chunked\r\n\r\nMAIL FROM:<x@example.org>\r\n.\r\n"
	c.send("MAIL FROM:<a@example.org> BODY=8BITMIME\r\n", "RCPT TO:<b@example.org>\r\n",
		bdat(chunked[:20], false), bdat(chunked[20:], true),
		"MAIL FROM:<a@example.org>\r\n", "RCPT TO:<c@example.org>\r\n", "DATA\r\n")
	c.expect(250, 250, 250, 250, 250, 250, 354)
	c.send("Subject: dotted\r\n\r\n..a line that starts with a dot\r\nBDAT 5\r\n.\r\n")
	c.expect(250)

	// A DATA refused for want of recipients: what follows it in the same
	// write is commands, here a whole BDAT transaction.
	c.send("MAIL FROM:<a@example.org>\r\n", "RCPT TO:<gone@example.org>\r\n", "DATA\r\n",
		"MAIL FROM:<a@example.org> BODY=7BIT\r\n", "RCPT TO:<d@example.org>\r\n",
		bdat("Subject: after refused DATA\r\n\r\nhi\r\n", true))
	c.expect(250, 550, 502, 250, 250, 250)

	// A client that does not wait for 354: its text is the message.
	c.send("MAIL FROM:<a@example.org>\r\n", "RCPT TO:<e@example.org>\r\n", "DATA\r\n",
		"Subject: eager\r\n\r\nhi\r\n.\r\n", "QUIT\r\n")
	c.expect(250, 250, 354, 250, 221)

	type got struct{ To, Command, Body, Raw string }
	var have []got
	for _, m := range s.Messages() {
		have = append(have, got{m.To[0], m.Command, m.Body, string(m.Raw)})
	}
	want := []got{
		{"b@example.org", "BDAT", "8BITMIME", chunked},
		{"c@example.org", "DATA", "", "Subject: dotted\r\n\r\n.a line that starts with a dot\r\nBDAT 5\r\n"},
		{"d@example.org", "BDAT", "7BIT", "Subject: after refused DATA\r\n\r\nhi\r\n"},
		{"e@example.org", "DATA", "", "Subject: eager\r\n\r\nhi\r\n"},
	}
	if diff := cmp.Diff(want, have); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}

// TestSMTPServerRecordsDiscardedMessages: a server that keeps only
// envelopes still says how each came.
func TestSMTPServerRecordsDiscardedMessages(t *testing.T) {
	s := NewSMTPServer(t)
	s.Discard = true
	c := dialSMTP(t, s)
	c.send("EHLO client.example.org\r\n")
	c.expect(250)
	c.send("MAIL FROM:<a@example.org> BODY=8BITMIME\r\n", "RCPT TO:<b@example.org>\r\n",
		bdat("Subject: s\r\n\r\nhi\r\n", true))
	c.expect(250, 250, 250)
	m := s.Messages()
	if len(m) != 1 || m[0].Command != "BDAT" || m[0].Body != "8BITMIME" || m[0].Raw != nil {
		t.Errorf("messages = %+v, want one BDAT 8BITMIME without text", m)
	}
}
