package desk

import (
	"context"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
)

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
	postgres.Dashboard
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
func (d *Desk) Dashboard(ctx context.Context, lang string) (Dashboard, error) {
	raw, err := d.DB.Dashboard(ctx, dashboardTop, dashboardSourceErrors)
	if err != nil {
		return Dashboard{}, err
	}
	tax, err := d.Taxonomy(ctx)
	if err != nil {
		return Dashboard{}, err
	}
	skipped, err := d.DB.SkippedEditions(ctx, time.Now().Add(-dashboardSkippedFor), dashboardSkipped)
	if err != nil {
		return Dashboard{}, err
	}
	out := Dashboard{Dashboard: raw, NextEdition: d.NextScheduledEdition(time.Now()), Skipped: skipped}
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

// NextScheduledEdition is when the worker's scheduler next makes an
// edition after now: the same computation as the worker's loop.
func (d *Desk) NextScheduledEdition(now time.Time) time.Time {
	return d.Config.DigestCron.Next(now.In(d.Config.DigestTZ))
}
