// Package items owns the stories, and every door into them (the console,
// the JSON API, the worker's tasks) goes through its Service: imports of
// listings and feeds (previewed, then confirmed), the sources the worker
// polls, an editor's item and edits, the tagger's tags, its retraining on
// the desk's corrections and its suggestions, and the links between
// language versions of one story. Reading and tagging a document is
// package ingest's and package tagging's; the storage is named here as
// small interfaces (store.go) that package postgres implements.
package items

import (
	"context"
	"fmt"
	"log/slog"

	"newsdigest/internal/config"
	"newsdigest/internal/ingest"
	"newsdigest/internal/tagging"
	"newsdigest/internal/tasks"
	"newsdigest/internal/taxonomy"
)

// Auditor records what an editor did (package staff).
type Auditor interface {
	Audit(ctx context.Context, actor, action, objectType string, objectID any, detail string, args ...any)
}

// Taxonomies hand out the taxonomy as it is now (a *taxonomy.Cache).
type Taxonomies interface {
	Taxonomy(ctx context.Context) (*taxonomy.Taxonomy, error)
}

// Deps are what the service is built from.
type Deps struct {
	Config   *config.Config
	Store    Store
	Queue    tasks.Enqueuer // nil: nothing is queued (a retraining, a first poll)
	Taxonomy Taxonomies
	Audit    Auditor
	Log      *slog.Logger
	// Polled, if set, is told how each poll of a source ended
	// ("ok" or "error"): the worker counts them.
	Polled func(result string)
	// Inspector, the worker's, lets the reconciler replace a poll task
	// that used up its retries (the database was down), whose id would
	// otherwise refuse that slot's poll while the queue keeps it.
	Inspector tasks.Inspector
}

// Service is the stories' lifecycle.
type Service struct {
	cfg      *config.Config
	store    Store
	queue    tasks.Enqueuer
	tax      Taxonomies
	audit    Auditor
	log      *slog.Logger
	polled   func(result string)
	inspect  tasks.Inspector
	tagger   *tagging.Tagger
	importer *ingest.Importer
	// models keeps the tagger on the newest model the worker trained.
	models  *tagging.Follower
	fetcher *ingest.Fetcher
}

// New assembles the service, with a tagger of the default taxonomy's
// places and topics.
func New(d Deps) (*Service, error) {
	tagger, err := tagging.NewTagger(taxonomy.Default())
	if err != nil {
		return nil, fmt.Errorf("tagger: %w", err)
	}
	return &Service{
		cfg: d.Config, store: d.Store, queue: d.Queue, tax: d.Taxonomy, audit: d.Audit, log: d.Log,
		polled:   d.Polled,
		inspect:  d.Inspector,
		tagger:   tagger,
		importer: &ingest.Importer{Store: d.Store, Tagger: tagger},
		models:   &tagging.Follower{Tagger: tagger, Store: d.Store, Every: modelCheckEvery},
		fetcher: ingest.NewFetcher(ingest.FetcherConfig{
			AllowPrivate: d.Config.IngestAllowPrivateNetworks,
			UserAgent:    fmt.Sprintf("newsdigest/1.0 (+%s)", d.Config.BaseURL.String()),
		}),
	}, nil
}
