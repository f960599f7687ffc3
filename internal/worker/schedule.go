package worker

import (
	"context"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
	"github.com/robfig/cron/v3"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
	"newsdigest/internal/tasks"
)

// The weekly schedule is kept by Postgres, not by a timer: every worker,
// on every turn of its loop, asks for the last tick that is due, and makes
// its edition if it has none. CreateEdition is idempotent per tick
// (scheduled_for is unique), so however many workers ask, each tick gets
// one edition; a tick that passed while no worker ran, while Redis refused
// the compile, or while the loop was busy is made at the next turn. A tick
// missed for longer than DIGEST_LATE_LIMIT is not sent late: its edition
// is recorded as skipped, and its stories wait for the next one.

// lookback bounds how far back the schedule looks for a missed tick: past
// the late limit, a missed tick is only recorded as skipped, and a later
// one supersedes it. Five weeks covers weekly and monthly schedules.
const lookback = 35 * 24 * time.Hour

// maxTicks bounds the ticks walked to find the last one due, for a
// schedule that ticks very often.
const maxTicks = 100_000

// schedule makes (or records as skipped) the edition of the last due tick
// that has none. Failures are logged: the next turn tries again.
func (w *Worker) schedule(ctx context.Context, client *asynq.Client) {
	if w.opts.DisableScheduling {
		return
	}
	now := w.opts.Clock()
	covered, err := w.db.ScheduleCoveredUntil(ctx, now)
	if err != nil {
		w.log.Warn("schedule: read where it stands", "err", err)
		return
	}
	from := now.Add(-w.cfg.DigestLateLimit - lookback)
	if covered.After(from) {
		from = covered
	}
	tick := lastTick(w.opts.Schedule, w.cfg.DigestTZ, from, now)
	if tick.IsZero() {
		return
	}
	if late := now.Sub(tick); late > w.cfg.DigestLateLimit {
		reason := fmt.Sprintf("due %s, missed by %s, more than DIGEST_LATE_LIMIT (%s); its stories go into the next edition",
			tick.In(w.cfg.DigestTZ).Format("Mon 2006-01-02 15:04 MST"), late.Round(time.Minute), w.cfg.DigestLateLimit)
		e, created, err := w.db.SkipEdition(ctx, tick, reason)
		switch {
		case err != nil:
			w.log.Warn("schedule: record a skipped edition", "tick", tick, "err", err)
		case created:
			w.log.Warn("scheduled edition skipped", "edition", e.ID, "tick", tick, "late", late.Round(time.Minute))
		}
		return
	}
	e, created, err := w.db.CreateEdition(ctx, postgres.NewEdition{ScheduledFor: &tick})
	if err != nil {
		w.log.Warn("schedule: make the edition", "tick", tick, "err", err)
		return
	}
	if created {
		w.log.Info("scheduled edition created", "edition", e.ID, "tick", tick, "items", e.Items)
	}
	if e.Status != domain.EditionQueued {
		return
	}
	// The edition is made; if Redis does not take its compile now, the
	// reconciler asks for it once Redis answers.
	if _, err := client.EnqueueContext(ctx, tasks.NewCompileEdition(e.ID)); err != nil && !tasks.IsDuplicate(err) {
		w.log.Warn("schedule: queue the compile; the reconciler will", "edition", e.ID, "err", err)
	}
}

// lastTick is the last tick of s in zone after after and at or before now;
// zero if there is none.
func lastTick(s cron.Schedule, zone *time.Location, after, now time.Time) time.Time {
	var last time.Time
	for t, n := s.Next(after.In(zone)), 0; !t.IsZero() && !t.After(now) && n < maxTicks; t, n = s.Next(t), n+1 {
		last = t
	}
	return last
}
