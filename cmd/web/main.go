// Command web serves newsdigest's public pages, JSON API, health checks
// and metrics. It applies database migrations at start; `web migrate`
// applies them and exits.
package main

import (
	"fmt"
	"log/slog"
	"os"
	"strings"

	"newsdigest/internal/app"
	"newsdigest/internal/config"
	"newsdigest/internal/logs"
)

func main() {
	cfg, err := app.LoadConfig(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "config:", err)
		os.Exit(2)
	}
	log := logs.New(os.Stderr, cfg.LogFormat)
	// On SIGTERM /readyz fails at once, and web goes on serving for
	// SHUTDOWN_DRAIN_DELAY (a load balancer's time to notice) before it
	// stops taking connections and drains within SHUTDOWN_TIMEOUT.
	stopping := app.DrainOnSignal(cfg.ShutdownDrainDelay, log)
	defer stopping.Release()
	ctx := stopping.Stop

	// A command is one word: `web migrate now` is a mistake to point
	// out, not a migration to run.
	switch cmd := strings.Join(os.Args[1:], " "); cmd {
	case "", "serve":
		err = (&app.Web{Config: cfg, Log: log, Draining: stopping.Draining}).Run(ctx)
	case "migrate":
		err = migrate(stopping, cfg, log)
	default:
		fmt.Fprintf(os.Stderr, "usage: web [serve|migrate]\nunknown command %q\n", cmd)
		os.Exit(2)
	}
	if err != nil {
		log.Error("web stopped", "err", err)
		os.Exit(1)
	}
}

// migrate applies the migrations; a stop signal ends it at once, and
// before PostgreSQL answered it is no failure: nothing had started.
func migrate(stopping app.Stopping, cfg *config.Config, log *slog.Logger) error {
	ctx, cancel := stopping.AtOnce()
	defer cancel()
	db, err := app.OpenDatabase(ctx, cfg, log)
	if err != nil {
		if ctx.Err() != nil {
			log.Info("web migrate stopped before PostgreSQL answered")
			return nil
		}
		return err
	}
	defer db.Close()
	return db.Migrate(ctx, log)
}
