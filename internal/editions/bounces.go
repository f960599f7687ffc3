package editions

import (
	"context"
	"fmt"
	"sync"
	"time"

	"newsdigest/internal/bounce"
	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// BounceStore records what comes back about deliveries after they left,
// and pauses an edition whose bounces or complaints pass their limit.
type BounceStore interface {
	RecordBounce(ctx context.Context, r domain.BounceReport, bounceLimit int) (domain.BounceOutcome, error)
	PauseStore
	ResumeEdition(ctx context.Context, id int64) error
	DeliveryReports(ctx context.Context, editionID int64, limit int) ([]domain.DeliveryReport, error)
}

// PauseStore is what deciding a pause reads and writes; the sender uses
// it too, as refusals at the send count as bounces.
type PauseStore interface {
	EditionHealth(ctx context.Context, editionID int64) (domain.EditionHealth, bool, error)
	PauseEdition(ctx context.Context, id int64, note domain.EditionPauseNote) (bool, error)
}

// Record takes a bounce or complaint that came back about a delivery
// (from the inbound SMTP listener or a relay's webhook): a hard bounce
// stops mail to the address at once, a soft one counts toward
// BOUNCE_LIMIT, a complaint stops it and marks the reader complained.
// The same report twice changes nothing more. It implements
// bounce.Recorder: a delivery not stored is bounce.ErrUnknownDelivery.
func (s *Service) Record(ctx context.Context, e bounce.Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	out, err := s.store.RecordBounce(ctx, domain.BounceReport{
		DeliveryID: e.DeliveryID, Kind: string(e.Kind), Source: e.Source, ReportID: e.ReportID,
		Code: e.Status, Diagnostic: e.Diagnostic, At: e.At,
	}, s.cfg.BounceLimit)
	if errs.Is(err, errs.NotFound) {
		return fmt.Errorf("%w: %d", bounce.ErrUnknownDelivery, e.DeliveryID)
	}
	if err != nil {
		return err
	}
	if out.Duplicate {
		s.log.Info("bounce report recorded before", "delivery", e.DeliveryID, "kind", string(e.Kind))
		return nil
	}
	if s.reported != nil {
		s.reported(e.Kind)
	}
	s.log.Info("bounce report recorded", "delivery", e.DeliveryID, "edition", out.EditionID, "kind", string(e.Kind),
		"status", e.Status, "source", e.Source, "subscriber", out.SubscriberID, "subscriber_status", string(out.After))
	if out.After != out.Before {
		s.audit.Audit(ctx, "system", "subscriber."+string(e.Kind), "subscriber", out.SubscriberID,
			"%s report (%s) about delivery %d of edition %d: %s → %s", string(e.Kind), e.Source, e.DeliveryID,
			out.EditionID, string(out.Before), string(out.After))
	}
	// Reports come one by one, and the last of an edition must count:
	// no throttle here.
	s.pauser.check(ctx, out.EditionID, true)
	return nil
}

// Resume lets an edition that paused itself send again
// (domain.EditionResume), and queues its send batches. It does not pause
// itself again: the editor has seen why it stopped.
func (s *Service) Resume(ctx context.Context, actor string, id int64) error {
	if err := s.store.ResumeEdition(ctx, id); err != nil {
		return err
	}
	if _, err := EnqueueBatches(ctx, s.store, s.queue, nil, id); err != nil {
		s.log.Warn("resume: batches left to the reconciler", "edition", id, "err", err)
	} else if _, err := s.store.FinishEditionIfComplete(ctx, id); err != nil {
		// Everything went before it paused: nothing is queued to finish it.
		s.log.Warn("resume: finishing left to the reconciler", "edition", id, "err", err)
	}
	s.audit.Audit(ctx, actor, "edition.resume", "edition", id, "resumed after pausing itself")
	return nil
}

// DeliveryReports lists up to limit of an edition's deliveries that a
// bounce or complaint came back about after they left.
func (s *Service) DeliveryReports(ctx context.Context, id int64, limit int) ([]domain.DeliveryReport, error) {
	return s.store.DeliveryReports(ctx, id, limit)
}

// pauser pauses a sending edition whose bounces or complaints pass their
// limit (domain.PauseCause). It looks at an edition at most once every
// checkEvery, so that a batch recording outcomes every few messages does
// not count the edition's deliveries as often.
type pauser struct {
	store  PauseStore
	limits domain.PauseLimits
	log    interface {
		Warn(msg string, args ...any)
		Error(msg string, args ...any)
	}
	// every is how often one edition is looked at; checkEvery when zero.
	every time.Duration

	mu   sync.Mutex
	last map[int64]time.Time
}

// checkEvery bounds how often a process counts one edition's bounces.
const checkEvery = time.Second

// check looks at an edition's figures and pauses it if they are over a
// limit; unless now is set, not if it looked less than every ago. It
// reports whether it paused it. A failure is logged: the next check
// tries again.
func (p *pauser) check(ctx context.Context, editionID int64, now bool) (paused bool) {
	if p == nil || p.store == nil || (p.limits.BounceRate <= 0 && p.limits.ComplaintRate <= 0) {
		return false
	}
	every := p.every
	if every <= 0 {
		every = checkEvery
	}
	at := time.Now()
	p.mu.Lock()
	if p.last == nil || len(p.last) > 64 {
		p.last = map[int64]time.Time{}
	}
	if !now && at.Sub(p.last[editionID]) < every {
		p.mu.Unlock()
		return false
	}
	p.last[editionID] = at
	p.mu.Unlock()
	h, auto, err := p.store.EditionHealth(ctx, editionID)
	if err != nil {
		p.log.Error("count the edition's bounces", "edition", editionID, "err", err)
		return false
	}
	cause := domain.PauseCause(h, p.limits)
	if !auto || cause == "" {
		return false
	}
	note := domain.EditionPauseNote{Cause: cause, Count: h.Bounces, Of: h.Tried}
	if cause == domain.PauseComplaints {
		note.Count = h.Complaints
	}
	paused, err = p.store.PauseEdition(ctx, editionID, note)
	if err != nil {
		p.log.Error("pause the edition", "edition", editionID, "err", err)
		return false
	}
	if paused {
		p.log.Warn("edition paused itself", "edition", editionID, "cause", cause, "count", note.Count, "of", note.Of,
			"bounce_rate_limit", p.limits.BounceRate, "complaint_rate_limit", p.limits.ComplaintRate)
	}
	return paused
}
