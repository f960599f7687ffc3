// Package editions owns an edition's life, and every door into it (the
// console, the JSON API, the worker's tasks) goes through its Service:
// the schedule that makes an edition for each due tick, an editor's
// edition, the compile into one delivery per reader, the delivery engine
// that sends them in batches (Compiler, Sender), cancel and retry,
// previews and test sends of a digest, and what was sent: the public
// archive and feeds, and a digest on the web. Which stories a reader gets
// and how a digest is laid out is package digest's; the rules of the
// lifecycles are package domain's; the storage is named here as small
// interfaces (store.go) that package postgres implements.
package editions

import (
	"context"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"newsdigest/internal/bounce"
	"newsdigest/internal/clicks"
	"newsdigest/internal/config"
	"newsdigest/internal/digest"
	"newsdigest/internal/render"
	"newsdigest/internal/schedule"
	"newsdigest/internal/tasks"
)

// Auditor records what an editor did (package staff).
type Auditor interface {
	Audit(ctx context.Context, actor, action, objectType string, objectID any, detail string, args ...any)
}

// Deps are what the service is built from. The web process gives no
// Mailer: it queues what is to be sent, and the worker sends it.
type Deps struct {
	Config   *config.Config
	Store    Store
	Queue    tasks.Enqueuer
	Taxonomy Taxonomies
	Renderer *render.Renderer
	Audit    Auditor
	Log      *slog.Logger

	// The worker's: Inspector replaces tasks that used up their retries;
	// Mailer sends (SMTP_CONNECTIONS at once, paced by Limiter, SEND_RATE);
	// Observe is told how every delivery attempt ended (the worker's
	// metrics); Lease is of claimed deliveries (DefaultLease when zero).
	Inspector tasks.Inspector
	Mailer    Mailer
	Limiter   RateLimiter
	Observe   func(status string)
	Lease     time.Duration
	// Schedule is when editions are due; DIGEST_CRON when nil.
	Schedule cron.Schedule
	// VERP signs each delivery's envelope sender (BOUNCE_DOMAIN); nil
	// when it is unset.
	VERP *bounce.VERP
	// Reported is told of each bounce or complaint recorded for the
	// first time (bounce.Hard, bounce.Soft, bounce.Complaint): the
	// process's metrics. A report seen before is not told again.
	Reported func(kind bounce.Kind)
	// Clicks makes the counted /r/ links of the mails' stories and their
	// stamps; nil (CLICK_COUNTING off) links straight to the stories.
	Clicks *clicks.Links
}

// RateLimiter paces sending (a *mail.RateLimiter).
type RateLimiter interface {
	Wait(ctx context.Context) error
}

// Service is the edition lifecycle.
type Service struct {
	store    Store
	queue    tasks.Enqueuer
	inspect  tasks.Inspector
	tax      Taxonomies
	renderer *render.Renderer
	masthead digest.Masthead
	cfg      *config.Config
	schedule cron.Schedule
	audit    Auditor
	log      *slog.Logger
	mailer   Mailer
	compiler *Compiler
	sender   *Sender
	pauser   *pauser
	reported func(kind bounce.Kind)
	// offered keeps the desk's schedule settings for the public forms.
	offered settingsCache
}

// New assembles the service.
func New(d Deps) *Service {
	s := &Service{
		store:    d.Store,
		queue:    d.Queue,
		inspect:  d.Inspector,
		tax:      d.Taxonomy,
		renderer: d.Renderer,
		masthead: digest.MastheadOf(d.Config),
		cfg:      d.Config,
		schedule: d.Schedule,
		audit:    d.Audit,
		log:      d.Log,
		mailer:   d.Mailer,
		reported: d.Reported,
	}
	if s.schedule == nil {
		s.schedule = d.Config.DigestCron
	}
	s.masthead.Frequency = schedule.DeskFrequency(s.schedule)
	s.pauser = &pauser{store: d.Store, limits: d.Config.PauseLimits, log: d.Log}
	if d.Clicks != nil {
		s.masthead.StoryLink = d.Clicks.StoryURL
	}
	s.compiler = &Compiler{Store: d.Store, Queue: d.Queue, Taxonomy: d.Taxonomy, Log: d.Log}
	if d.Mailer != nil {
		s.sender = &Sender{
			Store: d.Store, Mailer: d.Mailer, Renderer: d.Renderer, Masthead: s.masthead, Taxonomy: d.Taxonomy,
			Workers: d.Config.SMTPConnections, BounceLimit: d.Config.BounceLimit, Lease: d.Lease, Limiter: d.Limiter,
			Log: d.Log, Observe: d.Observe, pauser: s.pauser, VERP: d.VERP,
		}
		if d.Clicks != nil {
			s.sender.Stamp = func() string { return d.Clicks.NewStamp(time.Now()) }
		}
	}
	return s
}
