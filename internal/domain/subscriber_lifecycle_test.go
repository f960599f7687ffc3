package domain

import (
	"fmt"
	"slices"
	"testing"

	"newsdigest/internal/errs"
)

// subscriberAllowed is every transition a subscriber may take, written
// out by hand as event: from → to. Status "" is a subscriber not stored
// yet (for a purge: deleted). Every other pair of event and status must
// be refused.
var subscriberAllowed = map[SubscriberEvent]map[SubscriberStatus]SubscriberStatus{
	// A sign-up of an erased address makes a new subscriber (from ""):
	// the erased row is no one's and stays as it is.
	// A reader who complained may sign up again: the confirmation proves
	// they want it.
	SubscriberSignUp: {"": StatusPending, StatusPending: StatusPending, StatusUnsubscribed: StatusPending,
		StatusComplained: StatusPending, StatusActive: StatusActive, StatusBounced: StatusBounced, StatusSuppressed: StatusSuppressed},
	SubscriberConfirm: {StatusPending: StatusActive},
	SubscriberChange:  {StatusPending: StatusPending, StatusActive: StatusActive},
	SubscriberPause:   {StatusActive: StatusActive},
	SubscriberLeave: {StatusPending: StatusUnsubscribed, StatusActive: StatusUnsubscribed,
		StatusUnsubscribed: StatusUnsubscribed, StatusBounced: StatusBounced, StatusSuppressed: StatusSuppressed,
		StatusComplained: StatusComplained},
	SubscriberUnsubscribe: {StatusPending: StatusUnsubscribed, StatusActive: StatusUnsubscribed},
	SubscriberSuppress: {StatusPending: StatusSuppressed, StatusActive: StatusSuppressed,
		StatusUnsubscribed: StatusSuppressed, StatusBounced: StatusSuppressed, StatusComplained: StatusSuppressed},
	SubscriberErase: {StatusPending: StatusErased, StatusActive: StatusErased, StatusUnsubscribed: StatusErased,
		StatusBounced: StatusErased, StatusSuppressed: StatusErased, StatusComplained: StatusErased},
	SubscriberBounce: {StatusPending: StatusBounced, StatusActive: StatusBounced},
	SubscriberImport: {"": StatusActive},
	SubscriberPurge:  {StatusPending: ""},
	SubscriberComplain: {StatusPending: StatusComplained, StatusActive: StatusComplained,
		StatusUnsubscribed: StatusComplained, StatusComplained: StatusComplained},
}

func TestSubscriberTransitions(t *testing.T) {
	statuses := []SubscriberStatus{""}
	for _, s := range Statuses {
		statuses = append(statuses, SubscriberStatus(s))
	}
	for _, ev := range SubscriberEvents {
		for _, from := range statuses {
			t.Run(fmt.Sprintf("%s from %q", ev, from), func(t *testing.T) {
				want, allowed := subscriberAllowed[ev][from]
				got, err := NextSubscriber(from, ev)
				switch {
				case allowed && err != nil:
					t.Fatalf("refused: %v", err)
				case allowed && got != want:
					t.Fatalf("leads to %q, want %q", got, want)
				case !allowed && err == nil:
					t.Fatalf("allowed (to %q), want refused", got)
				case !allowed && !errs.Is(err, errs.Conflict):
					t.Fatalf("refused with %v, want a conflict", err)
				}
				if inRule := slices.Contains(SubscriberFrom(ev), string(from)); from != "" && inRule != allowed {
					t.Errorf("SubscriberFrom allows it: %v", inRule)
				}
			})
		}
	}
}

// The refusals an operator or a reader meets keep their words: the
// console shows them in Spanish by their format.
func TestSubscriberRefusalsSayWhy(t *testing.T) {
	for _, c := range []struct {
		from SubscriberStatus
		ev   SubscriberEvent
		want string
	}{
		{StatusSuppressed, SubscriberSuppress, "the subscriber is suppressed already"},
		{StatusErased, SubscriberErase, "the subscriber is erased already"},
		{StatusBounced, SubscriberUnsubscribe, "a subscriber who is bounced cannot be made unsubscribed"},
		{StatusErased, SubscriberSuppress, "a subscriber who is erased cannot be made suppressed"},
		{StatusUnsubscribed, SubscriberChange, "this address is not subscribed; subscribe again from the front page"},
		{StatusPending, SubscriberPause, "only an active subscription can be paused or resumed"},
		{StatusErased, SubscriberConfirm, "a subscriber who is erased cannot confirm"},
	} {
		_, err := NextSubscriber(c.from, c.ev)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s from %s: %v, want %q", c.ev, c.from, err, c.want)
		}
	}
}

func TestOperatorActions(t *testing.T) {
	for _, c := range []struct {
		action string
		status string
		want   bool
	}{
		{ActionUnsubscribe, StatusActive, true},
		{ActionUnsubscribe, StatusBounced, false},
		{ActionSuppress, StatusBounced, true},
		{ActionSuppress, StatusSuppressed, false},
		{ActionErase, StatusSuppressed, true},
		{ActionErase, StatusErased, false},
		{"confirm", StatusPending, false}, // not an operator's action
	} {
		if got := ActionAllowed(c.action, c.status); got != c.want {
			t.Errorf("%s on %s: %v, want %v", c.action, c.status, got, c.want)
		}
	}
	if !Mailable(SubscriberStatus(StatusUnsubscribed)) || Mailable(StatusBounced) {
		t.Error("an unsubscribed person may ask for their data by mail; a bounced address is not mailed")
	}
}
