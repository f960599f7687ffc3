package domain

import (
	"fmt"
	"slices"

	"newsdigest/internal/errs"
)

// EditionStatus is where an edition is in its life:
//
//	queued ──→ compiling ──→ sending ──→ done
//	   └───────────┴──→ failed   │  ↑     │
//	                    pause ↓  │ resume │
//	                          paused      │
//	                            sending ←─┘ (retry)
//
// A sending edition pauses by itself when its bounces or complaints pass
// their limit (PauseCause); an editor resumes it or cancels it.
// An editor may cancel an edition that is queued, compiling or sending: it
// keeps its status, marked cancelled by its reason, until nothing of it is
// in flight, and then settles done. A scheduled tick missed by more than
// DIGEST_LATE_LIMIT makes an edition that is done from the start
// (skipped). editionRules holds every rule; NextEdition applies them.
type EditionStatus string

// The edition statuses (EditionStatus), in the order an edition passes
// through them. They are untyped, so code that reads a status as text
// compares with them as it is.
const (
	EditionQueued    = "queued"
	EditionCompiling = "compiling"
	EditionSending   = "sending"
	// EditionPaused: sending stopped by itself, its bounces or complaints
	// over their limit; no delivery of it is claimed until an editor
	// resumes it.
	EditionPaused = "paused"
	EditionDone   = "done"
	EditionFailed = "failed"
)

// EditionStatuses lists every edition status.
var EditionStatuses = []EditionStatus{EditionQueued, EditionCompiling, EditionSending, EditionPaused, EditionDone, EditionFailed}

// Reasons an edition ends without going out to everyone (Edition.Reason).
const (
	// ReasonCancelled: an editor stopped it. What it sent stays sent; it
	// publishes nothing, and its stories go to the readers who did not
	// get them, in the next edition.
	ReasonCancelled = "cancelled"
	// ReasonSkippedPrefix begins the reason of a scheduled edition that no
	// worker could make within DIGEST_LATE_LIMIT of its tick: it is
	// recorded done with nothing sent, and the stories it would have held
	// go into the next edition.
	ReasonSkippedPrefix = "skipped: "
)

// EditionEvent is something that happens to an edition.
type EditionEvent string

// What can happen to an edition.
const (
	// EditionCreate makes an edition, for a tick or at an editor's word.
	EditionCreate EditionEvent = "create"
	// EditionSkip records the edition of a tick missed past
	// DIGEST_LATE_LIMIT: done from the start, nothing sent.
	EditionSkip EditionEvent = "skip"
	// EditionCompile begins its compile, or begins it again after a crash.
	EditionCompile EditionEvent = "compile"
	// EditionCompiled: its deliveries are written and may be sent.
	EditionCompiled EditionEvent = "compiled"
	// EditionFail: its compile failed for good; nothing of it is sent.
	EditionFail EditionEvent = "fail"
	// EditionFinish: every delivery of it has finished.
	EditionFinish EditionEvent = "finish"
	// EditionCancel: an editor stops it.
	EditionCancel EditionEvent = "cancel"
	// EditionSettle: nothing of a cancelled edition is in flight any more.
	EditionSettle EditionEvent = "settle"
	// EditionRetry: its temporarily failed deliveries are sent again.
	EditionRetry EditionEvent = "retry"
	// EditionPause: its bounces or complaints passed their limit while it
	// was sending; it stops by itself.
	EditionPause EditionEvent = "pause"
	// EditionResume: an editor lets a paused edition send again.
	EditionResume EditionEvent = "resume"
)

// EditionEvents lists every edition event.
var EditionEvents = []EditionEvent{EditionCreate, EditionSkip, EditionCompile, EditionCompiled, EditionFail,
	EditionFinish, EditionCancel, EditionSettle, EditionRetry, EditionPause, EditionResume}

// editionVerbs say what each event does, for a refusal: "edition 3 is
// done: it cannot start sending".
var editionVerbs = map[EditionEvent]string{
	EditionCreate: "be made", EditionSkip: "be recorded as skipped", EditionCompile: "be compiled",
	EditionCompiled: "start sending", EditionFail: "fail", EditionFinish: "finish", EditionCancel: "be cancelled",
	EditionSettle: "settle", EditionRetry: "retry", EditionPause: "pause", EditionResume: "resume",
}

// EditionState is what decides which events an edition may take: its
// status, and whether an editor cancelled it. Status "" is an edition
// not made yet.
type EditionState struct {
	Status    EditionStatus
	Cancelled bool
}

// State is the edition's place in its lifecycle.
func (e Edition) State() EditionState {
	return EditionState{Status: e.Status, Cancelled: e.Cancelled()}
}

// editionRule is one event's rule: the statuses it starts from, whether
// it is for a cancelled edition (EditionSettle) or only for one not
// cancelled (every other), and the status it leads to ("" keeps it).
type editionRule struct {
	from      []EditionStatus
	cancelled bool
	to        EditionStatus
}

