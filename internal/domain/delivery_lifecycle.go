package domain

import (
	"fmt"
	"slices"

	"newsdigest/internal/errs"
)

// DeliveryStatus is where one reader's digest of an edition is:
//
//	pending ──→ sending ──→ sent | failed | skipped
//	   ↑           │
//	   └───────────┘ (a temporary failure, or a batch that gave it back)
//
// A bounce or complaint about a delivery still sending also makes it
// sent (DeliveryReported): the message left.
//
// pending and sending are unfinished; the rest are final, but for a
// failure that was temporary, which a retry puts back to pending (or
// skips, when its reader has left). A failure is temporary, permanent or
// uncertain (DeliveryFailure); only a temporary one is sent again.
// deliveryRules holds every rule; CheckDelivery applies them.
type DeliveryStatus string

// The delivery statuses (DeliveryStatus). pending and sending are
// unfinished; the rest are final.
const (
	DeliveryPending = "pending"
	DeliverySending = "sending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"
	DeliverySkipped = "skipped"
)

// DeliveryStatuses lists every delivery status.
var DeliveryStatuses = []DeliveryStatus{DeliveryPending, DeliverySending, DeliverySent, DeliveryFailed, DeliverySkipped}

// Unfinished reports whether a delivery in this status is still to be
// sent: pending, or sending.
func (s DeliveryStatus) Unfinished() bool { return s == DeliveryPending || s == DeliverySending }

// DeliveryFailure says how a failed delivery failed. Only a temporary
// failure may be sent again.
type DeliveryFailure string

// How a delivery fails (DeliveryFailure).
const (
	// FailureTemporary: 4xx replies or network errors before the whole
	// message had left, until the retries ran out. Nothing was delivered.
	FailureTemporary = "temporary"
	// FailurePermanent: the relay refused with a 5xx reply; sending again
	// would be refused the same way.
	FailurePermanent = "permanent"
	// FailureUncertain: the connection failed after the whole message had
	// left and before the relay's reply. It may have been delivered, so it
	// is never sent again: that could double it.
	FailureUncertain = "uncertain"
)

// DeliveryFailures lists every kind of failure, in the order the console
// shows them.
var DeliveryFailures = []DeliveryFailure{FailureTemporary, FailurePermanent, FailureUncertain}

// Retryable reports whether a delivery that failed so may be sent again.
func (f DeliveryFailure) Retryable() bool { return f == FailureTemporary }

// DeliveryEvent is something that happens to a delivery.
type DeliveryEvent string

// What can happen to a delivery.
const (
	// DeliveryWrite: the compile writes it, pending when its reader has a
	// digest, skipped when nothing matched, they paused, or the edition
	// was cancelled meanwhile.
	DeliveryWrite DeliveryEvent = "write"
	// DeliveryClaim: a sender takes it, pending or left sending by a
	// worker whose lease lapsed.
	DeliveryClaim DeliveryEvent = "claim"
	// DeliveryRelease: a sender gives it back untried.
	DeliveryRelease DeliveryEvent = "release"
	// DeliveryRecord: an attempt ended: sent, failed, skipped (the reader
	// left, the edition was cancelled, its stories withdrawn), or pending
	// to be tried again.
	DeliveryRecord DeliveryEvent = "record"
	// DeliveryCancel: its edition was cancelled before it was taken.
	DeliveryCancel DeliveryEvent = "cancel"
	// DeliveryAbandon: its edition's compile failed; nothing more of it is
	// sent. One being sent under a live claim is left to its batch, which
	// records what it sent and skips the rest.
	DeliveryAbandon DeliveryEvent = "abandon"
	// DeliveryRetry: it failed temporarily and is sent again, or skipped
	// when its reader is no longer active.
	DeliveryRetry DeliveryEvent = "retry"
	// DeliveryReported: a bounce or complaint came back about it while it
	// was still sending: the message left, though its sender has not
	// said so (it died before recording it, or is about to record it).
	// It is sent, so that whoever takes over its lapsed claim does not
	// send it again.
	DeliveryReported DeliveryEvent = "report"
)

// DeliveryEvents lists every delivery event.
var DeliveryEvents = []DeliveryEvent{DeliveryWrite, DeliveryClaim, DeliveryRelease, DeliveryRecord,
	DeliveryCancel, DeliveryAbandon, DeliveryRetry, DeliveryReported}

