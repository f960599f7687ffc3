package editions_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"newsdigest/internal/domain"
	"newsdigest/internal/tasks"
)

// gateLimiter lets the first send through and holds every later one
// until open is closed, telling waiting each time one waits.
type gateLimiter struct {
	calls   atomic.Int32
	waiting chan struct{}
	open    chan struct{}
}

func (g *gateLimiter) Wait(ctx context.Context) error {
	if g.calls.Add(1) == 1 {
		return nil
	}
	g.waiting <- struct{}{}
	select {
	case <-g.open:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TestReaderWhoLeavesMidBatchGetsNothingMore: a batch at a slow sending
// rate takes minutes; a reader who unsubscribes (or complains, or
// bounces) while it waits for their turn gets no digest from it, and the
// edition counts theirs skipped, as when they left before it began.
func TestReaderWhoLeavesMidBatchGetsNothingMore(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.item(*day("2021-06-01"), "Story of June", "CR")
	f.subscriber("first@example.org", "CR")
	f.subscriber("leaves@example.org", "CR")
	e := f.compile(domain.NewEdition{})

	gate := &gateLimiter{waiting: make(chan struct{}, 1), open: make(chan struct{})}
	var looks atomic.Int64
	f.sender.Workers, f.sender.Limiter = 1, gate
	f.sender.OnWatch = func() { looks.Add(1) }
	pending, err := f.inspect.ListPendingTasks(tasks.QueueDefault, asynq.PageSize(10))
	if err != nil || len(pending) != 1 {
		t.Fatalf("queued batches: %d, %v; want 1", len(pending), err)
	}
	var p tasks.SendBatch
	if err := tasks.Decode(asynq.NewTask(pending[0].Type, pending[0].Payload), &p); err != nil {
		t.Fatal(err)
	}
	sent := make(chan error, 1)
	go func() { sent <- f.sender.SendBatch(f.ctx, p.EditionID, domain.IDRange{First: p.First, Last: p.Last}, false) }()

	deadline := time.After(60 * time.Second)
	select {
	case <-gate.waiting: // the first digest went; the second waits its turn
	case err := <-sent:
		t.Fatalf("the batch ended before its second send waited: %v", err)
	case <-deadline:
		t.Fatal("the batch's second send never waited for its turn")
	}
	if _, err := f.db.Pool().Exec(f.ctx, `UPDATE subscribers SET status = 'unsubscribed' WHERE email = 'leaves@example.org'`); err != nil {
		t.Fatal(err)
	}
	// Two looks after the change: at least one whole look saw it.
	for seen := looks.Load(); looks.Load() < seen+2; {
		select {
		case <-deadline:
			t.Fatal("the batch in progress stopped looking at its edition")
		case <-time.After(50 * time.Millisecond):
		}
	}
	close(gate.open)
	select {
	case err := <-sent:
		if err != nil {
			t.Fatal(err)
		}
	case <-deadline:
		t.Fatal("the batch did not end")
	}

	if n := len(f.smtp.To("leaves@example.org")); n != 0 {
		t.Errorf("a reader who left while the batch waited for their turn got %d digests, want none", n)
	}
	if n := len(f.smtp.To("first@example.org")); n != 1 {
		t.Errorf("first@ got %d digests, want 1", n)
	}
	if got := f.deliveries(e.ID)["leaves@example.org"].Status; got != domain.DeliverySkipped {
		t.Errorf("the delivery of the reader who left is %s, want skipped", got)
	}
	if got := f.edition(e.ID); got.Status != domain.EditionDone || got.Sent != 1 || got.Skipped != 1 {
		t.Errorf("edition: %s, %d sent, %d skipped; want done, 1 sent, 1 skipped", got.Status, got.Sent, got.Skipped)
	}
}
