// Package app wires the binaries: configuration to pools to services to
// servers, and back down on shutdown. cmd/web and cmd/worker call it, and
// so do the end-to-end tests, which run both on random ports.
package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"newsdigest/internal/config"
	"newsdigest/internal/metrics"
	"newsdigest/internal/postgres"
	"newsdigest/internal/web"
	"newsdigest/internal/worker"
)

// Web is the web binary.
type Web struct {
	Config   *config.Config
	Log      *slog.Logger
	Registry prometheus.Registerer // nil: the default registry
	Listener net.Listener          // nil: listen on Config.HTTPAddr
	// MetricsListener serves the metrics; nil: listen on
	// Config.MetricsAddr, else config.DefaultWebMetricsAddr.
	MetricsListener net.Listener
	// BounceHTTPClient fetches SNS signing certificates; nil: the
	// default, with its timeout. Tests point it at a server of their own.
	BounceHTTPClient *http.Client
	// Draining, when it closes, makes /readyz fail while every request is
	// still served, until ctx ends (Stopping.Draining); nil: /readyz fails
	// only when ctx ends.
	Draining <-chan struct{}
}

// Run migrates the database, serves until ctx ends, then drains requests.
// Ended before PostgreSQL answered, it returns nil: nothing had started.
func (m *Web) Run(ctx context.Context) error {
	// The listeners first: a port another program holds stops web before
	// it has waited for PostgreSQL or migrated a database it cannot serve.
	l, err := listen(m.Listener, "HTTP_ADDR", m.Config.HTTPAddr)
	if err != nil {
		return err
	}
	defer l.Close()
	ml, err := listen(m.MetricsListener, "METRICS_ADDR", cmp.Or(m.Config.MetricsAddr, config.DefaultWebMetricsAddr))
	if err != nil {
		return err
	}
	defer ml.Close()
	// Nothing is served while web waits for PostgreSQL, so a stop signal
	// then ends it at once, without the drain delay a load balancer needs.
	waiting, stopWaiting := untilDraining(ctx, m.Draining)
	db, err := OpenDatabase(waiting, m.Config, m.Log)
	// Whether a stop ended the wait is read before stopWaiting, which
	// ends waiting too: a refusal (no such database or role) is an error
	// to exit 1 with, not a stop.
	stopped := err != nil && waiting.Err() != nil && errors.Is(err, waiting.Err())
	stopWaiting()
	if err != nil {
		if stopped {
			m.Log.Info("web stopped before PostgreSQL answered")
			return nil
		}
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx, m.Log); err != nil {
		return err
	}
	redis, err := RedisOpt(m.Config.RedisURL)
	if err != nil {
		return err
	}
	if err := refusedByRedis(ctx, m.Config.RedisURL); err != nil {
		return err
	}
	reg := m.Registry
	if reg == nil {
		reg = prometheus.DefaultRegisterer
	}
	queue := asynq.NewClient(redis)
	defer queue.Close()
	srv, err := m.newServer(db, queue, redis, reg)
	if err != nil {
		return err
	}
	defer srv.Close()
	for _, w := range m.Config.Warnings() {
		m.Log.Warn(w)
	}
	m.Log.Info("web listening", "addr", l.Addr().String(), "metrics_addr", ml.Addr().String(),
		"base_url", m.Config.BaseURL.String())
	public := newHTTPServer(srv.Handler())
	go func() {
		select {
		case <-m.Draining:
			srv.Drain()
			// Answers say Connection: close, so that clients holding a
			// connection open take their next request elsewhere.
			public.SetKeepAlivesEnabled(false)
			m.Log.Info("web draining: /readyz fails, requests are still served")
		case <-ctx.Done():
		}
	}()
	err = serveThen(ctx, m.Config.ShutdownTimeout, srv.Drain,
		site{public, l}, site{newHTTPServer(srv.MetricsHandler()), ml})
	if err == nil {
		m.Log.Info("web stopped: every request in flight answered")
	}
	return err
}

