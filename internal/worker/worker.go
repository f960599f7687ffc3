// Package worker runs newsdigest's background work on asynq: confirmation
// mail, the weekly schedule, edition compile and delivery, and the
// reconciler that re-queues whatever Postgres says is unfinished.
package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"github.com/robfig/cron/v3"

	"newsdigest/internal/config"
	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/mail"
	"newsdigest/internal/postgres"
	"newsdigest/internal/render"
	"newsdigest/internal/tagging"
	"newsdigest/internal/tasks"
	"newsdigest/internal/taxonomy"
)

// Options tune timings that tests shorten; zero values take the defaults.
type Options struct {
	Concurrency       int           // tasks at once; default 8
	ReconcileEvery    time.Duration // default 1 minute
	DelayedTaskCheck  time.Duration // asynq's poll for due retries; default 5 s
	MaxRetryDelay     time.Duration // cap of the exponential retry delay; default 10 minutes
	FirstRetryDelay   time.Duration // default 10 s
	DisableScheduling bool          // no cron editions (tests that trigger their own)
	Schedule          cron.Schedule // when editions are due; default DIGEST_CRON in DIGEST_TZ
	// Clock tells the schedule the time; default time.Now. Tests move it
	// past ticks rather than wait for them.
	Clock func() time.Time
	Lease time.Duration // of claimed deliveries; default editions.DefaultLease
	// Registry takes the worker's metrics; nil: the default registry,
	// which METRICS_ADDR serves.
	Registry prometheus.Registerer
}

// Worker is the background process.
type Worker struct {
	cfg      *config.Config
	db       *postgres.DB
	redis    asynq.RedisConnOpt
	mailer   editions.Mailer
	renderer *render.Renderer
	opts     Options
	log      *slog.Logger
}

// New assembles a worker from its dependencies.
func New(cfg *config.Config, db *postgres.DB, redis asynq.RedisConnOpt, mailer editions.Mailer, opts Options, log *slog.Logger) (*Worker, error) {
	r, err := render.New()
	if err != nil {
		return nil, err
	}
	if opts.Concurrency == 0 {
		opts.Concurrency = 8
	}
	if opts.ReconcileEvery == 0 {
		opts.ReconcileEvery = time.Minute
	}
	if opts.DelayedTaskCheck == 0 {
		opts.DelayedTaskCheck = 5 * time.Second
	}
	if opts.MaxRetryDelay == 0 {
		opts.MaxRetryDelay = 10 * time.Minute
	}
	if opts.Schedule == nil {
		opts.Schedule = cfg.DigestCron
	}
	if opts.FirstRetryDelay == 0 {
		opts.FirstRetryDelay = 10 * time.Second
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	return &Worker{cfg: cfg, db: db, redis: redis, mailer: mailer, renderer: r, opts: opts, log: log}, nil
}

// Run processes tasks until ctx ends, then shuts down gracefully: tasks in
// progress get longer than the SMTP timeout to finish.
func (w *Worker) Run(ctx context.Context) error {
	client := asynq.NewClient(w.redis)
	defer client.Close()
	inspect := asynq.NewInspector(w.redis)
	defer inspect.Close()

	srv := asynq.NewServer(w.redis, asynq.Config{
		Concurrency:              w.opts.Concurrency,
		Queues:                   tasks.Queues,
		DelayedTaskCheckInterval: w.opts.DelayedTaskCheck,
		ShutdownTimeout:          45 * time.Second,
		RetryDelayFunc:           w.retryDelay,
		Logger:                   asynqLogger{w.log},
	})
	mux := asynq.NewServeMux()
	var limiter editions.RateLimiter
	if w.cfg.SendRate > 0 {
		opt, err := redis.ParseURL(w.cfg.RedisURL)
		if err != nil {
			return fmt.Errorf("REDIS_URL: %w", err)
		}
		rdb := redis.NewClient(opt)
		defer rdb.Close()
		if limiter, err = mail.NewRateLimiter(rdb, "newsdigest:send-rate", w.cfg.SendRate); err != nil {
			return err
		}
	}
	tagger, err := tagging.NewTagger(taxonomy.Default())
	if err != nil {
		return fmt.Errorf("tagger: %w", err)
	}
	models := &tagging.Follower{Tagger: tagger, Store: w.db, Every: modelCheckEvery}
	if err := models.Refresh(ctx); err != nil {
		w.log.Warn("tag model not loaded; tagging with the rules alone", "err", err)
	}
	w.retrainIfNoModel(ctx, client)
	h := &handlers{
		tagger:  tagger,
		models:  models,
		db:      w.db,
		queue:   client,
		inspect: inspect,
		log:     w.log,
		editions: editions.New(editions.Deps{
			Config: w.cfg, Store: w.db, Queue: client, Inspector: inspect, Taxonomy: &taxonomy.Cache{Source: w.db},
			Renderer: w.renderer, Log: w.log, Mailer: w.mailer, Limiter: limiter, Lease: w.opts.Lease,
			Observe: deliveryCounter(w.opts.Registry), Schedule: w.opts.Schedule,
		}),
		cfg:      w.cfg,
		renderer: w.renderer,
		mailer:   w.mailer,
	}
	h.register(mux)
	if err := srv.Start(mux); err != nil {
		return fmt.Errorf("start asynq server: %w", err)
	}
	w.log.Info("worker started", "concurrency", w.opts.Concurrency)

	done := make(chan struct{})
	go func() {
		defer close(done)
		w.loop(ctx, client, h.editions)
	}()
	<-ctx.Done()
	<-done
	srv.Shutdown()
	w.log.Info("worker stopped")
	return nil
}

// loop makes the scheduled editions (editions.Service.RunSchedule) and
// asks for the periodic reconcile. The schedule is looked at on every
// turn, not only when the timer of the next tick fires: a tick that
// passed while no worker ran, while Redis refused, or while this loop was
// busy with something else is made at the next turn all the same.
func (w *Worker) loop(ctx context.Context, client *asynq.Client, ed *editions.Service) {
	reconcile := time.NewTicker(w.opts.ReconcileEvery)
	defer reconcile.Stop()
	w.enqueueReconcile(ctx, client, time.Now())
	schedule := func() {
		if !w.opts.DisableScheduling {
			ed.RunSchedule(ctx, w.opts.Clock())
		}
	}
	schedule()
	for {
		timer := time.NewTimer(time.Hour)
		var tick <-chan time.Time
		if !w.opts.DisableScheduling {
			now := w.opts.Clock()
			timer.Reset(max(0, ed.NextScheduled(now).Sub(now)))
			tick = timer.C
		}
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case now := <-reconcile.C:
			timer.Stop()
			w.enqueueReconcile(ctx, client, now)
		case <-tick:
		}
		schedule()
	}
}

