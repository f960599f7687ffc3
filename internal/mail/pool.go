package mail

import (
	"context"
	"fmt"
	netmail "net/mail"
	"strings"

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
}

type conn struct {
	client *gomail.Client
	open   bool
}

// NewPool makes a pool of size connections to the relay in cfg.
func NewPool(cfg config.SMTP, from *netmail.Address, size int) (*Pool, error) {
	p := &Pool{cfg: cfg, from: from, conns: make(chan *conn, size)}
	p.domain = from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	for range size {
		c, err := newClient(cfg)
		if err != nil {
			return nil, fmt.Errorf("SMTP_URL: %w", err)
		}
		p.conns <- &conn{client: c}
	}
	return p, nil
}

// Send delivers one message. Its error is an *Error with the class of the
// failure.
func (p *Pool) Send(ctx context.Context, m *Message) error {
	msg, err := build(p.from, p.domain, m)
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
		if isConnError(err) {
			c.client.Close()
			c.open = false
		}
		return classify(err)
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
