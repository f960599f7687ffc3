package mail

import (
	"context"
	netmail "net/mail"
	"sync"
	"testing"
	"time"

	"newsdigest/internal/config"
	"newsdigest/internal/testenv"
)

// fakeClock is a pool's clock that the test moves by hand, so a week of
// idleness takes no time.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newTimedPool(t *testing.T, srv *testenv.SMTPServer, tm Timings) *Pool {
	t.Helper()
	from := &netmail.Address{Name: "News Digest", Address: "digest@example.org"}
	p, err := NewPool(config.SMTP{Host: srv.Host, Port: srv.Port, TLS: "none"}, from, 1, tm)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func sendOne(t *testing.T, p *Pool, to string) {
	t.Helper()
	err := p.Send(context.Background(), &Message{To: to, Subject: "Digest", HTML: "<p>hola</p>", Text: "hola", Language: "es"})
	if err != nil {
		t.Fatalf("send to %s: %v (class %d)", to, err, ClassOf(err))
	}
}

// TestPoolProbesIdleConnection: after a quiet spell the flow to the relay
// is gone without a word (the server swallows what comes and answers
// nothing, as behind a NAT that forgot the flow). The next message must
// not be pipelined into that silence, where it would end uncertain after
// the read timeout, never to be retried: the idle connection is asked
// first, found dead, and the message goes on a new one.
func TestPoolProbesIdleConnection(t *testing.T) {
	t.Parallel()
	srv := testenv.NewSMTPServer(t)
	clock := &fakeClock{now: time.Now()}
	p := newTimedPool(t, srv, Timings{ProbeAfter: time.Minute, ProbeTimeout: 2 * time.Second,
		IdleLimit: 24 * time.Hour, MaxAge: 48 * time.Hour, Now: clock.Now})
	sendOne(t, p, "first@example.org")
	srv.Silence()
	clock.Advance(10 * time.Minute)
	sendOne(t, p, "second@example.org")
	if got := len(srv.To("second@example.org")); got != 1 {
		t.Fatalf("the message after the quiet spell reached the relay %d times, want once", got)
	}
	if got := srv.Connections(); got != 2 {
		t.Errorf("the relay saw %d connections, want 2 (the silent one, then a new one)", got)
	}
	// A connection used a moment ago is not asked: it stays.
	clock.Advance(time.Second)
	sendOne(t, p, "third@example.org")
	if got := srv.Connections(); got != 2 {
		t.Errorf("a busy connection was replaced: %d connections, want 2", got)
	}
}

// TestPoolRetiresIdleAndOldConnections: a connection idle past IdleLimit
// is replaced without being asked, even when it still answers, and so is
// one open past MaxAge however busy.
func TestPoolRetiresIdleAndOldConnections(t *testing.T) {
	t.Parallel()
	srv := testenv.NewSMTPServer(t)
	clock := &fakeClock{now: time.Now()}
	p := newTimedPool(t, srv, Timings{ProbeAfter: time.Minute, ProbeTimeout: 2 * time.Second,
		IdleLimit: 5 * time.Minute, MaxAge: 20 * time.Minute, Now: clock.Now})
	sendOne(t, p, "a@example.org")
	clock.Advance(6 * time.Minute)
	sendOne(t, p, "b@example.org")
	if got := srv.Connections(); got != 2 {
		t.Fatalf("after 6 idle minutes: %d connections, want 2", got)
	}
	// Busy: a message every 30 s. The connection opened for b lives
	// 20 minutes, then the next message opens a third.
	for i := range 40 {
		clock.Advance(30 * time.Second)
		sendOne(t, p, "busy@example.org")
		// Up to 20 minutes old, it is not older than MaxAge yet.
		if got := srv.Connections(); got != 2 {
			t.Fatalf("after %d busy messages: %d connections, want 2", i+1, got)
		}
	}
	clock.Advance(30 * time.Second)
	sendOne(t, p, "busy@example.org")
	if got := srv.Connections(); got != 3 {
		t.Fatalf("past MaxAge: %d connections, want 3", got)
	}
}