var editionRules = map[EditionEvent]editionRule{
	EditionCreate:   {from: []EditionStatus{""}, to: EditionQueued},
	EditionSkip:     {from: []EditionStatus{""}, to: EditionDone},
	EditionCompile:  {from: []EditionStatus{EditionQueued, EditionCompiling}, to: EditionCompiling},
	EditionCompiled: {from: []EditionStatus{EditionCompiling}, to: EditionSending},
	EditionFail:     {from: []EditionStatus{EditionQueued, EditionCompiling}, to: EditionFailed},
	EditionFinish:   {from: []EditionStatus{EditionSending}, to: EditionDone},
	// A cancelled edition keeps its status until it settles: a compile
	// may be writing deliveries, a batch may be sending.
	EditionCancel: {from: []EditionStatus{EditionQueued, EditionCompiling, EditionSending, EditionPaused}},
	EditionSettle: {from: []EditionStatus{EditionQueued, EditionCompiling, EditionSending, EditionPaused}, cancelled: true, to: EditionDone},
	// A retry that puts deliveries back sends again, even a done edition;
	// one that only skips them (their readers left) leaves it as it is.
	EditionRetry: {from: []EditionStatus{EditionSending, EditionDone}, to: EditionSending},
	// Only a sending edition pauses: what is queued or compiling has sent
	// nothing to judge by.
	EditionPause:  {from: []EditionStatus{EditionSending}, to: EditionPaused},
	EditionResume: {from: []EditionStatus{EditionPaused}, to: EditionSending},
}

// NextEdition says where ev takes edition id from state s: the state it
// leads to, or an errs.Conflict saying why the event is refused.
func NextEdition(id int64, s EditionState, ev EditionEvent) (EditionState, error) {
	r, ok := editionRules[ev]
	if !ok {
		return s, fmt.Errorf("edition %d: unknown event %q", id, ev)
	}
	switch {
	case ev == EditionCancel && s.Cancelled:
		return s, errs.New(errs.Conflict, "edition %d is cancelled already", id)
	case ev == EditionCancel && !slices.Contains(r.from, s.Status):
		return s, errs.New(errs.Conflict, "edition %d is %s: only a queued, compiling, sending or paused edition can be cancelled", id, string(s.Status))
	case ev == EditionResume && !s.Cancelled && s.Status != EditionPaused:
		return s, errs.New(errs.Conflict, "edition %d is %s: only a paused edition can be resumed", id, string(s.Status))
	case ev == EditionRetry && s.Cancelled:
		return s, errs.New(errs.Conflict, "edition %d was cancelled: its failures are not retried", id)
	case ev == EditionRetry && !slices.Contains(r.from, s.Status):
		return s, errs.New(errs.Conflict, "edition %d is %s: only a sending or done edition has failures to retry", id, string(s.Status))
	case r.cancelled && !s.Cancelled:
		return s, errs.New(errs.Conflict, "edition %d is not cancelled: there is nothing to settle", id)
	case !r.cancelled && s.Cancelled:
		return s, errs.New(errs.Conflict, "edition %d was cancelled: it can only settle, not %s", id, editionVerbs[ev])
	case !slices.Contains(r.from, s.Status):
		if s.Status == "" {
			return s, errs.New(errs.Conflict, "edition %d does not exist yet: it cannot %s", id, editionVerbs[ev])
		}
		return s, errs.New(errs.Conflict, "edition %d is %s: it cannot %s", id, string(s.Status), editionVerbs[ev])
	}
	next := s
	if r.to != "" {
		next.Status = r.to
	}
	if ev == EditionCancel {
		next.Cancelled = true
	}
	return next, nil
}

// EditionRule is an event's rule as storage checks it when it records the
// event in one statement (a compare-and-set): the statuses the edition
// must be in, whether it must be cancelled (else it must not be), and the
// status it takes ("" keeps it).
func EditionRule(ev EditionEvent) (from []string, cancelled bool, to string) {
	r := editionRules[ev]
	for _, s := range r.from {
		from = append(from, string(s))
	}
	return from, r.cancelled, string(r.to)
}

// Finished reports whether nothing about an edition in this status will
// change by itself: done or failed.
func (s EditionStatus) Finished() bool { return s == EditionDone || s == EditionFailed }

// UnfinishedEditionStatuses are the statuses of an edition that some work
// is still to move on: the reconciler looks at these.
func UnfinishedEditionStatuses() []string {
	var out []string
	for _, s := range EditionStatuses {
		if !s.Finished() {
			out = append(out, string(s))
		}
	}
	return out
}

// Published reports whether an edition in state s has gone out to its
// readers, so that its stories are public (the archive, the feeds): it
// is sending or done, and no editor cancelled it.
func (s EditionState) Published() bool {
	return (s.Status == EditionSending || s.Status == EditionDone) && !s.Cancelled
}

// PublishingStatuses are the statuses of an edition that has gone out
// unless it was cancelled (EditionState.Published).
func PublishingStatuses() []string { return []string{EditionSending, EditionDone} }

// Void reports whether an edition in state s publishes nothing and gave
// none of its stories to anyone for good: its compile failed, or an
// editor cancelled it. Its stories go into the next edition.
func (s EditionState) Void() bool { return s.Status == EditionFailed || s.Cancelled }
