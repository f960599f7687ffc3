package overview

import (
	"context"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/taxonomy"
)

// Store is the storage the overview reads.
type Store interface {
	Dashboard(ctx context.Context, top, sourceErrors int) (domain.Dashboard, error)
}

// Taxonomies hand out the taxonomy as it is now (a *taxonomy.Cache).
type Taxonomies interface {
	Taxonomy(ctx context.Context) (*taxonomy.Taxonomy, error)
}

// Editions is what the overview asks of the edition lifecycle (an
// *editions.Service): the schedule's next tick and the ticks skipped.
type Editions interface {
	NextScheduled(now time.Time) time.Time
	Skipped(ctx context.Context, since time.Time, limit int) ([]domain.Edition, error)
}

// Service gathers the console's dashboard.
type Service struct {
	store    Store
	tax      Taxonomies
	editions Editions
}

// New assembles the service.
func New(store Store, tax Taxonomies, editions Editions) *Service {
	return &Service{store: store, tax: tax, editions: editions}
}

// dashboardTop is how many countries and topics the overview names.
const dashboardTop = 10

// dashboardSourceErrors bounds the failing sources listed.
const dashboardSourceErrors = 20

// Named is a count with the name of what was counted, in the reader's
// language.
type Named struct {
	Key, Name string
	Count     int
}

// Dashboard is the desk at a glance.
type Dashboard struct {
	domain.Dashboard
	SubscribersTotal int
	ActiveByCountry  []Named
	ActiveByTopic    []Named
	// NextEdition is the next tick of DIGEST_CRON, in DIGEST_TZ.
	NextEdition time.Time
	// Skipped are the recent scheduled editions no worker could make in
	// time (DIGEST_LATE_LIMIT), newest first.
	Skipped []domain.Edition
}

// How far back and how many skipped editions the overview names.
const (
	dashboardSkippedFor = 60 * 24 * time.Hour
	dashboardSkipped    = 5
)

// Dashboard gathers the overview, naming countries and topics in lang.
func (s *Service) Dashboard(ctx context.Context, lang string) (Dashboard, error) {
	raw, err := s.store.Dashboard(ctx, dashboardTop, dashboardSourceErrors)
	if err != nil {
		return Dashboard{}, err
	}
	tax, err := s.tax.Taxonomy(ctx)
	if err != nil {
		return Dashboard{}, err
	}
	skipped, err := s.editions.Skipped(ctx, time.Now().Add(-dashboardSkippedFor), dashboardSkipped)
	if err != nil {
		return Dashboard{}, err
	}
	out := Dashboard{Dashboard: raw, NextEdition: s.editions.NextScheduled(time.Now()), Skipped: skipped}
	for _, t := range raw.SubscribersByStatus {
		out.SubscribersTotal += t.Count
	}
	for _, t := range raw.ActiveByCountry {
		name := t.Key
		if c, ok := tax.Country(t.Key); ok {
			name = c.Name(lang)
		}
		out.ActiveByCountry = append(out.ActiveByCountry, Named{Key: t.Key, Name: name, Count: t.Count})
	}
	for _, t := range raw.ActiveByTopic {
		name := t.Key
		if tp, ok := tax.Topic(t.Key); ok {
			name = tp.Name(lang)
		}
		out.ActiveByTopic = append(out.ActiveByTopic, Named{Key: t.Key, Name: name, Count: t.Count})
	}
	return out, nil
}
