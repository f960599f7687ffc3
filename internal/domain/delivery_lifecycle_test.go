package domain

import (
	"fmt"
	"slices"
	"testing"

	"newsdigest/internal/errs"
)

// deliveryAllowed is every transition a delivery may take, written out
// by hand. Every other combination of event, state and outcome must be
// refused.
var deliveryAllowed = []struct {
	ev       DeliveryEvent
	from, to DeliveryState
}{
	{DeliveryWrite, DeliveryState{}, DeliveryState{Status: DeliveryPending}},
	{DeliveryWrite, DeliveryState{}, DeliveryState{Status: DeliverySkipped}},
	{DeliveryClaim, DeliveryState{Status: DeliveryPending}, DeliveryState{Status: DeliverySending}},
	// Left sending by a worker that died: another takes it over.
	{DeliveryClaim, DeliveryState{Status: DeliverySending, Lapsed: true}, DeliveryState{Status: DeliverySending}},
	{DeliveryRelease, DeliveryState{Status: DeliverySending}, DeliveryState{Status: DeliveryPending}},
	{DeliveryRelease, DeliveryState{Status: DeliverySending, Lapsed: true}, DeliveryState{Status: DeliveryPending}},
	{DeliveryCancel, DeliveryState{Status: DeliveryPending}, DeliveryState{Status: DeliverySkipped}},
	{DeliveryCancel, DeliveryState{Status: DeliverySending, Lapsed: true}, DeliveryState{Status: DeliverySkipped}},
	{DeliveryAbandon, DeliveryState{Status: DeliveryPending}, DeliveryState{Status: DeliverySkipped}},
	{DeliveryAbandon, DeliveryState{Status: DeliverySending, Lapsed: true}, DeliveryState{Status: DeliverySkipped}},
	{DeliveryRetry, DeliveryState{Status: DeliveryFailed, Failure: FailureTemporary}, DeliveryState{Status: DeliveryPending}},
	{DeliveryRetry, DeliveryState{Status: DeliveryFailed, Failure: FailureTemporary}, DeliveryState{Status: DeliverySkipped}},
	// A report came back about it: it left, whether its worker is alive
	// to record it or not.
	{DeliveryReported, DeliveryState{Status: DeliverySending}, DeliveryState{Status: DeliverySent}},
	{DeliveryReported, DeliveryState{Status: DeliverySending, Lapsed: true}, DeliveryState{Status: DeliverySent}},
}

func init() {
	// An attempt ends in any way, from a delivery taken (its lease held,
	// or lapsed while the message was being sent).
	outcomes := []DeliveryState{{Status: DeliverySent}, {Status: DeliverySkipped}, {Status: DeliveryPending},
		{Status: DeliveryFailed, Failure: FailureTemporary}, {Status: DeliveryFailed, Failure: FailurePermanent},
		{Status: DeliveryFailed, Failure: FailureUncertain}}
	for _, lapsed := range []bool{false, true} {
		for _, o := range outcomes {
			deliveryAllowed = append(deliveryAllowed, struct {
				ev       DeliveryEvent
				from, to DeliveryState
			}{DeliveryRecord, DeliveryState{Status: DeliverySending, Lapsed: lapsed}, o})
		}
	}
}

// deliveryStates is every state a delivery can be in and the state of
// one not written yet; with impossible, also a few that no delivery can
// be in (a failed one without its kind of failure, a pending one with
// one), which no event may lead to.
func deliveryStates(impossible bool) []DeliveryState {
	out := []DeliveryState{{}}
	for _, s := range DeliveryStatuses {
		switch s {
		case DeliveryFailed:
			for _, f := range DeliveryFailures {
				out = append(out, DeliveryState{Status: s, Failure: f})
			}
			if impossible {
				out = append(out, DeliveryState{Status: s})
			}
		case DeliverySending:
			out = append(out, DeliveryState{Status: s}, DeliveryState{Status: s, Lapsed: true})
		default:
			out = append(out, DeliveryState{Status: s})
			if impossible {
				out = append(out, DeliveryState{Status: s, Failure: FailurePermanent})
			}
		}
	}
	return out
}

func TestDeliveryTransitions(t *testing.T) {
	for _, ev := range DeliveryEvents {
		for _, from := range deliveryStates(false) {
			for _, to := range deliveryStates(true) {
				if to.Status == "" || to.Lapsed {
					continue // no event writes these
				}
				name := fmt.Sprintf("%s %s(%s,lapsed=%v) to %s(%s)", ev, from.Status, from.Failure, from.Lapsed, to.Status, to.Failure)
				allowed := false
				for _, a := range deliveryAllowed {
					allowed = allowed || a.ev == ev && a.from == from && a.to == to
				}
				err := CheckDelivery(from, ev, to)
				switch {
				case allowed && err != nil:
					t.Errorf("%s: refused: %v", name, err)
				case !allowed && err == nil:
					t.Errorf("%s: allowed, want refused", name)
				case !allowed && !errs.Is(err, errs.Conflict):
					t.Errorf("%s: refused with %v, want a conflict", name, err)
				}
			}
		}
	}
}

// DeliveryRule, the condition storage checks in one statement, lets a
// delivery start exactly where CheckDelivery does.
func TestDeliveryRuleAgreesWithCheckDelivery(t *testing.T) {
	for _, ev := range DeliveryEvents {
		from, lapsed, failure := DeliveryRule(ev)
		for _, s := range deliveryStates(false) {
			inRule := slices.Contains(from, string(s.Status)) || s.Lapsed && slices.Contains(lapsed, string(s.Status))
			if failure != "" && string(s.Failure) != failure {
				inRule = false
			}
			starts := false
			for _, a := range deliveryAllowed {
				starts = starts || a.ev == ev && a.from == s
			}
			if inRule != starts {
				t.Errorf("%s from %+v: DeliveryRule %v, allowed transitions %v", ev, s, inRule, starts)
			}
		}
	}
}

func TestOnlyATemporaryFailureIsRetried(t *testing.T) {
	for _, f := range DeliveryFailures {
		if got, want := f.Retryable(), f == FailureTemporary; got != want {
			t.Errorf("%s: retryable %v, want %v", f, got, want)
		}
	}
	if got := UnfinishedDeliveryStatuses(); !slices.Equal(got, []string{DeliveryPending, DeliverySending}) {
		t.Errorf("unfinished statuses %v", got)
	}
}
