// Package worker runs newsdigest's background work on asynq: each task
// calls one service (the confirmation and notice mails, the weekly
// schedule, edition compile and delivery, feed polling, the tagger's
// retraining), and a loop makes the scheduled editions and asks for the
// reconciler, which re-queues whatever Postgres says is unfinished.
package worker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/robfig/cron/v3"

	"newsdigest/internal/config"
	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/items"
	"newsdigest/internal/mail"
	"newsdigest/internal/metrics"
	"newsdigest/internal/subscribers"
	"newsdigest/internal/tasks"
)

// Options tune timings that tests shorten; zero values take the defaults.
// Schedule, Lease and Registry shape the editions service, which the
// wiring (package app) builds with them.
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

// Services are what the worker's tasks call, and nothing below them. The
// wiring (package app) builds them with the worker's queue client, Queue,
// which the worker also asks for its periodic reconcile with.
type Services struct {
	Subscribers *subscribers.Service
	Editions    *editions.Service
	Items       *items.Service
	Queue       *asynq.Client
}

// Worker is the background process.
type Worker struct {
	cfg     *config.Config
	svc     Services
	redis   asynq.RedisConnOpt
	opts    Options
	log     *slog.Logger
	metrics *metrics.Set
}

// New assembles a worker from its dependencies.
func New(cfg *config.Config, svc Services, redis asynq.RedisConnOpt, opts Options, log *slog.Logger) *Worker {
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
	if opts.FirstRetryDelay == 0 {
		opts.FirstRetryDelay = 10 * time.Second
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	set := metrics.For(opts.Registry)
	set.TaskTypes(taskTypes...)
	return &Worker{cfg: cfg, svc: svc, redis: redis, opts: opts, log: log, metrics: set}
}

// Run processes tasks until ctx ends, then shuts down gracefully: it
// takes no more tasks, a batch being sent hands no more messages to the
// relay and puts its other claims back, and the tasks in progress get
// SHUTDOWN_TIMEOUT, longer than the SMTP timeout, to finish; what is
// still running then is cut off and queued again.
func (w *Worker) Run(ctx context.Context) error {
	srv := asynq.NewServer(w.redis, asynq.Config{
		Concurrency:              w.opts.Concurrency,
		Queues:                   tasks.Queues,
		DelayedTaskCheckInterval: w.opts.DelayedTaskCheck,
		ShutdownTimeout:          cmp.Or(w.cfg.ShutdownTimeout, config.DefaultShutdownTimeout),
		RetryDelayFunc:           w.retryDelay,
		IsFailure:                isFailure,
		Logger:                   asynqLogger{w.log},
	})
	mux := asynq.NewServeMux()
	mux.Use(w.observe(ctx.Done()))
	w.svc.Items.Start(ctx)
	h := &handlers{Services: w.svc, log: w.log}
	h.register(mux)
	if err := srv.Start(mux); err != nil {
		return fmt.Errorf("start asynq server: %w", err)
	}
	w.log.Info("worker started", "concurrency", w.opts.Concurrency)

	done := make(chan struct{})
	go func() {
		defer close(done)
		w.loop(ctx, w.svc.Queue, w.svc.Editions)
	}()
	// An edition cancelled, paused or failed stops this worker's batches
	// of it at once, not at their next look; the batches that finish
	// while the worker stops are told too.
	follow, unfollow := context.WithCancel(context.WithoutCancel(ctx))
	following := make(chan struct{})
	go func() {
		defer close(following)
		w.svc.Editions.FollowHalts(follow)
	}()
	<-ctx.Done()
	w.log.Info("worker stopping: no new tasks; finishing the sends in flight", "timeout", cmp.Or(w.cfg.ShutdownTimeout, config.DefaultShutdownTimeout).String())
	<-done
	srv.Shutdown()
	unfollow()
	<-following
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
	// Readers with their own schedule: looked for every DUE_CHECK_EVERY.
	due := time.NewTicker(cmp.Or(w.cfg.DueCheckEvery, config.DefaultDueCheckEvery))
	defer due.Stop()
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
		case <-due.C:
			timer.Stop()
			if !w.opts.DisableScheduling {
				if err := ed.RunDue(ctx, w.opts.Clock()); err != nil {
					w.log.Warn("due check; the next one tries again", "err", err)
				}
			}
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

// DeliveryCounter counts delivery attempts by how they ended, for the
// editions service to tell (editions.Deps.Observe). Workers in one
// process (tests run several) share the counter.
func DeliveryCounter(reg prometheus.Registerer) func(status string) {
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

// SendLimiter paces sending at SEND_RATE messages a second, shared by
// every worker through Redis; nil (and a close that does nothing) when
// the rate is unlimited.
func SendLimiter(cfg *config.Config) (limiter editions.RateLimiter, close func() error, err error) {
	if cfg.SendRate <= 0 {
		return nil, func() error { return nil }, nil
	}
	rc := cfg.Redis
	if rc == nil {
		if rc, err = config.ParseRedis(cfg.RedisURL); err != nil {
			return nil, nil, fmt.Errorf("REDIS_URL: %w", err)
		}
	}
	rdb := rc.Client()
	l, err := mail.NewRateLimiter(rdb, "newsdigest:send-rate", cfg.SendRate)
	if err != nil {
		rdb.Close()
		return nil, nil, err
	}
	return l, rdb.Close, nil
}

// NewPool is the production Mailer: pooled go-mail connections, signing
// with DKIM when it is configured.
func NewPool(cfg *config.Config) (*mail.Pool, error) {
	p, err := mail.NewPool(cfg.SMTP, cfg.MailFrom, cfg.SMTPConnections, mail.Timings{Step: cfg.SMTPTimeout})
	if err != nil {
		return nil, err
	}
	p.SignWith(cfg.DKIM)
	// No mail goes out that Gmail would clip: a digest over it is made
	// smaller by the sender (editions/fit.go).
	p.LimitSize(mail.ClipBytes)
	return p, nil
}

// asynqLogger sends asynq's own logs to slog.
type asynqLogger struct{ l *slog.Logger }

func (a asynqLogger) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...)) }
func (a asynqLogger) Info(args ...any)  { a.l.Info(fmt.Sprint(args...)) }
func (a asynqLogger) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...)) }
func (a asynqLogger) Error(args ...any) { a.l.Error(fmt.Sprint(args...)) }
func (a asynqLogger) Fatal(args ...any) { a.l.Error(fmt.Sprint(args...)) }
