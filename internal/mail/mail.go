// Package mail hands messages to an SMTP relay with go-mail over a pool of
// long-lived connections, and sorts failures into what may be retried and
// what may not.
package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
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
	err   error
}

func (e *Error) Error() string { return e.Reply }
func (e *Error) Unwrap() error { return e.err }

// ClassOf returns the class of err (Temporary for errors of unknown origin:
// nothing was confirmed sent).
func ClassOf(err error) Class {
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	return Temporary
}

// classify turns a go-mail error into an Error.
func classify(err error) *Error {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return &Error{Class: Temporary, Reply: err.Error(), err: err}
	}
	reply := strings.TrimSpace(se.Error())
	code := se.ErrorCode()
	switch {
	case code >= 500:
		return &Error{Class: Permanent, Reply: reply, err: err}
	case code >= 400:
		// A 4xx reply, even to the final dot, says the message was refused.
		return &Error{Class: Temporary, Reply: reply, err: err}
	case se.Reason == gomail.ErrSMTPDataClose && peerAborted(reply):
		// A reset means the relay closed with part of the message unread:
		// it cannot have taken it, so sending again is safe.
		return &Error{Class: Temporary, Reply: reply, err: err}
	case se.Reason == gomail.ErrSMTPDataClose:
		// No reply to the final dot, the connection closed cleanly or timed
		// out: the relay may have taken the message.
		return &Error{Class: Uncertain, Reply: reply, err: err}
	default:
		return &Error{Class: Temporary, Reply: reply, err: err}
	}
}

// peerAborted reports whether a network error says the peer reset the
// connection. go-mail keeps the cause only as text, hence the strings.
func peerAborted(reply string) bool {
	return strings.Contains(reply, "connection reset by peer") || strings.Contains(reply, "broken pipe")
}

// maxLine is the longest line SMTP allows (RFC 5321), CRLF aside.
const maxLine = 998

// fitsEightBit reports whether s can go as 8-bit MIME: no line longer than
// SMTP allows. (Our templates keep lines short; a pasted summary might not.)
func fitsEightBit(s string) bool {
	for len(s) > maxLine {
		i := strings.IndexByte(s[:maxLine+1], '\n')
		if i < 0 {
			return false
		}
		s = s[i+1:]
	}
	return true
}

// build makes a go-mail message. With eightBit the parts go as they are
// (8-bit MIME, RFC 6152) instead of quoted-printable: the same text,
// smaller on the wire and without the encoding's CPU cost; build falls back
// to quoted-printable for a part with over-long lines.
func build(from *netmail.Address, domain string, m *Message, eightBit bool) (*gomail.Msg, error) {
	enc := gomail.EncodingQP
	if eightBit && fitsEightBit(m.HTML) && fitsEightBit(m.Text) {
		enc = gomail.NoEncoding
	}
	msg := gomail.NewMsg(gomail.WithEncoding(enc))
	msg.FromMailAddress(from)
	if err := msg.To(m.To); err != nil {
		return nil, &Error{Class: Permanent, Reply: fmt.Sprintf("invalid recipient %q: %v", m.To, err), err: err}
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageIDWithValue(messageID(domain))
	if m.Language != "" {
		msg.SetGenHeader(gomail.HeaderContentLang, m.Language)
	}
	for k, v := range m.Headers {
		msg.SetGenHeaderPreformatted(gomail.Header(k), v)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	return msg, nil
}

func messageID(domain string) string {
	b := make([]byte, 12)
	rand.Read(b) // never returns an error (crypto/rand)
	return fmt.Sprintf("%d.%s@%s", time.Now().UnixNano(), hex.EncodeToString(b), domain)
}

// newClient makes an unconnected go-mail client for the relay, which
// connects through dial (implicit TLS included).
func newClient(cfg config.SMTP, dial gomail.DialContextFunc) (*gomail.Client, error) {
	opts := []gomail.Option{
		gomail.WithDialContextFunc(dial),
		gomail.WithPort(cfg.Port),
		gomail.WithTimeout(30 * time.Second),
		// The pool keeps connections busy; a NOOP before every message would
		// double the round trips.
		gomail.WithoutNoop(),
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

// isConnError reports whether err left the connection unusable.
func isConnError(err error) bool {
	var se *gomail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode() == 0 || se.Reason == gomail.ErrConnCheck || se.Reason == gomail.ErrSMTPReset
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded)
}
