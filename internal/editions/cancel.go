package editions

import (
	"context"

	"newsdigest/internal/domain"
)

// Cancel stops an edition that is still queued, compiling or sending
// (domain.EditionCancel): what was sent stays sent, the rest is skipped.
func (s *Service) Cancel(ctx context.Context, actor string, id int64) (domain.Edition, error) {
	e, err := s.store.CancelEdition(ctx, id)
	if err != nil {
		return e, err
	}
	if e.SlotAt != nil {
		// Its readers not sent to get its stories at their next slot.
		if err := s.store.RestoreSlotWindows(ctx, id); err != nil {
			return e, err
		}
	}
	s.audit.Audit(ctx, actor, "edition.cancel", "edition", id, "cancelled while %s: %d sent, %d skipped of %d",
		e.Status, e.Sent, e.Skipped, e.Total)
	return e, nil
}

// Retry sends an edition's temporarily failed deliveries again
// (domain.EditionRetry), and queues the send batches that now have work.
// Asked again as its round begins (domain.Retried.Again), it changes,
// queues and records nothing.
// If the queue is down, the worker's reconciler finds the edition sending
// and queues them.
func (s *Service) Retry(ctx context.Context, actor string, id int64) (domain.Retried, error) {
	r, err := s.store.RetryFailed(ctx, id)
	if err != nil || r.Again {
		// Again: the retry under way was asked again; it goes on.
		return r, err
	}
	if r.Retried > 0 {
		if _, err := EnqueueBatches(ctx, s.store, s.queue, nil, id); err != nil {
			s.log.Warn("retry left to the reconciler", "edition", id, "err", err)
		}
	}
	s.audit.Audit(ctx, actor, "edition.retry", "edition", id, "failed deliveries retried: %d; skipped (no longer active, or had every story since): %d",
		r.Retried, r.Skipped)
	return r, nil
}

// FailureCounts counts an edition's failed deliveries by how they failed.
func (s *Service) FailureCounts(ctx context.Context, id int64) (map[string]int, error) {
	return s.store.FailureCounts(ctx, id)
}

// FailedDeliveries lists up to limit of an edition's deliveries that
// failed in one way (a domain.DeliveryFailure), with the relay's reply.
func (s *Service) FailedDeliveries(ctx context.Context, id int64, failure string, limit int) ([]domain.FailedDelivery, error) {
	return s.store.FailedDeliveries(ctx, id, failure, limit)
}

// SkipReasons counts an edition's skipped deliveries by reason.
func (s *Service) SkipReasons(ctx context.Context, id int64) ([]domain.SkipReason, error) {
	return s.store.SkipReasons(ctx, id)
}
