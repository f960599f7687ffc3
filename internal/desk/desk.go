// Package desk is the news desk's work: importing and editing items,
// making and steering editions, looking after subscribers, and the audit
// log of all of it. The JSON API and the admin console are two doors to
// these same services, so neither has a rule the other lacks.
package desk

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"newsdigest/internal/config"
	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/ingest"
	"newsdigest/internal/postgres"
	"newsdigest/internal/render"
	"newsdigest/internal/tagging"
	"newsdigest/internal/taxonomy"
)

// Desk holds what the services need.
type Desk struct {
	Config   *config.Config
	DB       *postgres.DB
	Queue    *asynq.Client
	Importer *ingest.Importer
	Renderer *render.Renderer
	Log      *slog.Logger

	// Editions is the edition lifecycle, which the desk's doors share.
	Editions *editions.Service

	// models keeps the tagger on the newest model the worker trained.
	models *tagging.Follower

	tax *taxonomy.Cache
}

// New assembles the desk.
func New(cfg *config.Config, db *postgres.DB, queue *asynq.Client, log *slog.Logger) (*Desk, error) {
	tagger, err := tagging.NewTagger(taxonomy.Default())
	if err != nil {
		return nil, err
	}
	r, err := render.New()
	if err != nil {
		return nil, err
	}
	d := &Desk{
		Config:   cfg,
		DB:       db,
		Queue:    queue,
		Importer: &ingest.Importer{Store: db, Tagger: tagger},
		Renderer: r,
		Log:      log,
		models:   &tagging.Follower{Tagger: tagger, Store: db, Every: modelCheckEvery},
		tax:      &taxonomy.Cache{Source: db, MaxAge: 30 * time.Second},
	}
	d.Editions = editions.New(editions.Deps{Config: cfg, Store: db, Queue: queue, Taxonomy: d.tax, Renderer: r, Audit: d, Log: log})
	return d, nil
}

// Taxonomy returns the taxonomy, reloaded at most every 30 seconds so
// editors' changes show without a restart.
func (d *Desk) Taxonomy(ctx context.Context) (*taxonomy.Taxonomy, error) {
	return d.tax.Taxonomy(ctx)
}

// Audit records that actor did action on an object. The action has
// happened by then; a failure to record it is logged, not returned, so the
// caller does not report as failed something that was done.
func (d *Desk) Audit(ctx context.Context, actor, action, objectType string, objectID any, detail string, args ...any) {
	if len(args) > 0 {
		detail = fmt.Sprintf(detail, args...)
	}
	e := domain.AuditEntry{Actor: actor, Action: action, ObjectType: objectType, Detail: detail}
	if objectID != nil {
		e.ObjectID = fmt.Sprint(objectID)
	}
	// The request may be gone by now (a client that hung up); the record
	// of what was done must still be written.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := d.DB.Audit(ctx, e); err != nil {
		d.Log.Error("audit record lost", "actor", actor, "action", action, "object", e.ObjectType+":"+e.ObjectID, "err", err)
	}
}
