package mail

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"newsdigest/internal/testenv"
)

// TestCancelCutsTransactionShort: a worker shutting down cancels its
// sends; a transaction waiting on a silent relay ends then, rather than
// when the relay's deadline runs out, and says the message may have gone.
func TestCancelCutsTransactionShort(t *testing.T) {
	t.Parallel()
	srv := newSilentRelay(t)
	p := newTestPool(t, srv.SMTPServer, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- p.Send(ctx, &Message{To: "a@example.org", Subject: "s", Text: "hello"})
	}()
	// The relay has the whole message and keeps its reply back; only the
	// cancel can end the send now (the relay answers once the test is over).
	select {
	case <-srv.holding:
	case <-time.After(time.Minute):
		t.Fatal("the relay never got the message")
	}
	cancel()
	var err error
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		t.Fatal("Send went on after its context was cancelled")
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want one wrapping context.Canceled", err)
	}
	if c := ClassOf(err); c != Uncertain {
		t.Errorf("class = %v, want Uncertain: the whole message had left", c)
	}
	// A send on a context that has ended does not start.
	if err := p.Send(ctx, &Message{To: "b@example.org", Subject: "s", Text: "hello"}); !errors.Is(err, context.Canceled) || ClassOf(err) != Temporary {
		t.Errorf("send on a cancelled context: %v (class %v), want a Temporary context.Canceled", err, ClassOf(err))
	}
}

// silentRelay takes a message and then holds its reply until the test ends.
type silentRelay struct {
	*testenv.SMTPServer
	holding chan struct{} // closed when the first message is held
}

func newSilentRelay(t *testing.T) *silentRelay {
	t.Helper()
	r := &silentRelay{SMTPServer: testenv.NewSMTPServer(t), holding: make(chan struct{})}
	release := make(chan struct{})
	var once sync.Once
	r.AfterData = func([]string) error {
		once.Do(func() { close(r.holding) })
		<-release
		return nil
	}
	// Registered after the server's own cleanup, so it runs first and the
	// server can shut down.
	t.Cleanup(func() { close(release) })
	return r
}
