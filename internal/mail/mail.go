// Package mail hands messages to an SMTP relay over a pool of long-lived
// connections that go-mail opens, and sorts failures into what may be
// retried and what may not.
package mail

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"newsdigest/internal/config"
)

// Message is one email to one person.
type Message struct {
	To       string
	Subject  string
	HTML     string
	Text     string
	Language string
	// Headers are added as they are: List-Id, List-Unsubscribe, …
	Headers map[string]string
	// HTMLTokens and TextTokens are the byte offsets in HTML and Text at
	// which Prepare's placeholder stands for the recipient's token. Any
	// other placeholder in the bodies is content and is sent as it is.
	HTMLTokens, TextTokens []int
	// Stamp, when set, is a placeholder that each copy sent of a prepared
	// message has in place of a fresh StampValue(), as long as Stamp,
	// wherever it stands in the bodies (stamp.go).
	Stamp      string
	StampValue func() string
	// Envelope, for Send, names the message in its envelope sender (a
	// VERP address), so that a bounce coming back later is recorded;
	// zero: MAIL_FROM's address.
	Envelope Envelope
}

// Class says what a failed send means for the delivery.
type Class int

// The outcomes of a failed send.
const (
	// Temporary: a 4xx reply or a network error before the end of DATA;
	// the message was not accepted and may be sent again later.
	Temporary Class = iota + 1
	// Permanent: a 5xx reply; sending again would fail the same way.
	Permanent
	// Uncertain: the connection failed after the message was handed over
	// and before the reply; it may have been delivered, so it is not sent
	// again blindly.
	Uncertain
)

// Error is a failed send with its class and the relay's reply.
type Error struct {
	Class Class
	Reply string
	// Bounce says the relay refused the recipient or the message for good
	// (a 5xx to RCPT or to the message, not one refusing the sender),
	// which counts against the address.
	Bounce bool
	err    error
}

func (e *Error) Error() string { return e.Reply }
func (e *Error) Unwrap() error { return e.err }

// IsBounce reports whether err refuses the recipient for good.
func IsBounce(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Bounce
}

// ClassOf returns the class of err (Temporary for errors of unknown origin:
// nothing was confirmed sent).
func ClassOf(err error) Class {
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	return Temporary
}

// peerAborted reports whether a network error says the peer reset the
// connection. The cause may have been kept only as text, hence the strings.
func peerAborted(reply string) bool {
	return strings.Contains(reply, "connection reset by peer") || strings.Contains(reply, "broken pipe")
}

// maxLine is the longest line SMTP allows (RFC 5321), CRLF aside: a
// message with a longer one goes quoted-printable. (Our templates keep
// lines short; a pasted summary might not.)
const maxLine = 998

func messageID(domain string) string {
	b := make([]byte, 12)
	rand.Read(b) // never returns an error (crypto/rand)
	return fmt.Sprintf("%d.%s@%s", time.Now().UnixNano(), hex.EncodeToString(b), domain)
}

// newClient makes an unconnected go-mail client for the relay, which
// connects through dial (implicit TLS included).
func newClient(cfg config.SMTP, dial gomail.DialContextFunc, timeout time.Duration) (*gomail.Client, error) {
	opts := []gomail.Option{
		gomail.WithDialContextFunc(dial),
		gomail.WithPort(cfg.Port),
		gomail.WithTimeout(timeout),
	}
	switch cfg.TLS {
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case "implicit":
		// dial has made the TLS connection already.
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	return gomail.NewClient(cfg.Host, opts...)
}
