package editions_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
	"github.com/hibiken/asynq"

	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/tasks"
)

// A worker told to stop while an edition's compile makes its last attempt
// (the queue gives that attempt up however it ends, and cancels it once
// the shutdown timeout passes) does not fail the edition: it stays
// waiting for the reconciler to queue its compile again, which then
// sends it. The same failure when the worker is not stopping fails it.
func TestStoppingWorkerFailsNoEditionOnItsLastCompile(t *testing.T) {
	t.Parallel()
	s := newSlots(t, 1)
	s.item(*day("2021-06-01"), "Story of June", "CR")
	s.subscriber("reader@example.org", "CR")
	stopped := make(chan struct{})
	close(stopped)

	compileCut := func(stop <-chan struct{}) domain.Edition {
		e, _, err := s.db.CreateEdition(s.ctx, domain.NewEdition{})
		if err != nil {
			t.Fatal(err)
		}
		cut, cancel := context.WithCancel(s.ctx)
		cancel()
		if err := s.svc.Compile(editions.WithStop(cut, stop), e.ID, true); err == nil {
			t.Fatal("a compile whose context was cancelled succeeded")
		}
		return s.edition(e.ID)
	}

	e := compileCut(stopped)
	if e.Status == domain.EditionFailed {
		t.Fatalf("edition failed by a stopping worker: %s", e.Reason)
	}
	// The queue gives the last attempt up: its task is archived.
	if _, err := s.queue.EnqueueContext(s.ctx, tasks.NewCompileEdition(e.ID)); err != nil {
		t.Fatal(err)
	}
	if err := s.inspect.ArchiveTask(tasks.QueueDefault, tasks.CompileEditionID(e.ID)); err != nil {
		t.Fatal(err)
	}
	if err := s.svc.Reconcile(s.ctx); err != nil {
		t.Fatal(err)
	}
	if info, err := s.inspect.GetTaskInfo(tasks.QueueDefault, tasks.CompileEditionID(e.ID)); err != nil || info.State != asynq.TaskStatePending {
		t.Fatalf("the reconciler did not queue the compile again: %+v %v", info, err)
	}
	s.compileAndSend(e.ID)
	if got := s.edition(e.ID); got.Status != domain.EditionDone || got.Sent != 1 {
		t.Errorf("edition after the reconciler: %s, %d sent; want done, 1 sent", got.Status, got.Sent)
	}

	// The control: the same cut with no stop is the last attempt failing.
	if e := compileCut(nil); e.Status != domain.EditionFailed {
		t.Errorf("a last compile that fails with no stop left the edition %s, want failed", e.Status)
	}
}

// A send that fails for the time being on a batch's last attempt is given
// up (failed), so that the edition can finish; but not while the worker
// is stopping, when the failure may be the stop's own doing: the digest
// stays pending and goes out when its batch runs again.
func TestStoppingWorkerGivesUpNoDigestOnItsLastAttempt(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name     string
		stopping bool
		want     string
	}{
		{"stopping", true, "pending"},
		{"not stopping", false, "failed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.item(*day("2021-06-01"), "Story of June", "CR")
			f.subscriber("reader@example.org", "CR")
			e := f.compile(domain.NewEdition{})
			stop := make(chan struct{})
			var once sync.Once
			f.smtp.Reject = func(string) error {
				if c.stopping {
					once.Do(func() { close(stop) })
				}
				return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
			}
			b := f.queuedBatches()[0]
			err := f.sender.SendBatch(editions.WithStop(f.ctx, stop), e.ID, domain.IDRange{First: b.First, Last: b.Last}, true)
			if c.stopping && !errors.Is(err, editions.ErrRetry) {
				t.Fatalf("last attempt while stopping: %v, want a retry asked for", err)
			}
			if got := f.deliveries(e.ID)["reader@example.org"].Status; got != c.want {
				t.Fatalf("delivery after the last attempt: %s, want %s", got, c.want)
			}
			if !c.stopping {
				return
			}
			// The queue gives the last attempt up (its task archived); the
			// reconciler queues the batch again, and it sends.
			if err := f.inspect.ArchiveTask(tasks.QueueDefault, tasks.SendBatchID(e.ID, b.First, b.Last)); err != nil {
				t.Fatal(err)
			}
			if n, err := editions.EnqueueBatches(f.ctx, f.db, f.queue, f.inspect, e.ID); err != nil || n != 1 {
				t.Fatalf("batches queued again: %d %v, want 1", n, err)
			}
			f.smtp.Reject = nil
			f.sendQueued()
			if got := f.edition(e.ID); got.Status != domain.EditionDone || got.Sent != 1 {
				t.Errorf("edition after the batch ran again: %s, %d sent; want done, 1 sent", got.Status, got.Sent)
			}
		})
	}
}
