package editions

import (
	"context"
	"fmt"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/schedule"
	"newsdigest/internal/tasks"
)

// RunSchedule makes the edition of the tick of the schedule that is due
// at now and has none (schedule.Due), or, when that tick was missed for
// longer than DIGEST_LATE_LIMIT, records it as skipped, its stories left
// for the next edition. Each worker calls it on every turn of its loop;
// the database decides, so each tick gets one edition however many ask.
// Failures are logged: the next turn tries again.
func (s *Service) RunSchedule(ctx context.Context, now time.Time) {
	covered, err := s.store.ScheduleCoveredUntil(ctx, now)
	if err != nil {
		s.log.Warn("schedule: read where it stands", "err", err)
		return
	}
	tick, ok := schedule.Due(s.schedule, s.cfg.DigestTZ, covered, now, s.cfg.DigestLateLimit)
	if !ok {
		return
	}
	if tick.Late {
		reason := fmt.Sprintf("due %s, missed by %s, more than DIGEST_LATE_LIMIT (%s); its stories go into the next edition",
			tick.At.In(s.cfg.DigestTZ).Format("Mon 2006-01-02 15:04 MST"), tick.By.Round(time.Minute), s.cfg.DigestLateLimit)
		e, created, err := s.store.SkipEdition(ctx, tick.At, reason)
		switch {
		case err != nil:
			s.log.Warn("schedule: record a skipped edition", "tick", tick.At, "err", err)
		case created:
			s.log.Warn("scheduled edition skipped", "edition", e.ID, "tick", tick.At, "late", tick.By.Round(time.Minute))
		}
		return
	}
	e, created, err := s.store.CreateEdition(ctx, domain.NewEdition{ScheduledFor: &tick.At, MaxAge: s.cfg.StoryMaxAge})
	if err != nil {
		s.log.Warn("schedule: make the edition", "tick", tick.At, "err", err)
		return
	}
	if created {
		s.log.Info("scheduled edition created", "edition", e.ID, "tick", tick.At, "items", e.Items)
	}
	if e.Status != domain.EditionQueued {
		return
	}
	// The edition is made; if Redis does not take its compile now, the
	// reconciler asks for it once Redis answers.
	if _, err := s.queue.EnqueueContext(ctx, tasks.NewCompileEdition(e.ID)); err != nil && !tasks.IsDuplicate(err) {
		s.log.Warn("schedule: queue the compile; the reconciler will", "edition", e.ID, "err", err)
	}
}

// NextScheduled is when the schedule next makes an edition after now.
func (s *Service) NextScheduled(now time.Time) time.Time {
	return schedule.Next(s.schedule, s.cfg.DigestTZ, now)
}

// MakeScheduled makes the edition of one tick (the edition:schedule task)
// and asks for its compile.
func (s *Service) MakeScheduled(ctx context.Context, tick time.Time) error {
	e, created, err := s.store.CreateEdition(ctx, domain.NewEdition{ScheduledFor: &tick, MaxAge: s.cfg.StoryMaxAge})
	if err != nil {
		return err
	}
	if created {
		s.log.Info("scheduled edition created", "edition", e.ID, "tick", tick, "items", e.Items)
	}
	return s.enqueueCompile(ctx, e)
}

// Skipped lists the scheduled editions recorded as skipped since a
// moment, newest first.
func (s *Service) Skipped(ctx context.Context, since time.Time, limit int) ([]domain.Edition, error) {
	return s.store.SkippedEditions(ctx, since, limit)
}
