package editions

import (
	"context"
	"errors"

	"newsdigest/internal/domain"
	"newsdigest/internal/tasks"
)

// Compile compiles an edition into its deliveries and queues their send
// batches (Compiler). With final set, the last attempt the queue will
// make, a compile that fails fails the edition (domain.EditionFail): it
// sends nothing, and the next edition carries its stories. A compile that
// fails while the worker stops does not fail the edition: the reconciler
// queues it again (Reconcile), as the queue gives up a last attempt that
// ends in an error however it ended.
func (s *Service) Compile(ctx context.Context, id int64, final bool) error {
	err := s.compiler.Compile(ctx, id)
	if err != nil && final && stopping(ctx) {
		s.log.Warn("edition compile stopped with the worker; it runs again", "edition", id, "err", err)
		return err
	}
	if err != nil && final {
		s.log.Error("edition failed", "edition", id, "err", err)
		if _, ferr := s.store.FailEdition(context.WithoutCancel(ctx), id, "compile failed: "+err.Error()); ferr != nil {
			return errors.Join(err, ferr)
		}
		if ferr := s.slotVoid(context.WithoutCancel(ctx), id); ferr != nil {
			return errors.Join(err, ferr)
		}
	}
	return err
}

// SendBatch sends one batch of an edition's deliveries (Sender.SendBatch).
// Only a service built with a Mailer (the worker's) sends.
func (s *Service) SendBatch(ctx context.Context, id int64, r domain.IDRange, final bool) error {
	if s.sender == nil {
		return errors.New("editions: this process does not send mail")
	}
	return s.sender.SendBatch(ctx, id, r, final)
}

// Reconcile asks again for what each unfinished edition needs next, which
// Redis may have lost: the compile of an edition waiting for it, the send
// batches with deliveries no worker holds; and it settles the deliveries
// of failed editions whose worker died sending them. A failure with one
// edition is logged and does not hold up the others; the errors are
// returned joined.
func (s *Service) Reconcile(ctx context.Context) error {
	editions, err := s.store.UnfinishedEditions(ctx)
	if err != nil {
		return err
	}
	failed := s.store.AbandonLapsed(ctx)
	for _, e := range editions {
		if err := s.reconcile(ctx, e); err != nil {
			s.log.Warn("reconcile: edition", "edition", e.ID, "err", err)
			failed = errors.Join(failed, err)
		}
	}
	return failed
}

func (s *Service) reconcile(ctx context.Context, e domain.Edition) error {
	switch e.Status {
	case domain.EditionQueued, domain.EditionCompiling:
		return s.enqueueCompile(ctx, e)
	case domain.EditionSending:
		n, err := EnqueueBatches(ctx, s.store, s.queue, s.inspect, e.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			s.log.Info("reconciler re-queued send batches", "edition", e.ID, "batches", n)
		}
		_, err = s.store.FinishEditionIfComplete(ctx, e.ID)
		return err
	}
	return nil
}

// enqueueCompile asks for an edition's compile unless one is waiting or
// running; a compile task that used up its retries without moving the
// edition on is replaced.
func (s *Service) enqueueCompile(ctx context.Context, e domain.Edition) error {
	if e.Status != domain.EditionQueued && e.Status != domain.EditionCompiling {
		return nil
	}
	_, err := tasks.EnqueueAgain(ctx, s.queue, s.inspect, tasks.NewCompileEdition(e.ID), tasks.QueueDefault, tasks.CompileEditionID(e.ID))
	return err
}
