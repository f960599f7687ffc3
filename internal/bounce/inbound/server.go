// Package inbound is the SMTP listener for BOUNCE_DOMAIN: the MX that
// delivery status notifications and complaint reports come back to. It
// takes mail only for VERP addresses that verify and for a few role
// mailboxes, refuses everything else at RCPT, reads each message with
// package bounce, and hands the events it finds to a bounce.Recorder.
//
// What it accepts and refuses:
//
//   - RCPT TO a bounces+<id>.<mac> address of the bounce domain whose MAC
//     verifies: accepted; the delivery is the one the address names.
//   - RCPT TO a role mailbox of the bounce domain (Options.Mailboxes;
//     postmaster, abuse and fbl by default): accepted; the delivery is the
//     one the report names by a signed address or token inside it, and a
//     message that names none is accepted and dropped. postmaster is there
//     because RFC 5321 (section 4.5.1) requires it, abuse because some
//     receivers send complaints to the abuse address of the envelope
//     sender's domain, fbl as the address to register with feedback loops.
//     No person reads them: the operator's own postmaster and abuse
//     mailboxes belong on the From domain.
//   - RCPT TO a bounces+ address whose MAC does not verify: 550 5.7.1.
//   - Any other address of the bounce domain: 550 5.1.1.
//   - Any address of another domain: 550 5.7.1 (no relaying).
//   - More than Options.MaxRecipients recipients: 452 4.5.3 for the rest.
//   - A message over Options.MaxMessageBytes: 552 5.3.4.
//   - A message whose events cannot be recorded now: 451 4.3.0, so the
//     sender tries again later.
//   - Too many connections at once, from one client, or too many new ones
//     a minute from one client: 421 4.7.0 at connection, then closed.
//
// Nothing needs authenticating: the listener takes mail from the whole
// internet, as any MX does, and trusts nothing but the MACs.
package inbound

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"newsdigest/internal/bounce"
)

// Options are the listener's limits and settings. Zero values take the
// defaults given on each field.
type Options struct {
	// Hostname is the name the server gives in its greeting: the MX host
	// name. Default: the bounce domain.
	Hostname string
	// MaxMessageBytes is the largest message taken (SIZE). Reports are a
	// few kilobytes plus the returned message; default 1 MiB.
	MaxMessageBytes int64
	// MaxRecipients is the most recipients one message may have; default 10.
	MaxRecipients int
	// MaxConns is the most connections open at once; default 100.
	MaxConns int
	// MaxConnsPerIP is the most connections open at once from one client
	// (an IPv4 address or an IPv6 /64); default 10.
	MaxConnsPerIP int
	// ConnsPerMinute is how many new connections one client may open a
	// minute, after a burst of as many; default 60.
	ConnsPerMinute int
	// MaxMessagesPerConn is how many messages one connection may send;
	// default 100. Past it, MAIL gets a 421 and the client reconnects,
	// which the connection rate then limits.
	MaxMessagesPerConn int
	// ReadTimeout and WriteTimeout bound each command and reply; default
	// one minute each.
	ReadTimeout, WriteTimeout time.Duration
	// SessionTimeout bounds a connection's whole life; default 10 minutes.
	SessionTimeout time.Duration
	// RecordTimeout bounds the recording of one message's events; default
	// 30 seconds. Past it the message gets a 451.
	RecordTimeout time.Duration
	// Mailboxes are the role mailboxes of the bounce domain that take
	// mail (local parts, any case); default postmaster, abuse, fbl.
	Mailboxes []string
	// TLSConfig, when set, offers STARTTLS with it.
	TLSConfig *tls.Config
	// Logger gets one line per message; default slog.Default().
	Logger *slog.Logger
}

// Defaults of Options.
const (
	DefaultMaxMessageBytes    = 1 << 20
	DefaultMaxRecipients      = 10
	DefaultMaxConns           = 100
	DefaultMaxConnsPerIP      = 10
	DefaultConnsPerMinute     = 60
	DefaultMaxMessagesPerConn = 100
	DefaultReadTimeout        = time.Minute
	DefaultWriteTimeout       = time.Minute
	DefaultSessionTimeout     = 10 * time.Minute
	DefaultRecordTimeout      = 30 * time.Second
)

// DefaultMailboxes are the role mailboxes taken when Options.Mailboxes is
// empty.
var DefaultMailboxes = []string{"postmaster", "abuse", "fbl"}

// Server is the inbound SMTP listener.
type Server struct {
	verp      *bounce.VERP
	rec       bounce.Recorder
	opts      Options
	mailboxes map[string]bool
	log       *slog.Logger
	smtp      *smtp.Server
	lim       *limiter
	conns     connSet
	now       func() time.Time // the limiter's clock; tests set it
}

