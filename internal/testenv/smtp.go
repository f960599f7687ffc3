package testenv

import (
	"bytes"
	"errors"
	"io"
	"log"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Received is one message an SMTPServer accepted.
type Received struct {
	From string
	To   []string
	// Command is how the message came: "BDAT" (RFC 3030 CHUNKING, the
	// message sent by its length) or "DATA" (dot-stuffed, ended by a lone
	// dot), as seen on the wire.
	Command string
	// Body is the BODY= parameter of MAIL FROM: "8BITMIME", "7BIT",
	// "BINARYMIME", or "" if the client gave none (7-bit, RFC 6152).
	Body string
	Raw  []byte
	Msg  *mail.Message // parsed headers; the body is in Raw
}

// Header returns a header of the message.
func (r Received) Header(name string) string { return r.Msg.Header.Get(name) }

// SMTPServer is a real SMTP server on loopback that keeps what it accepts.
// Its hooks, set before use, inject the faults a real relay shows.
type SMTPServer struct {
	Addr string
	Host string
	Port int
	// RejectMail is asked about each sender (MAIL FROM) and may return an
	// *smtp.SMTPError to refuse it.
	RejectMail func(from string) error
	// Reject is asked about each recipient and may return an
	// *smtp.SMTPError to refuse it.
	Reject func(rcpt string) error
	// AfterData is asked once a message has been read, before it is kept,
	// and may refuse it with an *smtp.SMTPError (the reply to the final dot).
	AfterData func(rcpts []string) error
	// DropMidData, when it answers true, makes the server read part of the
	// message and then close the connection: a relay dying mid-DATA.
	DropMidData func(rcpts []string) bool
	// Discard keeps only each message's envelope, not its text, for tests
	// that send thousands.
	Discard bool

	mu       sync.Mutex
	messages []Received
	hidden   []string // see Hide
	open     map[*relayConn]bool
	accepted int // connections accepted so far
}

// Silence makes every connection open now stop answering without closing:
// what the client sends is swallowed and no reply comes, as when a NAT or
// a firewall has dropped an idle flow. Connections made later answer.
func (s *SMTPServer) Silence() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.open {
		c.silent.Store(true)
	}
}

// Connections returns how many connections the server has accepted.
func (s *SMTPServer) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

func (s *SMTPServer) track(c *relayConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open == nil {
		s.open = map[*relayConn]bool{}
	}
	s.open[c] = true
	s.accepted++
}

func (s *SMTPServer) untrack(c *relayConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.open, c)
}

// Hide leaves extensions (say "CHUNKING", "PIPELINING", "8BITMIME") out of
// the server's reply to EHLO from now on, to stand in for a plainer relay.
func (s *SMTPServer) Hide(extensions ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hidden = extensions
}

func (s *SMTPServer) hiddenExtensions() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hidden
}

// HangUp listens on a random loopback port and hangs up on every
// connection at once, saying nothing: something that is not a relay
// where SMTP_URL points. It stops when the test ends; its port is
// returned.
func HangUp(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testenv: listen: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return l.Addr().(*net.TCPAddr).Port
}

// NewSMTPServer starts a server on a random loopback port, stopped when the
// test ends.
func NewSMTPServer(t testing.TB) *SMTPServer {
	t.Helper()
	return NewSMTPServerOn(t, "127.0.0.1")
}

// NewSMTPServerOn is NewSMTPServer on the loopback address host
// ("127.0.0.1", "::1").
func NewSMTPServerOn(t testing.TB, host string) *SMTPServer {
	t.Helper()
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatalf("testenv: listen for SMTP on %s: %v (an IPv6 test needs the loopback ::1: `ip -6 addr show lo`; "+
			"in a container, enable IPv6 or run with net.ipv6.conf.lo.disable_ipv6=0)", host, err)
	}
	s := &SMTPServer{Addr: l.Addr().String(), Host: host, Port: l.Addr().(*net.TCPAddr).Port}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		sess := &session{srv: s, conn: c}
		if rc, ok := c.Conn().(*relayConn); ok {
			sess.wire = rc.wire
		}
		return sess, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	srv.MaxMessageBytes = 10 << 20
	// Fault tests reset connections on purpose; their errors are noise.
	srv.ErrorLog = log.New(io.Discard, "", 0)
	go srv.Serve(relayListener{l, s.hiddenExtensions, true, s})
	t.Cleanup(func() { srv.Close() })
	return s
}