func (w *Worker) enqueueReconcile(ctx context.Context, client *asynq.Client, now time.Time) {
	period := now.Truncate(w.opts.ReconcileEvery)
	if _, err := client.EnqueueContext(ctx, tasks.NewReconcile(period)); err != nil && !tasks.IsDuplicate(err) {
		w.log.Warn("enqueue reconcile", "err", err)
	}
}

// retryDelay backs off exponentially from FirstRetryDelay up to the cap.
func (w *Worker) retryDelay(n int, _ error, _ *asynq.Task) time.Duration {
	d := float64(w.opts.FirstRetryDelay) * math.Pow(2, float64(n))
	return time.Duration(math.Min(d, float64(w.opts.MaxRetryDelay)))
}

// deliveryCounter counts delivery attempts by how they ended. Workers in
// one process (tests run several) share the counter.
func deliveryCounter(reg prometheus.Registerer) func(status string) {
	if reg == nil {
		reg = prometheus.DefaultRegisterer
	}
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "newsdigest_deliveries_total",
		Help: "Delivery attempts by how they ended: sent, failed, skipped, or pending (to be tried again).",
	}, []string{"status"})
	if err := reg.Register(c); err != nil {
		var taken prometheus.AlreadyRegisteredError
		if errors.As(err, &taken) {
			c = taken.ExistingCollector.(*prometheus.CounterVec)
		}
	}
	// Every status shows from the start, at zero, so a dashboard's rate of
	// failures has a series before the first failure.
	for _, st := range []string{domain.DeliverySent, domain.DeliveryFailed, domain.DeliverySkipped, domain.DeliveryPending} {
		c.WithLabelValues(st)
	}
	return func(status string) { c.WithLabelValues(status).Inc() }
}

// NewPool is the production Mailer: pooled go-mail connections, signing
// with DKIM when it is configured.
func NewPool(cfg *config.Config) (*mail.Pool, error) {
	p, err := mail.NewPool(cfg.SMTP, cfg.MailFrom, cfg.SMTPConnections, mail.Timings{})
	if err != nil {
		return nil, err
	}
	p.SignWith(cfg.DKIM)
	return p, nil
}

// asynqLogger sends asynq's own logs to slog.
type asynqLogger struct{ l *slog.Logger }

func (a asynqLogger) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...)) }
func (a asynqLogger) Info(args ...any)  { a.l.Info(fmt.Sprint(args...)) }
func (a asynqLogger) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...)) }
func (a asynqLogger) Error(args ...any) { a.l.Error(fmt.Sprint(args...)) }
func (a asynqLogger) Fatal(args ...any) { a.l.Error(fmt.Sprint(args...)) }
