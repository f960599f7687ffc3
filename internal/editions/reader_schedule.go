package editions

import (
	"context"
	"sync"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/schedule"
)

// ScheduleInput is a reader's schedule as the form or the API gives it;
// a field not given is nil. A reader who gives none follows the desk's
// DIGEST_CRON.
type ScheduleInput struct {
	Frequency *string
	Timezone  *string
	Hour      *int
	SendThin  *bool
}

// Given reports whether the reader gave any field.
func (in ScheduleInput) Given() bool { return in.given() }

func (in ScheduleInput) given() bool {
	return in.Frequency != nil || in.Timezone != nil || in.Hour != nil || in.SendThin != nil
}

// ScheduleOptions are what a form offers: the frequencies the desk
// offers, and the desk's own zone (DIGEST_TZ) and hour (DIGEST_CRON's),
// the defaults.
type ScheduleOptions struct {
	Offered []string
	Zone    string
	Hour    int
	// Weekday is the desk's day, on which a weekly or two-weekly
	// schedule of one's own sends.
	Weekday time.Weekday
	// Frequency is how often the desk itself sends (DIGEST_CRON, as
	// schedule.DeskFrequency words it): daily when it sends every day.
	Frequency string
	// ThinBelow and WaitDays are the desk's rule for short digests
	// (domain.ScheduleSettings.ThinBelow): what the forms and the
	// confirmation say a reader's choice "send it anyway" is about.
	ThinBelow, WaitDays int
}

// ScheduleOptions reads what a form offers now.
func (s *Service) ScheduleOptions(ctx context.Context) (ScheduleOptions, error) {
	return s.scheduleOptions(ctx, s.store.ScheduleSettings)
}

// FormScheduleOptions is ScheduleOptions for drawing a form: read at most
// every settingsMaxAge (what a sign-up is checked against is read fresh).
func (s *Service) FormScheduleOptions(ctx context.Context) (ScheduleOptions, error) {
	return s.scheduleOptions(ctx, func(ctx context.Context) (domain.ScheduleSettings, error) {
		return s.offered.get(ctx, s.store.ScheduleSettings)
	})
}

func (s *Service) scheduleOptions(ctx context.Context, read func(context.Context) (domain.ScheduleSettings, error)) (ScheduleOptions, error) {
	set, err := read(ctx)
	if err != nil {
		return ScheduleOptions{}, err
	}
	day, hour := schedule.DeskDay(s.schedule, s.cfg.DigestTZ, time.Now())
	return ScheduleOptions{Offered: set.Frequencies, Zone: s.cfg.DigestTZ.String(), Hour: hour, Weekday: day,
		Frequency: schedule.DeskFrequency(s.schedule), ThinBelow: set.ThinBelow(), WaitDays: set.WaitDays}, nil
}

// ResolveSchedule fills what a reader left out with the defaults
// (weekly, DIGEST_TZ, DIGEST_CRON's hour) and checks it; the error names
// the field. own is false when the reader gave nothing, or chose exactly
// the desk's schedule (its frequency, zone and hour, whatever they chose
// for short digests): they follow DIGEST_CRON. A reader who chose every
// week from a desk that sends every day has a schedule of their own.
func (s *Service) ResolveSchedule(ctx context.Context, in ScheduleInput) (rs domain.ReaderSchedule, own bool, err error) {
	if !in.given() {
		return rs, false, nil
	}
	opts, err := s.ScheduleOptions(ctx)
	if err != nil {
		return rs, false, err
	}
	return opts.Resolve(in)
}

