package mail

import (
	"bytes"
	"context"
	"fmt"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"newsdigest/internal/config"
)

// Pool sends over a fixed number of SMTP connections, opened when first
// needed and opened again after one fails, grows idle or old (Timings). It
// is safe for concurrent use; a Send waits for a free connection.
type Pool struct {
	cfg        config.SMTP
	from       string // the envelope sender
	fromHeader []byte // "From: …" as every message carries it
	fromAddr   *netmail.Address
	// fromNames, when set, names the sender in a message's language (the
	// list's name, package listname); fromLines keeps each From line made.
	fromNames atomic.Pointer[func(lang string) string]
	fromLines sync.Map // display name → []byte "From: …"
	domain    string   // for Message-IDs
	conns     chan *conn
	sign      *signer // nil: messages go unsigned
	timings   Timings
	maxBytes  int // LimitSize; 0: no limit
}

type conn struct {
	client   *gomail.Client // makes the connection: TLS, authentication, EHLO
	smtp     *smtp.Client   // the open connection; nil while closed
	relay    relay          // what the relay offers on it
	tracked  *trackedConn   // the network connection under smtp
	buf      []byte         // the message being sent, reused
	signed   []byte         // buf with its DKIM signatures in front, reused
	openedAt time.Time      // when smtp was opened
	usedAt   time.Time      // when smtp last finished a command
}

// Timings say how long a pooled connection is trusted. A connection left
// idle may have been dropped on the way without a word (a NAT or a
// firewall forgets a quiet flow; a relay closes an idle session after a few
// minutes): a message pipelined onto it would be written whole before the
// silence shows, and then nobody could say whether it was delivered. So a
// connection idle for a while is asked first (NOOP), and one idle too long
// or open too long is replaced. Zero fields take the defaults.
type Timings struct {
	// ProbeAfter: a connection idle for longer answers a NOOP before a
	// message goes on it; default 15 s.
	ProbeAfter time.Duration
	// ProbeTimeout bounds the wait for that answer; default 10 s.
	ProbeTimeout time.Duration
	// IdleLimit: a connection idle for longer is closed and a new one
	// opened; default 4 minutes, under the 5 that RFC 5321 lets a relay
	// wait for a command.
	IdleLimit time.Duration
	// MaxAge: a connection open for longer is closed and a new one
	// opened; default 30 minutes.
	MaxAge time.Duration
	// Step bounds each step of a transaction on a silent relay
	// (SMTP_TIMEOUT); default 30 s.
	Step time.Duration
	// Now is the clock (tests move it); nil is time.Now.
	Now func() time.Time
}

func (t Timings) withDefaults() Timings {
	if t.ProbeAfter <= 0 {
		t.ProbeAfter = 15 * time.Second
	}
	if t.ProbeTimeout <= 0 {
		t.ProbeTimeout = 10 * time.Second
	}
	if t.IdleLimit <= 0 {
		t.IdleLimit = 4 * time.Minute
	}
	if t.MaxAge <= 0 {
		t.MaxAge = 30 * time.Minute
	}
	if t.Step <= 0 {
		t.Step = sendTimeout
	}
	if t.Now == nil {
		t.Now = time.Now
	}
	return t
}

// sendTimeout is Timings.Step's default.
const sendTimeout = 30 * time.Second

// trackedConn remembers the first write error on a connection. Knowing a
// write failed tells a message that never fully left (safe to send again)
// from one whose fate is unknown.
type trackedConn struct {
	net.Conn
	mu       sync.Mutex
	writeErr error
}

func (t *trackedConn) Write(p []byte) (int, error) {
	n, err := t.Conn.Write(p)
	if err != nil {
		t.mu.Lock()
		if t.writeErr == nil {
			t.writeErr = err
		}
		t.mu.Unlock()
	}
	return n, err
}

