package domain

import (
	"fmt"
	"testing"

	"newsdigest/internal/errs"
)

// editionAllowed is every transition an edition may take, written out by
// hand: the event, the state it starts from, and the state it leads to.
// Every other pair of event and state must be refused.
var editionAllowed = []struct {
	ev       EditionEvent
	from, to EditionState
}{
	{EditionCreate, EditionState{}, EditionState{Status: EditionQueued}},
	{EditionSkip, EditionState{}, EditionState{Status: EditionDone}},
	{EditionCompile, EditionState{Status: EditionQueued}, EditionState{Status: EditionCompiling}},
	// A compile that crashed starts again.
	{EditionCompile, EditionState{Status: EditionCompiling}, EditionState{Status: EditionCompiling}},
	{EditionCompiled, EditionState{Status: EditionCompiling}, EditionState{Status: EditionSending}},
	{EditionFail, EditionState{Status: EditionQueued}, EditionState{Status: EditionFailed}},
	{EditionFail, EditionState{Status: EditionCompiling}, EditionState{Status: EditionFailed}},
	{EditionFinish, EditionState{Status: EditionSending}, EditionState{Status: EditionDone}},
	{EditionCancel, EditionState{Status: EditionQueued}, EditionState{Status: EditionQueued, Cancelled: true}},
	{EditionCancel, EditionState{Status: EditionCompiling}, EditionState{Status: EditionCompiling, Cancelled: true}},
	{EditionCancel, EditionState{Status: EditionSending}, EditionState{Status: EditionSending, Cancelled: true}},
	{EditionSettle, EditionState{Status: EditionQueued, Cancelled: true}, EditionState{Status: EditionDone, Cancelled: true}},
	{EditionSettle, EditionState{Status: EditionCompiling, Cancelled: true}, EditionState{Status: EditionDone, Cancelled: true}},
	{EditionSettle, EditionState{Status: EditionSending, Cancelled: true}, EditionState{Status: EditionDone, Cancelled: true}},
	{EditionRetry, EditionState{Status: EditionSending}, EditionState{Status: EditionSending}},
	// Retrying a done edition's temporary failures sends it again: the
	// one way back from done.
	{EditionRetry, EditionState{Status: EditionDone}, EditionState{Status: EditionSending}},
	// Too many bounces or complaints pause a sending edition; an editor
	// resumes it, or cancels it, and then it settles.
	{EditionPause, EditionState{Status: EditionSending}, EditionState{Status: EditionPaused}},
	{EditionResume, EditionState{Status: EditionPaused}, EditionState{Status: EditionSending}},
	{EditionCancel, EditionState{Status: EditionPaused}, EditionState{Status: EditionPaused, Cancelled: true}},
	{EditionSettle, EditionState{Status: EditionPaused, Cancelled: true}, EditionState{Status: EditionDone, Cancelled: true}},
}

// editionStates is every state an edition can be in, and the state of an
// edition not made yet.
func editionStates() []EditionState {
	out := []EditionState{{}}
	for _, s := range EditionStatuses {
		out = append(out, EditionState{Status: s}, EditionState{Status: s, Cancelled: true})
	}
	return out
}

func TestEditionTransitions(t *testing.T) {
	for _, ev := range EditionEvents {
		for _, from := range editionStates() {
			t.Run(fmt.Sprintf("%s from %s cancelled=%v", ev, from.Status, from.Cancelled), func(t *testing.T) {
				want, allowed := EditionState{}, false
				for _, a := range editionAllowed {
					if a.ev == ev && a.from == from {
						want, allowed = a.to, true
					}
				}
				got, err := NextEdition(7, from, ev)
				switch {
				case allowed && err != nil:
					t.Fatalf("refused: %v", err)
				case allowed && got != want:
					t.Fatalf("leads to %+v, want %+v", got, want)
				case !allowed && err == nil:
					t.Fatalf("allowed (to %+v), want refused", got)
				case !allowed && !errs.Is(err, errs.Conflict):
					t.Fatalf("refused with %v, want a conflict", err)
				case !allowed && got != from:
					t.Fatalf("a refusal changed the state to %+v", got)
				}
				// The rule storage checks in one statement says the same.
				statuses, cancelled, to := EditionRule(ev)
				inRule := from.Cancelled == cancelled
				if inRule {
					inRule = false
					for _, s := range statuses {
						inRule = inRule || s == string(from.Status)
					}
				}
				if inRule != allowed {
					t.Errorf("EditionRule allows it: %v; NextEdition: %v", inRule, allowed)
				}
				if allowed && to != "" && to != string(want.Status) {
					t.Errorf("EditionRule leads to %q, NextEdition to %q", to, want.Status)
				}
			})
		}
	}
}

