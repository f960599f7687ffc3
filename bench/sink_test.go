package bench

import (
	"io"
	"net"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"newsdigest/internal/testenv"
)

// sink is an SMTP server on loopback that accepts every message and throws
// it away, counting messages and bytes. It neither stores nor parses: the
// benchmark measures the sender, so the receiver must cost as little as it
// can.
type sink struct {
	host     string
	port     int
	messages atomic.Int64
	bytes    atomic.Int64
	largest  atomic.Int64 // the biggest message, in bytes
	clipped  atomic.Int64 // messages over gmailClip
}

// gmailClip is the size over which Gmail cuts a message off (DESIGN.md:
// digests stay under it); counted because size drives send cost.
const gmailClip = 102 * 1024

// counts is a reading of the sink's counters.
type counts struct{ messages, bytes int64 }

// newSink starts a sink on a random loopback port, stopped when b ends. It
// offers what go-smtp offers (PIPELINING, CHUNKING, 8BITMIME) but the
// extensions named in hide.
func newSink(b *testing.B, hide []string) *sink {
	b.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatalf("sink: listen: %v", err)
	}
	s := &sink{host: "127.0.0.1", port: l.Addr().(*net.TCPAddr).Port}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s: s}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	// Generous: a digest over 102 KB is a finding for the report, not a
	// reason to refuse it here.
	srv.MaxMessageBytes = 32 << 20
	go srv.Serve(testenv.HideExtensions(l, func() []string { return hide }))
	b.Cleanup(func() { srv.Close() })
	return s
}

// url is the SMTP_URL the worker is given.
func (s *sink) url() string {
	return "smtp://" + net.JoinHostPort(s.host, strconv.Itoa(s.port)) + "?tls=none"
}

func (s *sink) read() counts { return counts{s.messages.Load(), s.bytes.Load()} }

type sinkSession struct{ s *sink }

func (*sinkSession) Reset()                               { /* nothing kept between messages */ }
func (*sinkSession) Logout() error                        { return nil }
func (*sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (*sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }

func (ss *sinkSession) Data(r io.Reader) error {
	n, err := io.Copy(io.Discard, r)
	if err != nil {
		return err
	}
	// Counted before the reply goes out, so by the time the sender records
	// a delivery as sent the sink has counted it.
	ss.s.bytes.Add(n)
	ss.s.messages.Add(1)
	if n > gmailClip {
		ss.s.clipped.Add(1)
	}
	for l := ss.s.largest.Load(); n > l; l = ss.s.largest.Load() {
		if ss.s.largest.CompareAndSwap(l, n) {
			break
		}
	}
	return nil
}