// HideExtensions wraps an SMTP server's listener so that the server's
// reply to EHLO leaves out the extensions hidden returns: a plainer relay
// from go-smtp, which offers CHUNKING, PIPELINING and 8BITMIME to all.
func HideExtensions(l net.Listener, hidden func() []string) net.Listener {
	return relayListener{l, hidden, false, nil}
}

// URL is the SMTP_URL for the server.
func (s *SMTPServer) URL() string { return "smtp://" + s.Addr + "?tls=none" }

// Messages returns a copy of what was accepted so far.
func (s *SMTPServer) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.messages...)
}

// To returns the messages accepted for one recipient.
func (s *SMTPServer) To(addr string) []Received {
	var out []Received
	for _, m := range s.Messages() {
		for _, r := range m.To {
			if strings.EqualFold(r, addr) {
				out = append(out, m)
			}
		}
	}
	return out
}

// WaitFor polls until cond holds on the accepted messages or the timeout
// passes, and fails the test then.
func (s *SMTPServer) WaitFor(t testing.TB, timeout time.Duration, what string, cond func([]Received) bool) []Received {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		msgs := s.Messages()
		if cond(msgs) {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s; have %d messages", timeout, what, len(msgs))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type session struct {
	srv  *SMTPServer
	conn *smtp.Conn
	wire *wire // the conversation on conn, as sent and received; nil: not followed
	from string
	body string // MAIL FROM's BODY= parameter
	to   []string
}

func (s *session) Reset()        { s.from, s.body, s.to = "", "", nil }
func (s *session) Logout() error { return nil }

func (s *session) Mail(from string, opts *smtp.MailOptions) error {
	if s.srv.RejectMail != nil {
		if err := s.srv.RejectMail(from); err != nil {
			return err
		}
	}
	s.from, s.body = from, ""
	if opts != nil {
		s.body = string(opts.Body)
	}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.srv.Reject != nil {
		if err := s.srv.Reject(to); err != nil {
			return err
		}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	// Asked now, while the server is still answering the command that
	// carries the message.
	command := s.wire.command()
	if s.srv.DropMidData != nil && s.srv.DropMidData(s.to) {
		io.ReadFull(r, make([]byte, 512))
		// An abortive close (RST), as when a relay dies with the message
		// half read: the client sees the connection reset, not a clean end.
		conn := s.conn.Conn()
		if rc, ok := conn.(*relayConn); ok {
			conn = rc.Conn
		}
		if tcp, ok := conn.(*net.TCPConn); ok {
			tcp.SetLinger(0)
		}
		s.conn.Conn().Close()
		return errors.New("connection dropped mid-DATA")
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.srv.AfterData != nil {
		if err := s.srv.AfterData(s.to); err != nil {
			return err
		}
	}
	if s.srv.Discard {
		s.srv.mu.Lock()
		s.srv.messages = append(s.srv.messages, s.received(command, nil, nil))
		s.srv.mu.Unlock()
		return nil
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return &smtp.SMTPError{Code: 554, Message: "unparseable message: " + err.Error()}
	}
	s.srv.mu.Lock()
	s.srv.messages = append(s.srv.messages, s.received(command, raw, msg))
	s.srv.mu.Unlock()
	return nil
}

func (s *session) received(command string, raw []byte, msg *mail.Message) Received {
	return Received{From: s.from, To: append([]string(nil), s.to...), Command: command, Body: s.body, Raw: raw, Msg: msg}
}
