package editions

import (
	"context"
	"strings"
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
// its own (audienceOf).

// RunDue makes the slot of the readers whose digest is due at now and
// queues its compile; it works out, first, the due time of readers whose
// schedule is new. Every worker may call it: a quarter hour gets one slot
// however many ask, and a reader one slot per due time. A due time
// depends only on the schedule (frequency, zone, hour), so it is worked
// out once per schedule, however many readers share it: the check holds
// no reader in memory, and takes every reader due.
func (s *Service) RunDue(ctx context.Context, now time.Time) error {
	began := time.Now()
	weekday, _ := schedule.DeskDay(s.schedule, s.cfg.DigestTZ, now)
	zones := zoneCache{desk: s.cfg.DigestTZ}
	first := func(rs domain.ReaderSchedule, after time.Time) time.Time {
		return schedule.FirstDue(rs.Frequency, zones.load(rs.Timezone), rs.Hour, weekday, after)
	}
	// A new schedule, or a new reader: their first digest goes out at
	// the first chosen hour from now; for a reader who confirmed before
	// the last chosen hour (and after the one before it), at that hour,
	// which has passed: the check that finds them may come minutes after
	// it, or, the worker down, hours.
	fresh, err := s.store.UnscheduledSchedules(ctx)
	if err != nil {
		return err
	}
	// A reader who changed how often, or left the desk's schedule, just
	// after a digest: the new schedule's first hour may be too soon after
	// it (a weekly digest two hours after the daily one), and then the
	// one after it is theirs.
	if len(fresh) > 0 {
		n := len(fresh)
		prev, since, due := make([]time.Time, n), make([]time.Time, n), make([]time.Time, n)
		recent, then := make([]time.Time, n), make([]time.Time, n)
		for i, rs := range fresh {
			since[i] = lastDue(rs, now, first)
			prev[i] = lastDue(rs, since[i].Add(-time.Second), first)
			due[i] = first(rs, now)
			recent[i] = due[i].Add(-schedule.HalfPeriod(rs.Frequency))
			then[i] = first(rs, due[i])
		}
		if err := s.store.ScheduleNew(ctx, fresh, prev, since, due, recent, then); err != nil {
			return err
		}
	}
	// A reader who moved their hour or zone: the new hour nearest the
	// due time they had, or now when it has passed.
	moved, err := s.store.MovedSchedules(ctx)
	if err != nil {
		return err
	}
	if len(moved) > 0 {
		due := make([]time.Time, len(moved))
		for i, m := range moved {
			rs := m.Schedule
			due[i] = schedule.Moved(rs.Frequency, zones.load(rs.Timezone), rs.Hour, weekday, m.DueBefore, now)
		}
		if err := s.store.ScheduleMoved(ctx, moved, due); err != nil {
			return err
		}
	}
	// A reader joining the desk whose last digest of their own has gone
	// is not due one more: the desk's next edition takes them.
	if err := s.store.JoinDeskDue(ctx, now); err != nil {
		return err
	}
	scheds, err := s.store.DueSchedules(ctx, now)
	if err != nil || len(scheds) == 0 {
		return err
	}
	// Due while they had not yet confirmed: the first chosen hour after
	// they did, when that is still to come, which is so for those who
	// confirmed since the last chosen hour (the first one from now).
	since, later := make([]time.Time, len(scheds)), make([]time.Time, len(scheds))
	next := make([]time.Time, len(scheds))
	for i, rs := range scheds {
		since[i], later[i] = lastDue(rs, now, first), first(rs, now)
		next[i] = schedule.AfterDigest(rs.Frequency, zones.load(rs.Timezone), rs.Hour, weekday, now)
	}
	if err := s.store.RescheduleLate(ctx, now, scheds, since, later); err != nil {
		return err
	}
	e, created, err := s.store.CreateSlot(ctx, schedule.SlotOf(now), now, scheds, next, s.cfg.StoryMaxAge)
	if err != nil || e.ID == 0 {
		return err
	}
	if created {
		s.log.Info("slot created", "edition", e.ID, "slot", e.SlotAt, "items", e.Items, "schedules", len(scheds), "took", time.Since(began))
	}
	if e.Status != domain.EditionQueued {
		return nil
	}
	if _, err := s.queue.EnqueueContext(ctx, tasks.NewCompileEdition(e.ID)); err != nil && !tasks.IsDuplicate(err) {
		s.log.Warn("slot: queue the compile; the reconciler will", "edition", e.ID, "err", err)
	}
	return nil
}

// lastDue is the latest of a schedule's chosen hours at or before now.
func lastDue(rs domain.ReaderSchedule, now time.Time, first func(domain.ReaderSchedule, time.Time) time.Time) time.Time {
	// A week and a day back holds one of every weekday, whatever the
	// daylight-saving changes in between.
	at := first(rs, now.AddDate(0, 0, -8))
	for {
		n := first(rs, at)
		if n.After(now) {
			return at
		}
		at = n
	}
}

// zoneCache loads each reader's time zone once per due check; a zone
// this system no longer knows is the desk's.
type zoneCache struct {
	desk  *time.Location
	zones map[string]*time.Location
}

func (z *zoneCache) load(name string) *time.Location {
	if loc, ok := z.zones[name]; ok {
		return loc
	}
	loc, err := domain.LoadZone(name)
	if err != nil {
		loc = z.desk
	}
	if z.zones == nil {
		z.zones = map[string]*time.Location{}
	}
	z.zones[name] = loc
	return loc
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
	s.audit.Audit(ctx, actor, "schedule.settings", "schedule_settings", 1, "frequencies: %s; minimum stories: %d; longest wait in days: %d",
		strings.Join(set.Frequencies, ", "), set.MinStories, set.WaitDays)
	return nil
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
