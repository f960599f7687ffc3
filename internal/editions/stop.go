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

// notBegun is the outcome of a claim a stopping worker did not send: back
// to pending, to be sent by whichever worker takes the batch next.
func notBegun(c domain.ClaimedDelivery) domain.DeliveryOutcome {
	return domain.DeliveryOutcome{ID: c.ID, Status: domain.DeliveryPending, Error: "not sent: the worker was stopping"}
}
