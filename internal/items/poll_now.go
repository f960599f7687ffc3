package items

import (
	"context"
	"time"

	"newsdigest/internal/tasks"
)

// PollNowStore makes a source's next poll due at once.
type PollNowStore interface {
	PollSourceNow(ctx context.Context, id int64) (time.Time, error)
}

// PollNow asks the worker to poll a source at once, rather than at its
// next scheduled time: an editor who just fixed a feed, or expects a
// story, need not wait an interval. The poll runs as a scheduled one
// does (the same task and claim), and is audited.
func (s *Service) PollNow(ctx context.Context, actor string, id int64) error {
	src, err := s.store.Source(ctx, id)
	if err != nil {
		return err
	}
	due, err := s.store.PollSourceNow(ctx, id)
	if err != nil {
		return err
	}
	if s.queue != nil {
		if _, err := s.queue.EnqueueContext(ctx, tasks.NewPollSource(id, due)); err != nil && !tasks.IsDuplicate(err) {
			// The source is due now: the worker's next look for due
			// polls finds it even so.
			s.log.Warn("poll now left to the schedule", "source", id, "err", err)
		}
	}
	s.audit.Audit(ctx, actor, "source.poll", "source", id, "poll of %s asked for now", src.URL)
	return nil
}
