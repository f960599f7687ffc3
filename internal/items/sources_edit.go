package items

import (
	"context"

	"newsdigest/internal/domain"
	"newsdigest/internal/tasks"
)

// UpdateSource changes a source's URL, kind or interval with the checks
// of CreateSource. A new URL or kind is another feed: it is polled at
// once, without the old one's validators or last error. A new interval
// takes effect from the last poll. The audit log says what changed.
func (s *Service) UpdateSource(ctx context.Context, actor string, id int64, req SourceRequest) (domain.Source, error) {
	n, err := s.newSource(req)
	if err != nil {
		return domain.Source{}, err
	}
	before, err := s.store.Source(ctx, id)
	if err != nil {
		return domain.Source{}, err
	}
	src, err := s.store.UpdateSource(ctx, id, n)
	if err != nil {
		return domain.Source{}, err
	}
	if (src.URL != before.URL || src.Kind != before.Kind) && s.queue != nil {
		if _, err := s.queue.EnqueueContext(ctx, tasks.NewPollSource(src.ID, src.NextPollAt)); err != nil && !tasks.IsDuplicate(err) {
			// It is due now: the worker's next look for due polls finds it.
			s.log.Warn("poll of the edited source left to the schedule", "source", id, "err", err)
		}
	}
	s.audit.Audit(ctx, actor, "source.update", "source", id, "%s %s every %s → %s %s every %s",
		before.Kind, before.URL, domain.FormatInterval(before.Interval), src.Kind, src.URL, domain.FormatInterval(src.Interval))
	return src, nil
}