// DeliveryState is what decides which events a delivery may take. Status
// "" is a delivery not written yet; Lapsed marks a sending one whose
// lease ran out (its worker is gone).
type DeliveryState struct {
	Status  DeliveryStatus
	Failure DeliveryFailure // of a failed one
	Lapsed  bool
}

// deliveryRule is one event's rule: the statuses it starts from, those
// it starts from only once their lease lapsed, the failure a failed one
// must have, and the statuses it may lead to.
type deliveryRule struct {
	from    []DeliveryStatus
	lapsed  []DeliveryStatus
	failure DeliveryFailure
	to      []DeliveryStatus
}

var deliveryRules = map[DeliveryEvent]deliveryRule{
	DeliveryWrite:   {from: []DeliveryStatus{""}, to: []DeliveryStatus{DeliveryPending, DeliverySkipped}},
	DeliveryClaim:   {from: []DeliveryStatus{DeliveryPending}, lapsed: []DeliveryStatus{DeliverySending}, to: []DeliveryStatus{DeliverySending}},
	DeliveryRelease: {from: []DeliveryStatus{DeliverySending}, to: []DeliveryStatus{DeliveryPending}},
	DeliveryRecord: {from: []DeliveryStatus{DeliverySending},
		to: []DeliveryStatus{DeliverySent, DeliveryFailed, DeliverySkipped, DeliveryPending}},
	DeliveryCancel:  {from: []DeliveryStatus{DeliveryPending}, lapsed: []DeliveryStatus{DeliverySending}, to: []DeliveryStatus{DeliverySkipped}},
	DeliveryAbandon: {from: []DeliveryStatus{DeliveryPending}, lapsed: []DeliveryStatus{DeliverySending}, to: []DeliveryStatus{DeliverySkipped}},
	DeliveryRetry: {from: []DeliveryStatus{DeliveryFailed}, failure: FailureTemporary,
		to: []DeliveryStatus{DeliveryPending, DeliverySkipped}},
	DeliveryReported: {from: []DeliveryStatus{DeliverySending}, to: []DeliveryStatus{DeliverySent}},
}

// CheckDelivery says whether ev may take a delivery from s to to: nil,
// or an errs.Conflict saying why not. A failed delivery carries how it
// failed, and no other does.
func CheckDelivery(s DeliveryState, ev DeliveryEvent, to DeliveryState) error {
	r, ok := deliveryRules[ev]
	if !ok {
		return fmt.Errorf("delivery: unknown event %q", ev)
	}
	from := slices.Contains(r.from, s.Status) || s.Lapsed && slices.Contains(r.lapsed, s.Status)
	if from && r.failure != "" && s.Failure != r.failure {
		from = false
	}
	if !from {
		what := string(s.Status)
		switch {
		case s.Status == "":
			what = "not written"
		case s.Status == DeliveryFailed:
			what = "failed (" + string(s.Failure) + ")"
		case s.Status == DeliverySending && !s.Lapsed && len(r.lapsed) > 0:
			what = "sending, its lease held"
		}
		return errs.New(errs.Conflict, "a delivery that is %s cannot %s", what, string(ev))
	}
	if !slices.Contains(r.to, to.Status) {
		return errs.New(errs.Conflict, "%s cannot make a delivery %s", string(ev), string(to.Status))
	}
	if (to.Status == DeliveryFailed) != (to.Failure != "") || to.Failure != "" && !slices.Contains(DeliveryFailures, to.Failure) {
		return errs.New(errs.Conflict, "a delivery is failed with a kind of failure, and only then (here %s, %q)",
			string(to.Status), string(to.Failure))
	}
	return nil
}

// DeliveryRule is an event's rule as storage checks it when it records
// the event in one statement (a compare-and-set): the statuses a delivery
// must be in, those it may be in once its lease lapsed, and how a failed
// one must have failed ("" for any).
func DeliveryRule(ev DeliveryEvent) (from, lapsed []string, failure string) {
	r := deliveryRules[ev]
	for _, s := range r.from {
		from = append(from, string(s))
	}
	for _, s := range r.lapsed {
		lapsed = append(lapsed, string(s))
	}
	return from, lapsed, string(r.failure)
}

// UnfinishedDeliveryStatuses are the statuses of a delivery still to be
// sent.
func UnfinishedDeliveryStatuses() []string {
	var out []string
	for _, s := range DeliveryStatuses {
		if s.Unfinished() {
			out = append(out, string(s))
		}
	}
	return out
}
