// Command worker runs newsdigest's background work: confirmation mail,
// the weekly edition schedule, compile and delivery. Several may run at
// once against the same Postgres and Redis. `worker check` tests that
// Postgres and Redis answer and exits (a container health check).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"newsdigest/internal/app"
	"newsdigest/internal/logs"
)

func main() {
	cfg, err := app.LoadConfig(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "config:", err)
		os.Exit(2)
	}
	log := logs.New(os.Stderr, cfg.LogFormat)
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Anything but no argument or `check` is refused: a mistyped health
	// check must not start a worker that takes tasks and sends mail.
	switch args := os.Args[1:]; {
	case len(args) == 0:
	case len(args) == 1 && args[0] == "check":
		if err := app.Check(ctx, cfg); err != nil {
			// Through the logger: with LOG_FORMAT=json a health check's
			// output is JSON like every other line.
			log.Error("check failed", "err", err)
			os.Exit(1)
		}
		return
	default:
		fmt.Fprintf(os.Stderr, "usage: worker [check]\nunknown command %q\n", strings.Join(args, " "))
		os.Exit(2)
	}
	if err := (&app.Worker{Config: cfg, Log: log}).Run(ctx); err != nil {
		log.Error("worker stopped", "err", err)
		os.Exit(1)
	}
}

// tuneGC trades memory the worker does not need for CPU it does: sending
// allocates fast (every message is built anew) while the live heap is
// small, so the default GOGC=100 collects far more often than memory
// requires. Unless the operator set GOGC or GOMEMLIMIT, collect at four
// times the live heap, with a soft ceiling of 192 MiB to keep the worker
// small.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(192 << 20)
}
