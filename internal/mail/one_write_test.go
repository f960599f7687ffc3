package mail

import (
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"

	"newsdigest/internal/testenv"
)

// countingConn counts the writes made on a connection.
type countingConn struct {
	net.Conn
	writes atomic.Int64
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// A relay that offers PIPELINING and CHUNKING takes a message's commands
// and the message itself in one write: at a million readers each write
// more is a million system calls, and as many segments for the relay to
// take in. TestMessageLeavesInOneWrite counts the writes of a message of
// 60 KB (a digest's size, far over the connection's buffer), signed and
// not, and checks that the relay got it whole.
func TestMessageLeavesInOneWrite(t *testing.T) {
	t.Parallel()
	line := "Migración y movilidad: una línea de un resumen semanal, larga como las de un correo.\n"
	m := &Message{Subject: "Resumen semanal", Language: "es", Text: strings.Repeat(line, 400),
		HTML: strings.Repeat("<p>"+line+"</p>", 300)}
	for _, signed := range []bool{false, true} {
		name := map[bool]string{false: "unsigned", true: "signed"}[signed]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := testenv.NewSMTPServer(t)
			p := newTestPool(t, srv, 1)
			if signed {
				d, _ := dkimKeys(t)
				p.SignWith(d)
			}
			shared := Prepare(m, "")
			ctx := context.Background()
			// The first message opens the connection; the second is counted.
			if err := p.SendShared(ctx, shared, "first@example.org", ""); err != nil {
				t.Fatal(err)
			}
			c := <-p.conns
			counted := &countingConn{Conn: c.tracked.Conn}
			c.tracked.Conn = counted
			p.conns <- c
			if err := p.SendShared(ctx, shared, "second@example.org", ""); err != nil {
				t.Fatal(err)
			}
			if n := counted.writes.Load(); n != 1 {
				t.Errorf("the message and its commands took %d writes, want 1", n)
			}
			msgs := srv.Messages()
			if len(msgs) != 2 {
				t.Fatalf("the relay got %d messages, want 2", len(msgs))
			}
			if msgs[1].Command != "BDAT" {
				t.Errorf("the message came by %q, want BDAT", msgs[1].Command)
			}
			want := map[string]string{"text/plain": strings.ReplaceAll(m.Text, "\n", "\r\n"), "text/html": strings.ReplaceAll(m.HTML, "\n", "\r\n")}
			got := testenv.Parts(t, msgs[1].Raw)
			for k, v := range want {
				if got[k] != v {
					t.Errorf("the %s part arrived changed: %d bytes, want %d", k, len(got[k]), len(v))
				}
			}
			if signed && !strings.HasPrefix(string(msgs[1].Raw), "DKIM-Signature:") {
				t.Errorf("the message arrived without its signature in front: %.60q", msgs[1].Raw)
			}
		})
	}
}
