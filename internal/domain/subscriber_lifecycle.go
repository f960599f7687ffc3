package domain

import (
	"fmt"
	"slices"

	"newsdigest/internal/errs"
)

// SubscriberStatus is where a person is on the list:
//
//	(sign-up) → pending ──→ active ──→ unsubscribed ──→ (sign-up) pending
//	                           ├──→ bounced
//	(import) → active          ├──→ suppressed
//	                           └──→ complained ──→ (sign-up) pending
//
// and every status but erased may be erased. A bounced or suppressed
// address stays so: no sign-up or import revives it. An erased person is
// no one any more: a new sign-up of the address starts a new subscriber.
// An active subscriber may be paused (Subscriber.PausedUntil): still
// active, skipped by the editions made before the pause ends.
// subscriberRules holds every rule; NextSubscriber applies them.
type SubscriberStatus string

// The subscriber statuses (SubscriberStatus).
const (
	StatusPending      = "pending"
	StatusActive       = "active"
	StatusUnsubscribed = "unsubscribed"
	StatusBounced      = "bounced"
	// StatusSuppressed: an operator stopped all mail to the address for
	// good; like bounced, no sign-up or import revives it.
	StatusSuppressed = "suppressed"
	// StatusComplained: the reader reported a digest as spam (a feedback
	// loop's report, a relay's complaint notice). Nothing more is sent;
	// only their own confirmed sign-up brings them back, never an import.
	StatusComplained = "complained"
	StatusErased     = "erased"
)

// ErasedAddressPrefix begins what an erased person's address becomes:
// the keyed hash of the address after it ("erased:9f…"), which no one
// can read back.
const ErasedAddressPrefix = "erased:"

// Statuses lists every subscriber status, in the order a person moves
// through them.
var Statuses = []string{StatusPending, StatusActive, StatusUnsubscribed, StatusBounced, StatusSuppressed, StatusComplained, StatusErased}

// IsStatus reports whether s is a subscriber status.
func IsStatus(s string) bool { return slices.Contains(Statuses, s) }

// ListPaused is what a list of subscribers may be filtered by besides
// their statuses: the active readers whose pause has not ended.
const ListPaused = "paused"

// ListStatuses are what a list of subscribers may be filtered by, in the
// order a person moves through them: the statuses and ListPaused.
var ListStatuses = []string{StatusPending, StatusActive, ListPaused, StatusUnsubscribed, StatusBounced, StatusSuppressed,
	StatusComplained, StatusErased}

// MailableStatuses are the statuses of a person who may be mailed about
// their own subscription when they ask (a link to a copy of their data):
// everyone but a bounced address, which refuses mail, a suppressed one,
// which the desk stopped mailing for good, and the erased.
var MailableStatuses = []string{StatusPending, StatusActive, StatusUnsubscribed}

// Mailable reports whether status is one of MailableStatuses.
func Mailable[S ~string](status S) bool { return slices.Contains(MailableStatuses, string(status)) }

// Operator actions on a subscriber, named as their consent records are;
// each is the event of the same name (SubscriberEvent).
const (
	ActionUnsubscribe = "unsubscribe"
	ActionSuppress    = "suppress"
	ActionErase       = "erase"
)

// SubscriberEvent is something that happens to a subscriber.
type SubscriberEvent string

// What can happen to a subscriber.
const (
	// SubscriberSignUp: someone asks for the address by the form or the
	// API. A new or unsubscribed address becomes pending, a pending one
	// stays so with the new choices; an active one stays as it is (its
	// owner is mailed their preferences link), and a bounced or
	// suppressed one too, silently.
	SubscriberSignUp SubscriberEvent = "sign-up"
	// SubscriberConfirm: the inbox's owner follows the confirmation link.
	SubscriberConfirm SubscriberEvent = "confirm"
	// SubscriberChange: the person changes their choices.
	SubscriberChange SubscriberEvent = "change"
	// SubscriberPause: the person pauses their digests, or resumes them.
	SubscriberPause SubscriberEvent = "pause"
	// SubscriberLeave: the person unsubscribes by their link. Doing it
	// again, or once mail has stopped otherwise, changes nothing.
	SubscriberLeave SubscriberEvent = "leave"
	// SubscriberUnsubscribe: an operator unsubscribes them.
	SubscriberUnsubscribe SubscriberEvent = ActionUnsubscribe
	// SubscriberSuppress: an operator stops all mail to the address.
	SubscriberSuppress SubscriberEvent = ActionSuppress
	// SubscriberErase: the person, or an operator, erases them.
	SubscriberErase SubscriberEvent = ActionErase
	// SubscriberBounce: their hard bounces reached BOUNCE_LIMIT, or a
	// report after the send says the address does not exist (a pending
	// address too, when its confirmation bounced: nothing more goes to it).
	SubscriberBounce SubscriberEvent = "bounce"
	// SubscriberComplain: they reported a digest as spam.
	SubscriberComplain SubscriberEvent = "complain"
	// SubscriberImport: an operator's list adds a new address as active.
	SubscriberImport SubscriberEvent = "import"
	// SubscriberPurge: a sign-up never confirmed is deleted once its link
	// has lapsed. A sign-up of an address that had left or complained is
	// not: whoever asked may not be the person, so when its link lapses
	// the address goes back to the status it had before (kept with it
	// while it waits; the store's ReturnLapsedSignUps), a step this
	// table cannot write, since where it leads is the row's own.
	SubscriberPurge SubscriberEvent = "purge"
)

