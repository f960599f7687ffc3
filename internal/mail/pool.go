package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"sync/atomic"

	gomail "github.com/wneessen/go-mail"

	"newsdigest/internal/config"
)

// Pool sends over a fixed number of long-lived SMTP connections, opened
// when first needed and opened again after one fails. It is safe for
// concurrent use; a Send waits for a free connection.
type Pool struct {
	cfg    config.SMTP
	from   *netmail.Address
	domain string
	conns  chan *conn
	// sevenBit is set once the relay turns out not to offer 8BITMIME;
	// messages then go quoted-printable.
	sevenBit atomic.Bool
}

type conn struct {
	client  *gomail.Client
	open    bool
	tracked *trackedConn // the connection under client, while open
}

// trackedConn remembers the first write error on a connection. go-mail
// drops the error of writing the final dot and reports only the missing
// reply; knowing the write failed tells a message that never fully left
// (safe to send again) from one whose fate is unknown.
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
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.writeErr != nil
}

// NewPool makes a pool of size connections to the relay in cfg.
func NewPool(cfg config.SMTP, from *netmail.Address, size int) (*Pool, error) {
	p := &Pool{cfg: cfg, from: from, conns: make(chan *conn, size)}
	p.domain = from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	for range size {
		c := &conn{}
		client, err := newClient(cfg, c.dial(cfg))
		if err != nil {
			return nil, fmt.Errorf("SMTP_URL: %w", err)
		}
		c.client = client
		p.conns <- c
	}
	return p, nil
}

// dial opens the connection (TLS itself for implicit TLS, so the tracked
// connection is the TCP one underneath) and keeps hold of it.
func (c *conn) dial(cfg config.SMTP) gomail.DialContextFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		raw, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		c.tracked = &trackedConn{Conn: raw}
		if cfg.TLS != "implicit" {
			return c.tracked, nil
		}
		tc := tls.Client(c.tracked, &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12})
		if err := tc.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, err
		}
		return tc, nil
	}
}

// Send delivers one message. Its error is an *Error with the class of the
// failure.
func (p *Pool) Send(ctx context.Context, m *Message) error {
	err := p.send(ctx, m)
	var se *gomail.SendError
	if errors.As(err, &se) && se.Reason == gomail.ErrNoUnencoded {
		// Nothing was sent: the relay lacks 8BITMIME. Encode from now on.
		p.sevenBit.Store(true)
		err = p.send(ctx, m)
	}
	return err
}

func (p *Pool) send(ctx context.Context, m *Message) error {
	msg, err := build(p.from, p.domain, m, !p.sevenBit.Load())
	if err != nil {
		return err
	}
	var c *conn
	select {
	case c = <-p.conns:
	case <-ctx.Done():
		return &Error{Class: Temporary, Reply: "no SMTP connection free: " + ctx.Err().Error(), err: ctx.Err()}
	}
	defer func() { p.conns <- c }()
	if !c.open {
		if err := c.client.DialWithContext(ctx); err != nil {
			return &Error{Class: Temporary, Reply: "connect to SMTP relay: " + err.Error(), err: err}
		}
		c.open = true
	}
	if err := c.client.Send(msg); err != nil {
		if se := (*gomail.SendError)(nil); errors.As(err, &se) && se.Reason == gomail.ErrNoUnencoded {
			return err
		}
		e := classify(err)
		if e.Class == Uncertain && c.tracked != nil && c.tracked.failedWrite() {
			// The end of the message never left: it was not delivered.
			e.Class = Temporary
		}
		if isConnError(err) || c.tracked != nil && c.tracked.failedWrite() {
			c.client.Close()
			c.open = false
		}
		return e
	}
	return nil
}

// Close closes every connection, waiting for sends in progress.
func (p *Pool) Close() {
	for range cap(p.conns) {
		c := <-p.conns
		if c.open {
			c.client.Close()
		}
	}
}
