package admin

import (
	"testing"

	"newsdigest/internal/errs"
)

// TestFieldProblemNamesTheLabel: a form's mistake names its field as the
// page labels it, in the page's language, without the label's bracketed
// explanation; a message that names no labelled field reads as before.
func TestFieldProblemNamesTheLabel(t *testing.T) {
	interval := errs.New(errs.Invalid, "interval: %q is not a duration such as 30m, 1h or 2 hours", "a while")
	for lang, want := range map[string]string{
		"en": `Poll every: "a while" is not a duration such as 30m, 1h or 2 hours`,
		"fr": "Consulter toutes les\u00a0: \"a while\" n’est pas une durée comme 30m, 1h ou 2 heures",
	} {
		if got := fieldProblem(lang, interval, sourceLabels); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	wait := errs.New(errs.Invalid, "wait_days: want a whole number of days from 0 to 365")
	if got, want := fieldProblem("en", wait, scheduleLabels), "Longest wait, in days: want a whole number of days from 0 to 365"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	for lang, want := range map[string]string{
		"es": "Frecuencias que los lectores pueden elegir: ofrece al menos una",
		"fr": "Fréquences proposées aux lecteurs\u00a0: proposez-en au moins une",
	} {
		if got := fieldProblem(lang, errs.New(errs.Invalid, "frequencies: offer at least one"), scheduleLabels); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	other := errs.New(errs.Invalid, "the file has errors")
	if got := fieldProblem("en", other, sourceLabels); got != "the file has errors" {
		t.Errorf("a message of no field: %q", got)
	}
}
