// Package health logs what the readiness probes find. A probe's answer
// names only the check that failed ("redis": "unavailable"): it is
// served to whoever can reach it, and a cause may name hosts, users or
// databases. An orchestrator takes a process out of service on that
// answer alone, so the cause has to be in the log, where the operator
// looks first.
package health

import (
	"log/slog"
	"sync"
	"time"
)

// DefaultRepeat is how often a check that keeps failing is logged again:
// a probe comes every few seconds, and one line a minute keeps the cause
// in sight without filling the log.
const DefaultRepeat = time.Minute

// Reporter logs each readiness check's result as it changes: a check that
// starts failing at once, with its error; again at most every Repeat
// while it fails; and once when it passes again. It is safe for
// concurrent probes.
type Reporter struct {
	log    *slog.Logger
	repeat time.Duration

	mu      sync.Mutex
	failing map[string]time.Time // check → when its failure was last logged
}

// NewReporter returns a Reporter writing to log; repeat 0 is DefaultRepeat.
func NewReporter(log *slog.Logger, repeat time.Duration) *Reporter {
	if repeat <= 0 {
		repeat = DefaultRepeat
	}
	return &Reporter{log: log, repeat: repeat, failing: map[string]time.Time{}}
}

// Report records what check found: nil when it passed. A nil Reporter
// reports nothing.
func (r *Reporter) Report(check string, err error) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	was, failed := r.failing[check]
	if err == nil {
		if failed {
			delete(r.failing, check)
			r.log.Info("ready again", "check", check)
		}
		return
	}
	// While it keeps failing, whatever the error says: its text may
	// change at every probe (a local port, a timeout's figure).
	now := time.Now()
	if failed && now.Sub(was) < r.repeat {
		return
	}
	r.failing[check] = now
	r.log.Warn("not ready", "check", check, "err", err)
}
