package app

import (
	"context"
	"log/slog"
	"time"

	"newsdigest/internal/config"
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
