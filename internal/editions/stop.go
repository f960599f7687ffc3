package editions

import (
	"context"

	"newsdigest/internal/domain"
)

type stopKey struct{}

// WithStop returns ctx carrying stop: once stop is closed (the worker was
// told to shut down), a batch hands no more of its claims to the mailer;
// the sends in flight finish, and the claims not begun are put back
// pending, so a worker that stops leaves no delivery claimed. ctx itself
// stays alive, so that nothing in flight is cut off.
func WithStop(ctx context.Context, stop <-chan struct{}) context.Context {
	return context.WithValue(ctx, stopKey{}, stop)
}

// stopOf is the stop channel ctx carries; nil (never ready) without one.
func stopOf(ctx context.Context) <-chan struct{} {
	stop, _ := ctx.Value(stopKey{}).(<-chan struct{})
	return stop
}

// stopping reports whether the worker running ctx's task was told to
// stop. A failure then may be the stop's own doing (the queue cancels a
// task that outlives the worker's shutdown timeout), so nothing is given
// up for good: the task, or the reconciler, runs it again.
func stopping(ctx context.Context) bool {
	select {
	case <-stopOf(ctx):
		return true
	default:
		return false
	}
}

// notBegun is the outcome of a claim a stopping worker did not send: back
// to pending, to be sent by whichever worker takes the batch next.
func notBegun(c domain.ClaimedDelivery) domain.DeliveryOutcome {
	return domain.DeliveryOutcome{ID: c.ID, Status: domain.DeliveryPending, Error: "not sent: the worker was stopping"}
}
