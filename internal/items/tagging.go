package items

import (
	"context"

	"newsdigest/internal/domain"
	"newsdigest/internal/tasks"
)

// modelCheckEvery is how often the service looks for a newer tag model
// than the one it tags with (another process may have trained it): before
// every import, new item or feed poll, since looking is one indexed query
// for the newest model's id (the model itself is read only when that
// changed), so a story imported right after a retraining is tagged with
// what the desk just taught.
const modelCheckEvery = 0

// refreshTagger brings the tagger's model up to date before items are
// tagged. A failure is logged, not returned: the rules alone still tag.
func (s *Service) refreshTagger(ctx context.Context) {
	if s.models == nil {
		return
	}
	if err := s.models.Refresh(ctx); err != nil {
		s.log.Warn("tag model not refreshed", "err", err, "using", s.modelInUse())
	}
}

// tagsCorrected asks for the tagger to learn from an editor's tags. The
// correction is stored already; if the queue cannot take the request now,
// the next correction asks again.
func (s *Service) tagsCorrected(ctx context.Context, u domain.ItemUpdate) {
	if u.Countries == nil && u.Regions == nil && u.Topics == nil || s.queue == nil {
		return
	}
	if _, err := s.queue.EnqueueContext(ctx, tasks.NewRetrainTagger()); err != nil && !tasks.IsDuplicate(err) {
		s.log.Warn("tagger retraining not queued", "err", err)
	}
}