// New returns a listener for v's domain that records events with rec.
func New(v *bounce.VERP, rec bounce.Recorder, opts Options) (*Server, error) {
	if v == nil || rec == nil {
		return nil, errors.New("inbound: New needs a VERP and a Recorder")
	}
	if err := opts.setDefaults(v.Domain()); err != nil {
		return nil, err
	}
	s := &Server{verp: v, rec: rec, opts: opts, log: opts.Logger, mailboxes: map[string]bool{}, now: time.Now}
	for _, m := range opts.Mailboxes {
		s.mailboxes[strings.ToLower(strings.TrimSpace(m))] = true
	}
	s.smtp = smtp.NewServer(smtp.BackendFunc(s.newSession))
	s.smtp.Domain = opts.Hostname
	s.smtp.MaxMessageBytes = opts.MaxMessageBytes
	s.smtp.MaxRecipients = opts.MaxRecipients
	s.smtp.ReadTimeout = opts.ReadTimeout
	s.smtp.WriteTimeout = opts.WriteTimeout
	s.smtp.TLSConfig = opts.TLSConfig
	s.smtp.ErrorLog = slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)
	s.lim = newLimiter(opts.MaxConns, opts.MaxConnsPerIP, opts.ConnsPerMinute, func() time.Time { return s.now() })
	return s, nil
}

func (o *Options) setDefaults(domain string) error {
	for name, v := range map[string]int64{
		"MaxMessageBytes": o.MaxMessageBytes, "MaxRecipients": int64(o.MaxRecipients),
		"MaxConns": int64(o.MaxConns), "MaxConnsPerIP": int64(o.MaxConnsPerIP),
		"ConnsPerMinute": int64(o.ConnsPerMinute), "MaxMessagesPerConn": int64(o.MaxMessagesPerConn),
		"ReadTimeout": int64(o.ReadTimeout), "WriteTimeout": int64(o.WriteTimeout),
		"SessionTimeout": int64(o.SessionTimeout), "RecordTimeout": int64(o.RecordTimeout),
	} {
		if v < 0 {
			return fmt.Errorf("inbound: Options.%s is negative", name)
		}
	}
	def := func(p *int, d int) {
		if *p == 0 {
			*p = d
		}
	}
	defDur := func(p *time.Duration, d time.Duration) {
		if *p == 0 {
			*p = d
		}
	}
	if o.Hostname == "" {
		o.Hostname = domain
	}
	if o.MaxMessageBytes == 0 {
		o.MaxMessageBytes = DefaultMaxMessageBytes
	}
	def(&o.MaxRecipients, DefaultMaxRecipients)
	def(&o.MaxConns, DefaultMaxConns)
	def(&o.MaxConnsPerIP, DefaultMaxConnsPerIP)
	def(&o.ConnsPerMinute, DefaultConnsPerMinute)
	def(&o.MaxMessagesPerConn, DefaultMaxMessagesPerConn)
	defDur(&o.ReadTimeout, DefaultReadTimeout)
	defDur(&o.WriteTimeout, DefaultWriteTimeout)
	defDur(&o.SessionTimeout, DefaultSessionTimeout)
	defDur(&o.RecordTimeout, DefaultRecordTimeout)
	if len(o.Mailboxes) == 0 {
		o.Mailboxes = DefaultMailboxes
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return nil
}

// Serve takes connections from l until Shutdown or Close.
func (s *Server) Serve(l net.Listener) error {
	err := s.smtp.Serve(&limitedListener{Listener: l, lim: s.lim, session: s.opts.SessionTimeout, refuse: s.refuse, conns: &s.conns})
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// ListenAndServe listens on addr (BOUNCE_SMTP_ADDR, host:port) and serves.
func (s *Server) ListenAndServe(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("inbound: listening on %s: %w", addr, err)
	}
	return s.Serve(l)
}

// Shutdown stops taking connections and waits, until ctx ends, for those
// open to finish; then it closes them. A message cut off that way gets no
// reply, so its sender sends it again later.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.smtp.Shutdown(ctx)
	if ctx.Err() != nil {
		s.conns.closeAll()
	}
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Close closes the listener and every connection at once.
func (s *Server) Close() error {
	err := s.smtp.Close()
	s.conns.closeAll()
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// refuse tells a client over a limit so, and hangs up.
func (s *Server) refuse(c net.Conn, reason string) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(c, "421 4.7.0 %s %s\r\n", s.opts.Hostname, reason)
	s.log.Info("bounce listener refused a connection", "client", c.RemoteAddr().String(), "reason", reason)
}