// SubscriberEvents lists every subscriber event.
var SubscriberEvents = []SubscriberEvent{SubscriberSignUp, SubscriberConfirm, SubscriberChange, SubscriberPause,
	SubscriberLeave, SubscriberUnsubscribe, SubscriberSuppress, SubscriberErase, SubscriberBounce, SubscriberImport,
	SubscriberPurge, SubscriberComplain}

// purged is the "status" a purge leads to: the subscriber is deleted.
const purged SubscriberStatus = ""

// subscriberRules maps, per event, each status it may start from to the
// status it leads to. Status "" is a subscriber not stored yet (or, for
// SubscriberPurge, deleted).
var subscriberRules = map[SubscriberEvent]map[SubscriberStatus]SubscriberStatus{
	SubscriberSignUp: {"": StatusPending, StatusPending: StatusPending, StatusUnsubscribed: StatusPending, StatusComplained: StatusPending,
		StatusActive: StatusActive, StatusBounced: StatusBounced, StatusSuppressed: StatusSuppressed},
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
	// A complaint stops mail to whoever made it, whatever they were; a
	// bounced or suppressed address gets no mail to complain about.
	SubscriberComplain: {StatusPending: StatusComplained, StatusActive: StatusComplained,
		StatusUnsubscribed: StatusComplained, StatusComplained: StatusComplained},
	SubscriberPurge: {StatusPending: purged},
}

// NextSubscriber says where ev takes a subscriber from status s: the
// status it leads to, or an errs.Conflict saying why the event is refused.
func NextSubscriber(s SubscriberStatus, ev SubscriberEvent) (SubscriberStatus, error) {
	rule, ok := subscriberRules[ev]
	if !ok {
		return s, fmt.Errorf("subscriber: unknown event %q", ev)
	}
	if to, ok := rule[s]; ok {
		return to, nil
	}
	switch ev {
	case SubscriberUnsubscribe, SubscriberSuppress, SubscriberErase:
		to := map[SubscriberEvent]string{SubscriberUnsubscribe: StatusUnsubscribed,
			SubscriberSuppress: StatusSuppressed, SubscriberErase: StatusErased}[ev]
		if string(s) == to {
			return s, errs.New(errs.Conflict, "the subscriber is %s already", string(s))
		}
		return s, errs.New(errs.Conflict, "a subscriber who is %s cannot be made %s", string(s), to)
	case SubscriberChange:
		return s, errs.New(errs.Conflict, "this address is not subscribed; subscribe again from the front page")
	case SubscriberPause:
		return s, errs.New(errs.Conflict, "only an active subscription can be paused or resumed")
	}
	if s == "" {
		return s, errs.New(errs.Conflict, "a subscriber not stored yet cannot %s", string(ev))
	}
	return s, errs.New(errs.Conflict, "a subscriber who is %s cannot %s", string(s), string(ev))
}

// SubscriberFrom lists the statuses ev may start from (leaving out a
// subscriber not stored yet), as storage checks them when it records the
// event in one statement (a compare-and-set).
func SubscriberFrom(ev SubscriberEvent) []string {
	var out []string
	for _, s := range Statuses {
		if _, ok := subscriberRules[ev][SubscriberStatus(s)]; ok {
			out = append(out, s)
		}
	}
	return out
}

// SubscriberTo is the status ev leads to from s, when it is allowed.
func SubscriberTo(s SubscriberStatus, ev SubscriberEvent) (SubscriberStatus, bool) {
	to, ok := subscriberRules[ev][s]
	return to, ok
}

// IsAction reports whether action is one of the operator actions.
func IsAction(action string) bool {
	return action == ActionUnsubscribe || action == ActionSuppress || action == ActionErase
}

// ActionAllowed reports whether an operator may take action on a
// subscriber in status s.
func ActionAllowed[S ~string](action string, s S) bool {
	if !IsAction(action) {
		return false
	}
	_, ok := SubscriberTo(SubscriberStatus(s), SubscriberEvent(action))
	return ok
}