// newServer builds the web app on its pools: the services, the relays'
// webhooks and the server. The caller closes the server.
func (m *Web) newServer(db *postgres.DB, queue *asynq.Client, redis asynq.RedisConnOpt, reg prometheus.Registerer) (*web.Server, error) {
	// The relays' bounce webhooks arrive here: their counters are
	// served with the HTTP metrics.
	counters := metrics.For(reg)
	svc, err := newServices(m.Config, db, queue, m.Log, counters, nil)
	if err != nil {
		return nil, err
	}
	bounces, err := bounceWebhooks(m.Config, svc.bounces, m.BounceHTTPClient, m.Log)
	if err != nil {
		return nil, err
	}
	return web.NewServer(m.Config, web.Services{
		Subscribers: svc.subscribers, Editions: svc.editions, Items: svc.items, Staff: svc.staff, Overview: svc.overview,
		Taxonomy: svc.taxonomy, Ready: db.Ping, Migrated: migrated(db), Bounces: bounces, Clicks: svc.clicks,
		ListNames: svc.listNames,
	}, redis, reg, m.Log)
}

// listen returns l, or else a listener on addr; the error names the
// variable addr came from.
func listen(l net.Listener, variable, addr string) (net.Listener, error) {
	if l != nil {
		return l, nil
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", variable, err)
	}
	return l, nil
}

// newHTTPServer bounds how long a client may take, so slow or stalled
// ones cannot hold connections open.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

// site is a server and the listener it answers on.
type site struct {
	hs *http.Server
	l  net.Listener
}

// serve runs each site until ctx ends or one of them fails, then lets
// the requests in flight finish, for up to timeout.
func serve(ctx context.Context, timeout time.Duration, sites ...site) error {
	return serveThen(ctx, timeout, nil, sites...)
}

// serveThen is serve, calling stopping (when not nil) at the end, before
// the listeners close: web's /readyz fails from then on, for the
// requests already on their way.
func serveThen(ctx context.Context, timeout time.Duration, stopping func(), sites ...site) error {
	errc := make(chan error, len(sites))
	for _, s := range sites {
		go func() { errc <- s.hs.Serve(s.l) }()
	}
	var err error
	select {
	case err = <-errc: // a listener failed: stop the rest too
	case <-ctx.Done():
	}
	if stopping != nil {
		stopping()
	}
	// Shutdown closes the listeners at once (a new connection is
	// refused), closes idle connections, and waits for the requests in
	// flight.
	shutdown, cancel := context.WithTimeout(context.Background(), cmp.Or(timeout, config.DefaultShutdownTimeout))
	defer cancel()
	for _, s := range sites {
		if e := s.hs.Shutdown(shutdown); e != nil && !errors.Is(e, http.ErrServerClosed) {
			err = cmp.Or(err, e)
		}
	}
	return err
}

// Worker is the worker binary.
type Worker struct {
	Config  *config.Config
	Log     *slog.Logger
	Options worker.Options
	// MetricsListener serves the default Prometheus registry; nil: listen
	// on Config.MetricsAddr, and serve none when that is empty.
	MetricsListener net.Listener
	// BounceListener takes DSNs and complaint reports; nil: listen on
	// Config.Bounce.SMTPAddr, and take none when that is empty.
	BounceListener net.Listener
}