func (t *trackedConn) failedWrite() bool {
	if t == nil {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.writeErr != nil
}

// NewPool makes a pool of size connections to the relay in cfg, trusted
// as long as t says.
func NewPool(cfg config.SMTP, from *netmail.Address, size int, t Timings) (*Pool, error) {
	p := &Pool{cfg: cfg, from: from.Address, fromAddr: from, conns: make(chan *conn, size), timings: t.withDefaults()}
	p.domain = from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	var h bytes.Buffer
	writeHeader(&h, "From", from.String())
	p.fromHeader = h.Bytes()
	for range size {
		c := &conn{}
		client, err := newClient(cfg, c.dial(cfg), p.timings.Step)
		if err != nil {
			return nil, fmt.Errorf("SMTP_URL: %w", err)
		}
		c.client = client
		p.conns <- c
	}
	return p, nil
}

// SignWith makes the pool sign every message it sends with d's keys. It
// is called once, before the first Send.
func (p *Pool) SignWith(d *config.DKIM) {
	if d != nil && len(d.Keys) > 0 {
		p.sign = newSigner(d)
	}
}

// dial opens the connection (dialRelay) and keeps hold of the TCP one
// underneath any TLS.
func (c *conn) dial(cfg config.SMTP) gomail.DialContextFunc {
	return func(ctx context.Context, _, _ string) (net.Conn, error) {
		return dialRelay(ctx, cfg, func(raw net.Conn) net.Conn {
			c.tracked = &trackedConn{Conn: raw}
			return c.tracked
		})
	}
}

// Send delivers one message. Its error is an *Error with the class of the
// failure.
func (p *Pool) Send(ctx context.Context, m *Message) error {
	return p.SendSharedAs(ctx, Prepare(m, ""), m.To, "", m.Envelope)
}

// SendShared delivers a prepared message to one recipient, with token where
// the message's placeholder stood. Its error is an *Error.
func (p *Pool) SendShared(ctx context.Context, s *Shared, to, token string) error {
	return p.SendSharedAs(ctx, s, to, token, Envelope{})
}

// Envelope is what a message carries of its delivery: the envelope
// sender (MAIL FROM, the Return-Path a receiver writes) that names it,
// and the same name in a header, for relays that report bounces with
// the message's header rather than to its envelope sender.
type Envelope struct {
	// Sender is the envelope sender; "" is MAIL_FROM's address.
	Sender string
	// Delivery, when set, goes in the X-Newsdigest-Delivery header.
	Delivery string
}

// DeliveryHeader names the header that carries Envelope.Delivery (the
// same as package bounce reads).
const DeliveryHeader = "X-Newsdigest-Delivery"

// SendSharedAs is SendShared with an envelope of the delivery's own.
func (p *Pool) SendSharedAs(ctx context.Context, s *Shared, to, token string, env Envelope) error {
	// Addresses are checked when they are stored; what matters here is that
	// one cannot break out of the RCPT command or the To header.
	if !strings.Contains(to, "@") || strings.ContainsAny(to, "<>\r\n\t ") {
		return &Error{Class: Permanent, Bounce: true, Reply: fmt.Sprintf("invalid recipient %q", to)}
	}
	from := p.from
	if env.Sender != "" {
		if !strings.Contains(env.Sender, "@") || strings.ContainsAny(env.Sender, "<>\r\n\t ") {
			return &Error{Class: Permanent, Reply: fmt.Sprintf("invalid envelope sender %q", env.Sender)}
		}
		from = env.Sender
	}
	if strings.ContainsAny(env.Delivery, "\r\n") {
		return &Error{Class: Permanent, Reply: "invalid delivery header"}
	}
	var c *conn
	select {
	case c = <-p.conns:
	case <-ctx.Done():
		return &Error{Class: Temporary, Reply: "no SMTP connection free: " + ctx.Err().Error(), err: ctx.Err()}
	}
	defer func() { p.conns <- c }()
	p.check(c)
	if c.smtp == nil {
		sc, err := c.client.DialToSMTPClientWithContext(ctx)
		if err != nil {
			return &Error{Class: Temporary, Reply: "connect to SMTP relay: " + err.Error(), err: err}
		}
		c.smtp, c.relay = sc, offers(sc)
		c.openedAt = p.timings.Now()
		c.usedAt = c.openedAt
	}
	if !isASCII(to) && !c.relay.utf8 {
		return &Error{Class: Permanent, Reply: fmt.Sprintf("recipient %q needs SMTPUTF8, which the relay does not offer", to)}
	}
	// The message is composed after room for the commands that carry it
	// (commandRoom), so that they and it can leave in one write.
	var eightBit bool
	c.buf, eightBit = s.appendFor(withRoom(c.buf), p.header(p.fromLine(s.src.Language), to, env.Delivery), token, c.relay.eightBit)
	wire := c.buf
	if p.sign != nil {
		var err error
		if c.signed, err = p.sign.appendSigned(withRoom(c.signed), c.buf[commandRoom:]); err != nil {
			return &Error{Class: Temporary, Reply: err.Error(), err: err}
		}
		wire = c.signed
	}
	if e := p.checkSize(wire[commandRoom:]); e != nil {
		return e
	}
	if err := c.smtp.UpdateDeadline(p.timings.Step); err != nil {
		c.close()
		return &Error{Class: Temporary, Reply: "SMTP connection: " + err.Error(), err: err}
	}
	e, broken := transact(ctx, c.smtp, c.relay, from, to, wire, eightBit)
	c.usedAt = p.timings.Now()
	if cap(c.buf) > 1<<20 {
		c.buf, c.signed = nil, nil // an outsized message: do not keep its buffers
	}
	if e == nil {
		return nil
	}
	if c.tracked.failedWrite() {
		// The end of the message never left: it was not delivered.
		e.Class = Temporary
		broken = true
	}
	if broken {
		c.close()
	}
	return e
}

// NameFrom names the sender of each message as names says for its
// language (Message.Language): the list's name as the desk set it, with
// MAIL_FROM's address. A message without a language, or a language names
// gives no name for, carries MAIL_FROM as it is.
func (p *Pool) NameFrom(names func(lang string) string) { p.fromNames.Store(&names) }

// fromLine is the From header of a message in lang.
func (p *Pool) fromLine(lang string) []byte {
	names := p.fromNames.Load()
	if names == nil || lang == "" {
		return p.fromHeader
	}
	name := strings.TrimSpace((*names)(lang))
	if name == "" || name == p.fromAddr.Name {
		return p.fromHeader
	}
	if line, ok := p.fromLines.Load(name); ok {
		return line.([]byte)
	}
	var h bytes.Buffer
	// String quotes and encodes the name as a header must (RFC 5322, 2047).
	writeHeader(&h, "From", (&netmail.Address{Name: name, Address: p.fromAddr.Address}).String())
	line, _ := p.fromLines.LoadOrStore(name, h.Bytes())
	return line.([]byte)
}

// header is the per-recipient start of a message: From, To, Date, a
// fresh Message-ID and, when given, the delivery's name.
func (p *Pool) header(from []byte, to, delivery string) []byte {
	h := make([]byte, 0, 256)
	h = append(h, from...)
	h = append(h, "To: <"+to+">\r\nDate: "+time.Now().Format(time.RFC1123Z)+"\r\n"...)
	h = append(h, "Message-ID: <"+messageID(p.domain)+">\r\n"...)
	if delivery != "" {
		h = append(h, DeliveryHeader+": "+delivery+"\r\n"...)
	}
	return h
}

// check makes sure an open connection is worth a message: one open or
// idle too long is retired, and one idle for a while must answer a NOOP
// in time or it is dropped. Either way the send opens a new one.
func (p *Pool) check(c *conn) {
	if c.smtp == nil {
		return
	}
	now := p.timings.Now()
	idle := now.Sub(c.usedAt)
	switch {
	case idle > p.timings.IdleLimit || now.Sub(c.openedAt) > p.timings.MaxAge:
		c.retire()
	case idle > p.timings.ProbeAfter:
		if err := c.smtp.UpdateDeadline(p.timings.ProbeTimeout); err != nil {
			c.close()
			return
		}
		if err := c.smtp.Noop(); err != nil {
			c.close()
			return
		}
		c.usedAt = p.timings.Now()
	}
}

// quitTimeout bounds the goodbye to a relay when a connection is retired.
const quitTimeout = 2 * time.Second

// retire ends a connection politely (QUIT), without waiting long for a
// relay that may be gone; the next send opens a new one.
func (c *conn) retire() {
	if c.smtp.UpdateDeadline(quitTimeout) == nil {
		c.smtp.Quit()
	}
	c.close()
}

// close drops a connection that failed; the next send opens a new one.
func (c *conn) close() {
	c.smtp.Close()
	c.smtp, c.tracked = nil, nil
}

// Close closes every connection, waiting for sends in progress.
func (p *Pool) Close() {
	for range cap(p.conns) {
		c := <-p.conns
		if c.smtp != nil {
			c.retire()
		}
	}
}
