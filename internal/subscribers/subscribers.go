// Package subscribers owns a subscriber's life, and every door into it
// (the public pages, the console, the JSON API, the worker's tasks) goes
// through its Service: the double opt-in sign-up and its confirmation,
// the welcome and "already subscribed" notices, the preference centre and
// its pause, unsubscribing, a person's copy of their data and their
// erasure, and the desk's side: the list, one person's record, operators'
// actions, and CSV import and export. The rules of the lifecycle are
// package domain's (domain.NextSubscriber); the storage is named here as
// small interfaces (store.go) that package postgres implements.
package subscribers

import (
	"context"
	"log/slog"

	"newsdigest/internal/bounce"
	"newsdigest/internal/config"
	"newsdigest/internal/mail"
	"newsdigest/internal/render"
	"newsdigest/internal/tasks"
	"newsdigest/internal/taxonomy"
)

// Auditor records what the desk did (package staff).
type Auditor interface {
	Audit(ctx context.Context, actor, action, objectType string, objectID any, detail string, args ...any)
}

// Taxonomies hand out the taxonomy as it is now (a *taxonomy.Cache).
type Taxonomies interface {
	Taxonomy(ctx context.Context) (*taxonomy.Taxonomy, error)
}

// Mailer sends one message (a *mail.Pool).
type Mailer interface {
	Send(ctx context.Context, m *mail.Message) error
}

// Deps are what the service is built from. The web process gives no
// Mailer: it queues the mails, which the worker sends.
type Deps struct {
	Config   *config.Config
	Store    Store
	Queue    tasks.Enqueuer
	Taxonomy Taxonomies
	Renderer *render.Renderer
	Audit    Auditor
	Log      *slog.Logger
	Mailer   Mailer
	// VERP, when BOUNCE_DOMAIN is set, names the subscriber in the
	// envelope sender of each one-off mail, so that a bounce or complaint
	// that comes back later is recorded against them.
	VERP *bounce.VERP
	// Refusals records a relay's refusal of the address itself, at the
	// send of a one-off mail, as the bounce it is (a hard one bounces
	// the sign-up); nil: such a refusal fails the mail's task.
	Refusals bounce.Recorder
}

// Service is the subscriber lifecycle.
type Service struct {
	cfg      *config.Config
	store    Store
	queue    tasks.Enqueuer
	tax      Taxonomies
	renderer *render.Renderer
	audit    Auditor
	log      *slog.Logger
	mailer   Mailer
	verp     *bounce.VERP
	refusals bounce.Recorder
	forecast *Estimator
}

// New assembles the service.
func New(d Deps) *Service {
	return &Service{
		cfg: d.Config, store: d.Store, queue: d.Queue, tax: d.Taxonomy, renderer: d.Renderer, audit: d.Audit,
		log: d.Log, mailer: d.Mailer, verp: d.VERP, refusals: d.Refusals,
		forecast: &Estimator{Source: d.Store, Taxonomy: d.Taxonomy},
	}
}
