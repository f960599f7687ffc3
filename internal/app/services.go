package app

import (
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"newsdigest/internal/bounce"
	"newsdigest/internal/clicks"
	"newsdigest/internal/config"
	"newsdigest/internal/editions"
	"newsdigest/internal/items"
	"newsdigest/internal/listname"
	"newsdigest/internal/metrics"
	"newsdigest/internal/overview"
	"newsdigest/internal/postgres"
	"newsdigest/internal/render"
	"newsdigest/internal/staff"
	"newsdigest/internal/subscribers"
	"newsdigest/internal/tasks"
	"newsdigest/internal/taxonomy"
)

// services are the services of one binary, over one database: each owns
// a lifecycle, and the doors (pages, console, API, tasks) call them.
type services struct {
	taxonomy    *taxonomy.Cache
	staff       *staff.Service
	subscribers *subscribers.Service
	editions    *editions.Service
	items       *items.Service
	overview    *overview.Service
	clicks      *clicks.Service
	// listNames name the list per language, as the desk set them: every
	// mail the renderer makes and the public pages' header use them.
	listNames *listname.Names

	// bounces records what comes back about mail sent: an edition's
	// deliveries and the one-off mails to a person.
	bounces bounce.Recorder
}

// sending is what a binary that sends mail (the worker) adds to the
// services; the web process has none, and queues what is to be sent.
type sending struct {
	mailer    editions.Mailer
	inspector tasks.Inspector
	limiter   editions.RateLimiter
	observe   func(status string)
	polled    func(result string) // feed polls, by result
	lease     time.Duration
	schedule  cron.Schedule
}

// taxonomyAge is how long the web process answers from one reading of
// the taxonomy: editors' changes show within it, without a restart.
const taxonomyAge = 30 * time.Second

// newServices builds the services over db. With send nil they queue mail
// for the worker; with it, they send.
func newServices(cfg *config.Config, db *postgres.DB, queue tasks.Enqueuer, log *slog.Logger, counters *metrics.Set, send *sending) (*services, error) {
	r, err := render.New()
	if err != nil {
		return nil, err
	}
	s := &services{taxonomy: &taxonomy.Cache{Source: db}}
	if send == nil {
		s.taxonomy.MaxAge = taxonomyAge
	}
	s.staff = staff.New(db, log)
	s.listNames = listname.New(db, s.staff, cfg.MailFrom.Name, log)
	r.UseListNames(s.listNames.Name)
	sd := subscribers.Deps{Config: cfg, Store: db, Queue: queue, Taxonomy: s.taxonomy, Renderer: r, Audit: s.staff, Log: log}
	ed := editions.Deps{Config: cfg, Store: db, Queue: queue, Taxonomy: s.taxonomy, Renderer: r, Audit: s.staff, Log: log}
	links := clicks.NewLinks(cfg.BaseURL.String(), cfg.SecretKey, cfg.PreviousSecretKeys()...)
	s.clicks = clicks.New(links, db, cfg.ClickCounting, log)
	if cfg.ClickCounting {
		ed.Clicks = links
	}
	if send != nil {
		sd.Mailer = send.mailer
		ed.Mailer, ed.Inspector, ed.Limiter, ed.Observe, ed.Lease, ed.Schedule =
			send.mailer, send.inspector, send.limiter, send.observe, send.lease, send.schedule
	}
	ed.Reported = func(kind bounce.Kind) {
		if kind == bounce.Complaint {
			counters.Complaint()
		} else {
			counters.Bounce(string(kind))
		}
	}
	if ed.VERP, err = verpOf(cfg); err != nil {
		return nil, err
	}
	sd.VERP = ed.VERP
	s.editions = editions.New(ed)
	s.bounces = &noticeRecorder{deliveries: s.editions, db: db, audit: s.staff, limit: cfg.BounceLimit,
		reported: ed.Reported, log: log}
	sd.Refusals = s.bounces
	s.subscribers = subscribers.New(sd)
	id := items.Deps{Config: cfg, Store: db, Queue: queue, Taxonomy: s.taxonomy, Audit: s.staff, Log: log}
	if send != nil {
		id.Polled, id.Inspector = send.polled, send.inspector
	}
	if s.items, err = items.New(id); err != nil {
		return nil, err
	}
	s.overview = overview.New(db, s.taxonomy, s.editions)
	return s, nil
}
