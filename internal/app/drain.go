package app

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Stopping is how a binary is told to stop, as cmd/web reads it from
// signals: Draining closes first (web fails /readyz from then on and
// still serves everything), Stop ends later (web stops taking
// connections and lets the requests in flight finish within
// SHUTDOWN_TIMEOUT).
type Stopping struct {
	// Draining is closed when the process was told to stop.
	Draining <-chan struct{}
	// Stop ends delay after Draining closed, or at once on a second
	// signal or on SIGINT.
	Stop context.Context
	// Release stops listening for signals: a signal after it kills the
	// process as it would any program.
	Release func()
}

// DrainOnSignal reads SIGTERM and SIGINT into a Stopping. A load balancer
// that polls /readyz needs to see it fail before the listener closes:
// between SIGTERM and the close it would otherwise send requests that are
// refused. SIGTERM (an orchestrator's stop) waits delay for it; SIGINT (a
// person at a terminal) and a second signal do not.
func DrainOnSignal(delay time.Duration, log *slog.Logger) Stopping {
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	draining := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		var first os.Signal
		select {
		case first = <-sig:
		case <-done:
			return
		}
		close(draining)
		if first == syscall.SIGTERM && delay > 0 {
			log.Info("draining: /readyz fails; stopping after the drain delay (a second signal stops now)",
				"signal", first.String(), "delay", delay.String())
			t := time.NewTimer(delay)
			select {
			case <-t.C:
			case <-sig:
				t.Stop()
			case <-done:
			}
		}
		cancel()
	}()
	return Stopping{Draining: draining, Stop: ctx, Release: func() {
		signal.Stop(sig)
		select {
		case <-done:
		default:
			close(done)
		}
		cancel()
	}}
}

// AtOnce is a context that ends with the first stop signal, without the
// drain delay, which is for a load balancer: for work that serves no
// request, such as web migrate.
func (s Stopping) AtOnce() (context.Context, context.CancelFunc) {
	return untilDraining(s.Stop, s.Draining)
}
