package editions

import (
	"context"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/schedule"
	"newsdigest/internal/tasks"
)

// Readers with their own schedule (frequency, time zone, hour) get
// "slots": every DUE_CHECK_EVERY the worker asks which of them are due
// (RunDue), and one edition, of a new kind, is made for those due in the
// quarter hour. It goes through the same compile, send batches, progress,
// cancel and retry as the desk's; only its readers and their windows are
// its own (compileSlot).

// dueLimit bounds the readers one due check takes; the rest are due at
// the next check.
const dueLimit = 250_000

// RunDue makes the slot of the readers whose digest is due at now and
// queues its compile; it works out, first, the due time of readers whose
// schedule is new. Every worker may call it: a quarter hour gets one slot
// however many ask, and a reader one slot per due time.
func (s *Service) RunDue(ctx context.Context, now time.Time) error {
	due, err := s.store.DueReaders(ctx, now, dueLimit)
	if err != nil || len(due) == 0 {
		return err
	}
	weekday, _ := schedule.DeskDay(s.schedule, s.cfg.DigestTZ, now)
	zones := map[string]*time.Location{}
	var ids, reIDs []int64
	var next, reDue []time.Time
	for _, r := range due {
		rs := r.Schedule
		loc, ok := zones[rs.Timezone]
		if !ok {
			if loc, err = domain.LoadZone(rs.Timezone); err != nil {
				loc = s.cfg.DigestTZ // a zone this system no longer knows: the desk's
			}
			zones[rs.Timezone] = loc
		}
		first := func(after time.Time) time.Time {
			return schedule.FirstDue(rs.Frequency, loc, rs.Hour, weekday, after)
		}
		switch {
		case r.NextDue.IsZero():
			// A new schedule, or a new reader: their first digest goes out
			// at the first chosen hour from now.
			reIDs, reDue = append(reIDs, r.ID), append(reDue, first(now))
			continue
		case r.ConfirmedAt != nil && r.ConfirmedAt.After(r.NextDue):
			// Due while they had not yet confirmed: the first hour after.
			if at := first(*r.ConfirmedAt); at.After(now) {
				reIDs, reDue = append(reIDs, r.ID), append(reDue, at)
				continue
			}
		}
		ids = append(ids, r.ID)
		next = append(next, schedule.NextDue(rs.Frequency, loc, rs.Hour, weekday, now))
	}
	if len(reIDs) > 0 {
		if err := s.store.Reschedule(ctx, reIDs, reDue); err != nil {
			return err
		}
	}
	if len(ids) == 0 {
		return nil
	}
	e, created, err := s.store.CreateSlot(ctx, schedule.SlotOf(now), now, ids, next, s.cfg.StoryMaxAge)
	if err != nil || e.ID == 0 {
		return err
	}
	if created {
		s.log.Info("slot created", "edition", e.ID, "slot", e.SlotAt, "items", e.Items)
	}
	if e.Status != domain.EditionQueued {
		return nil
	}
	if _, err := s.queue.EnqueueContext(ctx, tasks.NewCompileEdition(e.ID)); err != nil && !tasks.IsDuplicate(err) {
		s.log.Warn("slot: queue the compile; the reconciler will", "edition", e.ID, "err", err)
	}
	return nil
}

// DueWithin counts the readers whose own digest is due within d of now.
func (s *Service) DueWithin(ctx context.Context, now time.Time, d time.Duration) (int, error) {
	return s.store.DueBefore(ctx, now.Add(d))
}

// Slots lists the latest slots, newest first.
func (s *Service) Slots(ctx context.Context, limit int) ([]domain.Edition, error) {
	return s.store.Slots(ctx, limit)
}

// ScheduleSettings are the desk's rules for readers' own schedules.
func (s *Service) ScheduleSettings(ctx context.Context) (domain.ScheduleSettings, error) {
	return s.store.ScheduleSettings(ctx)
}

// SaveScheduleSettings validates and stores the desk's rules.
func (s *Service) SaveScheduleSettings(ctx context.Context, actor string, set domain.ScheduleSettings) error {
	if err := set.Validate(); err != nil {
		return err
	}
	if err := s.store.SaveScheduleSettings(ctx, set); err != nil {
		return err
	}
	s.offered.forget()
	s.audit.Audit(ctx, actor, "schedule.settings", "schedule_settings", 1, "frequencies %v, minimum %d stories, wait %d days",
		set.Frequencies, set.MinStories, set.WaitDays)
	return nil
}

// compile compiles an edition, a slot or the desk's.
func (s *Service) compile(ctx context.Context, id int64) error {
	e, err := s.store.Edition(ctx, id)
	if err != nil {
		return err
	}
	if e.SlotAt == nil {
		return s.compiler.Compile(ctx, id)
	}
	return s.compileSlot(ctx, e)
}

// slotVoid hands the readers of a slot that sends nothing more (failed or
// cancelled) their stories back for their next one.
func (s *Service) slotVoid(ctx context.Context, id int64) error {
	e, err := s.store.Edition(ctx, id)
	if err != nil || e.SlotAt == nil {
		return err
	}
	return s.store.RestoreSlotWindows(ctx, id)
}
