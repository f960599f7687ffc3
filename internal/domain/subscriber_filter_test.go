package domain

import (
	"testing"

	"newsdigest/internal/errs"
)

type knownSet struct{}

func (knownSet) HasCountry(code string) bool { return code == "CR" || code == "GT" }
func (knownSet) HasTopic(slug string) bool   { return slug == "health" }

// TestFilterAllStories: "all stories" stands alone (no list, mode any),
// is valid with nothing else chosen, and has a signature of its own that
// leaves the signatures of other filters as they were.
func TestFilterAllStories(t *testing.T) {
	all := Filter{All: true, Countries: []string{"cr"}, Topics: []string{"health"}, Mode: ModeNarrow, Language: "es"}
	all.Normalize()
	if len(all.Countries) != 0 || len(all.Topics) != 0 || all.Mode != ModeAny {
		t.Errorf("normalised all-stories filter = %+v; want no countries, no topics, mode any", all)
	}
	if err := all.Validate(knownSet{}); err != nil {
		t.Errorf("all stories alone: %v; want valid", err)
	}
	none := Filter{Language: "es"}
	none.Normalize()
	if err := none.Validate(knownSet{}); !errs.Is(err, errs.Invalid) {
		t.Errorf("nothing chosen: %v; want an Invalid error", err)
	}
	if all.Signature() == none.Signature() {
		t.Error("all stories has the signature of a filter with nothing chosen")
	}
	// Signatures stored before all stories existed (a confirmation page
	// carries one) are unchanged.
	cr := Filter{Countries: []string{"CR"}, Topics: []string{"health"}, Language: "en", Mode: ModeAny}
	if got, want := cr.Signature(), "789d7206a7d3097649dddb6245a90f1b"; got != want {
		t.Errorf("signature of a filter without all stories changed: %q, was %q", got, want)
	}
}