// The refusals an editor meets keep their words: the console shows them
// in Spanish by their format.
func TestEditionRefusalsSayWhy(t *testing.T) {
	for _, c := range []struct {
		from EditionState
		ev   EditionEvent
		want string
	}{
		{EditionState{Status: EditionSending, Cancelled: true}, EditionCancel, "edition 7 is cancelled already"},
		{EditionState{Status: EditionDone}, EditionCancel, "edition 7 is done: only a queued, compiling, sending or paused edition can be cancelled"},
		{EditionState{Status: EditionDone, Cancelled: true}, EditionRetry, "edition 7 was cancelled: its failures are not retried"},
		{EditionState{Status: EditionFailed}, EditionRetry, "edition 7 is failed: only a sending or done edition has failures to retry"},
		{EditionState{Status: EditionDone}, EditionCompiled, "edition 7 is done: it cannot start sending"},
	} {
		_, err := NextEdition(7, c.from, c.ev)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s from %+v: %v, want %q", c.ev, c.from, err, c.want)
		}
	}
}

func TestEditionStateOfReason(t *testing.T) {
	e := Edition{Status: EditionSending, Reason: ReasonCancelled}
	if got := e.State(); got != (EditionState{Status: EditionSending, Cancelled: true}) {
		t.Errorf("state %+v", got)
	}
	e = Edition{Status: EditionDone, Reason: ReasonSkippedPrefix + "late"}
	if got := e.State(); got != (EditionState{Status: EditionDone}) || !e.SkippedLate() || !e.Finished() {
		t.Errorf("a skipped edition: state %+v, skipped %v, finished %v", got, e.SkippedLate(), e.Finished())
	}
}

func TestPublishedAndVoidEditions(t *testing.T) {
	for _, s := range editionStates() {
		published := (s.Status == EditionSending || s.Status == EditionDone) && !s.Cancelled
		void := s.Status == EditionFailed || s.Cancelled
		if s.Published() != published || s.Void() != void {
			t.Errorf("%+v: published %v void %v, want %v %v", s, s.Published(), s.Void(), published, void)
		}
		if s.Published() && s.Void() {
			t.Errorf("%+v is both published and void", s)
		}
	}
}

func TestPauseCause(t *testing.T) {
	l := PauseLimits{BounceRate: 0.05, ComplaintRate: 0.001, MinSent: 100}
	for _, c := range []struct {
		h    EditionHealth
		want string
	}{
		{EditionHealth{Tried: 99, Bounces: 50}, ""},           // too few to judge
		{EditionHealth{Tried: 100, Bounces: 5}, ""},           // at the limit, not past it
		{EditionHealth{Tried: 100, Bounces: 6}, PauseBounces}, // past it
		{EditionHealth{Tried: 1000, Complaints: 1}, ""},       // 0.1%
		{EditionHealth{Tried: 1000, Complaints: 2}, PauseComplaints},
		{EditionHealth{Tried: 100, Bounces: 50, Complaints: 1}, PauseComplaints}, // complaints first
	} {
		if got := PauseCause(c.h, l); got != c.want {
			t.Errorf("PauseCause(%+v) = %q, want %q", c.h, got, c.want)
		}
	}
	if got := PauseCause(EditionHealth{Tried: 100, Bounces: 100}, PauseLimits{MinSent: 1}); got != "" {
		t.Errorf("with both rates off: %q, want no pause", got)
	}
}