// Resolve is ResolveSchedule by these options, for a caller that read
// them already (FormScheduleOptions, for a form's hints: it writes
// nothing by them).
func (opts ScheduleOptions) Resolve(in ScheduleInput) (rs domain.ReaderSchedule, own bool, err error) {
	if !in.given() {
		return rs, false, nil
	}
	rs = in.Over(domain.ReaderSchedule{Frequency: domain.FrequencyWeekly, Timezone: opts.Zone, Hour: opts.Hour})
	if err := rs.Validate(opts.Offered); err != nil {
		return rs, false, err
	}
	// Whether a short digest waits is not part of the comparison: the
	// desk's editions never wait, so "send it anyway" is what a reader of
	// the desk's schedule has already.
	desk := domain.ReaderSchedule{Frequency: opts.Frequency, Timezone: opts.Zone, Hour: opts.Hour, SendThin: rs.SendThin}
	return rs, rs != desk, nil
}

// Over is base with the fields the reader gave in place of its own.
func (in ScheduleInput) Over(base domain.ReaderSchedule) domain.ReaderSchedule {
	if in.Frequency != nil {
		base.Frequency = *in.Frequency
	}
	if in.Timezone != nil {
		base.Timezone = *in.Timezone
	}
	if in.Hour != nil {
		base.Hour = *in.Hour
	}
	if in.SendThin != nil {
		base.SendThin = *in.SendThin
	}
	return base
}

func ownOrNil(rs domain.ReaderSchedule, own bool) *domain.ReaderSchedule {
	if !own {
		return nil
	}
	return &rs
}

// SetSignupSchedule records the schedule of an address just signed up,
// while it waits for confirmation (an active reader's changes only from
// their preference centre).
func (s *Service) SetSignupSchedule(ctx context.Context, email string, rs domain.ReaderSchedule, own bool) error {
	return s.store.SetSignupSchedule(ctx, email, ownOrNil(rs, own))
}

// ReaderSchedule is the schedule of the reader a token belongs to; own
// is false when they follow the desk's.
func (s *Service) ReaderSchedule(ctx context.Context, tok string) (domain.ReaderSchedule, bool, error) {
	return s.store.ScheduleByToken(ctx, tok)
}

// SetReaderSchedule changes the schedule of the reader a token belongs
// to. Their window stays where their last digest ended, so changing the
// frequency or the zone loses nothing and repeats nothing; the worker
// works out their next due time at its next check. A reader who moves to
// the desk's schedule while stories are owed to them from their own
// window gets them in one last digest of their own, catchUpLead before
// the desk's next edition, and then joins it (postgres.SetScheduleByToken).
func (s *Service) SetReaderSchedule(ctx context.Context, tok string, rs domain.ReaderSchedule, own bool) error {
	now := time.Now()
	catchUp := schedule.Next(s.schedule, s.cfg.DigestTZ, now).Add(-catchUpLead)
	if catchUp.Before(now) {
		catchUp = now
	}
	return s.store.SetScheduleByToken(ctx, tok, ownOrNil(rs, own), catchUp)
}

// catchUpLead is how long before the desk's next edition the last digest
// of a reader joining it is due: long enough for that digest to have
// gone when the desk's edition is made, so that they join that one.
const catchUpLead = schedule.Quarter

// settingsMaxAge is how long a process keeps the desk's schedule settings
// for its forms: the sign-up form page is asked for far more often than
// the settings change, and reads no table otherwise. The process that
// saves them forgets its copy at once; another sees them within this.
const settingsMaxAge = 5 * time.Second

// settingsCache keeps one reading of the desk's schedule settings.
type settingsCache struct {
	mu     sync.Mutex
	set    domain.ScheduleSettings
	readAt time.Time
}

func (c *settingsCache) get(ctx context.Context, read func(context.Context) (domain.ScheduleSettings, error)) (domain.ScheduleSettings, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.readAt.IsZero() && time.Since(c.readAt) < settingsMaxAge {
		return c.set, nil
	}
	set, err := read(ctx)
	if err != nil {
		return set, err
	}
	c.set, c.readAt = set, time.Now()
	return set, nil
}

func (c *settingsCache) forget() {
	c.mu.Lock()
	c.readAt = time.Time{}
	c.mu.Unlock()
}
