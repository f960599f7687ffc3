package items

import (
	"context"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/schedule"
)

// How long an editor features a story: for the next edition, or a week.
const (
	FeatureEdition = "edition"
	FeatureWeek    = "week"
	FeatureNone    = "none"
)

// FeatureUntil is when a feature of span (FeatureEdition, FeatureWeek)
// asked for at now ends: after the next scheduled edition (a minute past
// its tick, whose time the edition carries), or a week on; nil for
// FeatureNone.
func (s *Service) FeatureUntil(span string, now time.Time) (*time.Time, error) {
	var until time.Time
	switch span {
	case FeatureEdition:
		until = schedule.Next(s.cfg.DigestCron, s.cfg.DigestTZ, now).Add(time.Minute)
	case FeatureWeek:
		until = now.Add(7 * 24 * time.Hour)
	case FeatureNone:
		return nil, nil
	default:
		return nil, errs.New(errs.Invalid, "feature: %q is not one of %s, %s, %s", span, FeatureEdition, FeatureWeek, FeatureNone)
	}
	until = until.UTC().Truncate(time.Second)
	return &until, nil
}

// Feature makes a story lead its section in the editions made before
// until, or stops featuring it (nil): an update of that alone, audited
// as such.
func (s *Service) Feature(ctx context.Context, actor string, id int64, until *time.Time) (domain.Item, error) {
	return s.Update(ctx, actor, id, domain.ItemUpdate{FeaturedUntil: domain.OptionalTime{Set: true, Time: until}})
}

// auditFeature records that actor featured it until then, or stopped
// featuring it (nil).
func (s *Service) auditFeature(ctx context.Context, actor string, it domain.Item, until *time.Time) {
	if until == nil {
		s.audit.Audit(ctx, actor, "item.unfeature", "item", it.ID, "%q", it.Title)
	} else {
		s.audit.Audit(ctx, actor, "item.feature", "item", it.ID, "%q until %s", it.Title, until.Format(time.RFC3339))
	}
}
