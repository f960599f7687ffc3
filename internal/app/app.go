// Package app wires the binaries: configuration to pools to services to
// servers, and back down on shutdown. cmd/web and cmd/worker call it, and
// so do the end-to-end tests, which run both on random ports.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"

	"newsdigest/internal/config"
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
}

// Run migrates the database, serves until ctx ends, then drains requests.
func (m *Web) Run(ctx context.Context) error {
	db, err := postgres.Open(ctx, m.Config.DatabaseURL)
	if err != nil {
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
	reg := m.Registry
	if reg == nil {
		reg = prometheus.DefaultRegisterer
	}
	srv, err := web.NewServer(m.Config, db, redis, reg, m.Log)
	if err != nil {
		return err
	}
	defer srv.Close()
	l := m.Listener
	if l == nil {
		if l, err = net.Listen("tcp", m.Config.HTTPAddr); err != nil {
			return fmt.Errorf("HTTP_ADDR: %w", err)
		}
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(l) }()
	m.Log.Info("web listening", "addr", l.Addr().String(), "base_url", m.Config.BaseURL.String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Worker is the worker binary.
type Worker struct {
	Config  *config.Config
	Log     *slog.Logger
	Options worker.Options
}

// Run processes background tasks until ctx ends.
func (m *Worker) Run(ctx context.Context) error {
	db, err := postgres.Open(ctx, m.Config.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	redis, err := RedisOpt(m.Config.RedisURL)
	if err != nil {
		return err
	}
	pool, err := worker.NewPool(m.Config)
	if err != nil {
		return err
	}
	defer pool.Close()
	w, err := worker.New(m.Config, db, redis, pool, m.Options, m.Log)
	if err != nil {
		return err
	}
	return w.Run(ctx)
}

// RedisOpt reads REDIS_URL for asynq.
func RedisOpt(url string) (asynq.RedisConnOpt, error) {
	opt, err := asynq.ParseRedisURI(url)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	return opt, nil
}

// Check reports whether Postgres and Redis answer within a few seconds.
func Check(ctx context.Context, cfg *config.Config) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	redis, err := RedisOpt(cfg.RedisURL)
	if err != nil {
		return err
	}
	insp := asynq.NewInspector(redis)
	defer insp.Close()
	if _, err := insp.Queues(); err != nil {
		return fmt.Errorf("redis: %w", err)
	}
	return nil
}
