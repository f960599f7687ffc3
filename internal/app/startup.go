package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"newsdigest/internal/config"
	"newsdigest/internal/mail"
	"newsdigest/internal/postgres"
)

// LoadConfig reads the settings as config.Load does, and DATABASE_URL as
// the pool will read it (postgres.CheckURL), so that the programs refuse
// any bad setting before they start, naming it.
func LoadConfig(getenv func(string) string) (*config.Config, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, err
	}
	if err := postgres.CheckURL(cfg.DatabaseURL); err != nil {
		return nil, err
	}
	return cfg, nil
}

// Waits between tries to reach PostgreSQL at start: short at first, for a
// database a moment behind, then a steady few seconds.
const (
	firstDatabaseRetry = 500 * time.Millisecond
	maxDatabaseRetry   = 5 * time.Second
)

// OpenDatabase connects to PostgreSQL, waiting for it while it does not
// answer: on a host that boots, or a deploy that starts everything at
// once, web and the worker may be up before the database is, and exiting
// would leave their start to a restart policy's growing back-off. Each
// wait is logged with its reason. A refusal that waiting will not mend (a
// wrong password, no such database) is returned at once, as is ctx's end.
func OpenDatabase(ctx context.Context, cfg *config.Config, log *slog.Logger) (*postgres.DB, error) {
	wait := firstDatabaseRetry
	for {
		db, err := postgres.Open(ctx, cfg.DatabaseURL, cfg.SecretKey, cfg.PreviousSecretKeys()...)
		if err == nil {
			return db, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !postgres.Unreachable(err) {
			return nil, err
		}
		log.Warn("waiting for PostgreSQL", "err", err, "retry_in", wait.String())
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, maxDatabaseRetry)
	}
}

// untilDraining is ctx, ended too when draining closes (a stop signal
// read by DrainOnSignal; nil never closes).
func untilDraining(ctx context.Context, draining <-chan struct{}) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	if draining != nil {
		go func() {
			select {
			case <-draining:
				cancel()
			case <-ctx.Done(): // cancel called: the wait is over
			}
		}()
	}
	return ctx, cancel
}

// How often a worker started on a database behind its migrations looks
// again, and how often it says so again after the first time.
const (
	schemaRecheck  = time.Second
	schemaLogEvery = 30 * time.Second
)

// migrated reports whether db holds every migration this binary needs:
// nil, or the error that says where the database stands.
func migrated(db *postgres.DB) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		s, err := db.Schema(ctx)
		if err != nil {
			return err
		}
		return s.Err()
	}
}

// refusedByRedis is REDIS_URL's error when Redis, asked at start,
// refuses it in a way no wait will mend: a database number it does not
// have, a wrong user or password. A Redis that does not answer yet, or
// answers that it is loading or failing over, is nil: the readiness
// checks say so and wait for it, as for PostgreSQL.
func refusedByRedis(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	err := pingRedis(ctx, url)
	var refusal redis.Error
	if !errors.As(err, &refusal) {
		return nil
	}
	for _, passing := range []string{"LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "CLUSTERDOWN", "READONLY"} {
		if strings.HasPrefix(err.Error(), passing) {
			return nil
		}
	}
	return fmt.Errorf("REDIS_URL: Redis refuses it: %w", err)
}

// pingRedis asks the Redis url names whether it answers, through a
// client of its own.
func pingRedis(ctx context.Context, url string) error {
	rc, err := config.ParseRedis(url)
	if err != nil {
		return fmt.Errorf("REDIS_URL: %w", err)
	}
	rdb := rc.Client()
	defer rdb.Close()
	return rdb.Ping(ctx).Err()
}

// warnRelaySilent says at start, without holding it up, when the SMTP
// relay does not greet (a mistyped host or port, a relay down): the
// worker keeps trying each mail, and would say so only then.
func warnRelaySilent(ctx context.Context, relay config.SMTP, log *slog.Logger) {
	if err := mail.Greet(ctx, relay); err != nil && ctx.Err() == nil {
		log.Warn("SMTP_URL: the relay does not answer; mail waits and is tried again until it does",
			"relay", net.JoinHostPort(relay.Host, strconv.Itoa(relay.Port)), "err", err)
	}
}

// WaitForSchema returns once db holds every migration this binary needs.
// A worker started before `web migrate` has run (a new database, or an
// upgrade whose migrations have not yet been applied) would otherwise
// work on tables that are not there yet, or not yet as it needs them. It
// says so at once, with the version the database is at and the one
// needed, then every schemaLogEvery while it waits. A database ahead of
// this binary (a newer version's migrations) does not hold it up. A
// PostgreSQL that stops answering meanwhile is waited for too; any other
// error is returned, as is ctx's end.
func WaitForSchema(ctx context.Context, db *postgres.DB, log *slog.Logger) error {
	var said time.Time
	for {
		s, err := db.Schema(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		switch {
		case err != nil && !postgres.Unreachable(err):
			return err
		case err == nil && !s.Behind():
			if !said.IsZero() {
				log.Info("database migrated", "database_version", s.Current)
			}
			if s.Ahead() {
				log.Warn(s.AheadWarning())
			}
			return nil
		case time.Since(said) >= schemaLogEvery:
			if err != nil {
				log.Warn("waiting for PostgreSQL", "err", err)
			} else {
				log.Warn("waiting for the database to be migrated (web migrate)", "err", s.Err(),
					"database_version", s.Current, "needed_version", s.Latest)
			}
			said = time.Now()
		}
		t := time.NewTimer(schemaRecheck)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}