// Run processes background tasks until ctx ends. Ended before PostgreSQL
// answered, it returns nil: nothing had started.
func (m *Worker) Run(ctx context.Context) error {
	// The metrics listener first: a port another program holds stops the
	// worker at once, and a probe that only connects (the chart's
	// liveness) finds it alive while it waits for PostgreSQL.
	ml := m.MetricsListener
	if ml == nil && m.Config.MetricsAddr != "" {
		var err error
		if ml, err = listen(nil, "METRICS_ADDR", m.Config.MetricsAddr); err != nil {
			return err
		}
	}
	if ml != nil {
		defer ml.Close()
	}
	// Every process that writes subscribers knows how erased addresses
	// are hashed, whatever it does today.
	db, err := OpenDatabase(ctx, m.Config, m.Log)
	if err != nil {
		if ctx.Err() != nil {
			m.Log.Info("worker stopped before PostgreSQL answered")
			return nil
		}
		return err
	}
	defer db.Close()
	for _, w := range m.Config.Warnings() {
		m.Log.Warn(w)
	}
	redis, err := RedisOpt(m.Config.RedisURL)
	if err != nil {
		return err
	}
	if err := refusedByRedis(ctx, m.Config.RedisURL); err != nil {
		return err
	}
	// The probes answer from here on: /readyz says why the worker is not
	// ready while it waits for the migrations below.
	stopProbes := func() {}
	if ml != nil {
		if stopProbes, err = m.serveProbes(ctx, ml, db); err != nil {
			return err
		}
		defer stopProbes()
	}
	if err := WaitForSchema(ctx, db, m.Log); err != nil {
		if ctx.Err() != nil {
			m.Log.Info("worker stopped before the database was migrated")
			return nil
		}
		return err
	}
	pool, err := worker.NewPool(m.Config)
	if err != nil {
		return err
	}
	defer pool.Close()
	go warnRelaySilent(ctx, m.Config.SMTP, m.Log)
	queue := asynq.NewClient(redis)
	defer queue.Close()
	inspector := asynq.NewInspector(redis)
	defer inspector.Close()
	limiter, closeLimiter, err := worker.SendLimiter(m.Config)
	if err != nil {
		return err
	}
	defer closeLimiter()
	set := metrics.For(m.Options.Registry)
	mailer := worker.CountReplies(pool, set)
	svc, err := newServices(m.Config, db, queue, m.Log, set, &sending{
		mailer: mailer, inspector: inspector, limiter: limiter, observe: worker.DeliveryCounter(m.Options.Registry),
		polled: set.FeedPoll, lease: m.Options.Lease, schedule: m.Options.Schedule,
	})
	if err != nil {
		return err
	}
	// Every mail's From line names the list as the desk set it for the
	// mail's language.
	pool.NameFrom(svc.listNames.Name)
	if err := registerWorkerGauges(m.Options.Registry, inspector, svc); err != nil {
		return err
	}
	w := worker.New(m.Config, worker.Services{
		Subscribers: svc.subscribers, Editions: svc.editions, Items: svc.items, Queue: queue,
	}, redis, m.Options, m.Log)
	bl, err := startBounceListener(m.Config, m.BounceListener, svc.bounces, m.Log)
	if err != nil {
		return err
	}
	defer func() {
		if err := bl.stop(); err != nil {
			m.Log.Error("bounce listener", "err", err)
		}
	}()
	err = w.Run(ctx)
	// The probes stop before what they read from closes.
	stopProbes()
	return err
}

// serveProbes serves the metrics and the probes on ml until ctx ends or
// stop is called; stop waits for them to end, and may be called again.
func (m *Worker) serveProbes(ctx context.Context, ml net.Listener, db *postgres.DB) (stop func(), err error) {
	rc := m.Config.Redis
	if rc == nil {
		if rc, err = config.ParseRedis(m.Config.RedisURL); err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
	}
	rdb := rc.Client()
	m.Log.Info("worker metrics listening", "addr", ml.Addr().String())
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer rdb.Close()
		// A metrics listener that fails is logged, not fatal: delivering
		// the mail matters more than counting it.
		if err := serve(ctx, m.Config.ShutdownTimeout, site{newHTTPServer(workerProbes(db, rdb, promhttp.Handler(), m.Log)), ml}); err != nil {
			m.Log.Error("worker metrics stopped", "err", err)
		}
	}()
	return func() {
		cancel()
		<-done
	}, nil
}

// RedisOpt reads REDIS_URL for asynq.
func RedisOpt(url string) (asynq.RedisConnOpt, error) {
	r, err := config.ParseRedis(url)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	return asynqOpt(r), nil
}

// asynqOpt is REDIS_URL as asynq connects: one server, a master found
// through Sentinel (with failover), or a Cluster.
func asynqOpt(r *config.Redis) asynq.RedisConnOpt {
	switch r.Kind {
	case config.RedisSentinel:
		return asynq.RedisFailoverClientOpt{MasterName: r.MasterName, SentinelAddrs: r.Addrs,
			SentinelPassword: r.SentinelPassword, Username: r.Username, Password: r.Password, DB: r.DB, TLSConfig: r.TLS}
	case config.RedisCluster:
		return asynq.RedisClusterClientOpt{Addrs: r.Addrs, Username: r.Username, Password: r.Password, TLSConfig: r.TLS}
	}
	o := r.Single
	network := o.Network
	if network == "" {
		network = "tcp"
	}
	return asynq.RedisClientOpt{Network: network, Addr: o.Addr, Username: o.Username, Password: o.Password,
		DB: o.DB, TLSConfig: o.TLSConfig}
}

// Check reports whether Postgres and Redis answer within a few seconds,
// and the database holds every migration this version needs.
func Check(ctx context.Context, cfg *config.Config) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	db, err := postgres.Open(ctx, cfg.DatabaseURL, cfg.SecretKey, cfg.PreviousSecretKeys()...)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrated(db)(ctx); err != nil {
		return err
	}
	if err := pingRedis(ctx, cfg.RedisURL); err != nil {
		return fmt.Errorf("redis: %w", err)
	}
	return nil
}
