package editions_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"newsdigest/internal/domain"
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
// edition counts theirs skipped, as when they left before it began. So
// too a digest about which a report comes back meanwhile (a worker that
// died sent it and never recorded it, and this batch took it over): it
// is not sent again, and counts as sent.
func TestReaderWhoLeavesMidBatchGetsNothingMore(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name          string
		meanwhile     func(f *fixture, delivery int64)
		sent, skipped int
	}{
		{"unsubscribes", func(f *fixture, _ int64) {
			if _, err := f.db.Pool().Exec(f.ctx, `UPDATE subscribers SET status = 'unsubscribed' WHERE email = 'second@example.org'`); err != nil {
				f.t.Fatal(err)
			}
		}, 1, 1},
		{"a report came back about an earlier copy", func(f *fixture, delivery int64) {
			if _, err := f.db.RecordBounce(f.ctx, domain.BounceReport{DeliveryID: delivery, Kind: domain.BounceSoft, Source: "smtp",
				ReportID: "report-second", Code: "4.2.2", Diagnostic: "mailbox full"}, 3); err != nil {
				f.t.Fatal(err)
			}
		}, 2, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.item(*day("2021-06-01"), "Story of June", "CR")
			f.subscriber("first@example.org", "CR")
			f.subscriber("second@example.org", "CR")
			e := f.compile(domain.NewEdition{})
			sendWaitingFor(t, f, 2, func() { c.meanwhile(f, f.deliveries(e.ID)["second@example.org"].ID) })

			if n := len(f.smtp.To("second@example.org")); n != 0 {
				t.Errorf("second@ got %d digests from the batch, want none", n)
			}
			if n := len(f.smtp.To("first@example.org")); n != 1 {
				t.Errorf("first@ got %d digests, want 1", n)
			}
			if got := f.edition(e.ID); got.Status != domain.EditionDone || got.Sent != c.sent || got.Skipped != c.skipped {
				t.Errorf("edition: %s, %d sent, %d skipped; want done, %d sent, %d skipped", got.Status, got.Sent, got.Skipped, c.sent, c.skipped)
			}
		})
	}
}

// sendWaitingFor sends the one batch queued, one digest at a time: the
// first goes, and while the second waits for its turn, meanwhile runs
// and the batch takes looks looks at its edition (two, so that one whole
// look saw what meanwhile did; one, when meanwhile makes it look at
// once) before the second may go.
func sendWaitingFor(t *testing.T, f *fixture, looks int, meanwhile func()) {
	t.Helper()
	gate := &gateLimiter{waiting: make(chan struct{}, 1), open: make(chan struct{})}
	var looked atomic.Int64
	f.sender.Workers, f.sender.Limiter = 1, gate
	f.sender.OnWatch = func() { looked.Add(1) }
	batches := f.queuedBatches()
	if len(batches) != 1 {
		t.Fatalf("queued batches: %d, want 1", len(batches))
	}
	p := batches[0]
	sent := make(chan error, 1)
	go func() {
		sent <- f.sender.SendBatch(f.ctx, p.EditionID, domain.IDRange{First: p.First, Last: p.Last}, false)
	}()

	deadline := time.After(60 * time.Second)
	select {
	case <-gate.waiting:
	case err := <-sent:
		t.Fatalf("the batch ended before its second send waited: %v", err)
	case <-deadline:
		t.Fatal("the batch's second send never waited for its turn")
	}
	// The batch's first look, at once when it began, is over before
	// meanwhile, so that the looks counted after it are the ones that
	// can see what meanwhile did.
	for looked.Load() < 1 {
		select {
		case <-deadline:
			t.Fatal("the batch in progress never looked at its edition")
		case <-time.After(20 * time.Millisecond):
		}
	}
	meanwhile()
	for seen := looked.Load(); looked.Load() < seen+int64(looks); {
		select {
		case <-deadline:
			t.Fatalf("the batch in progress did not look at its edition %d times after what happened meanwhile", looks)
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
}
