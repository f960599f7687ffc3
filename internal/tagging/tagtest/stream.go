package tagtest

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"newsdigest/internal/tagging"
)

// The held-out labelled items: written and labelled after the tagger was
// tuned, and never used to tune it (see the file's header).
//
//go:embed holdout.tsv
var holdoutTSV string

// HeldOut returns the held-out labelled items.
func HeldOut() ([]tagging.Example, error) {
	items, err := tagging.ReadExamples(strings.NewReader(holdoutTSV))
	if err != nil {
		return nil, fmt.Errorf("held-out items: %w", err)
	}
	return items, nil
}

// Rotations is how many different orders Stream gives: started every
// fifth of the way through the mix. (Ten orders give a curve within
// 0.01 of five's, at twice the cost of a test that already trains a
// hundred models under the race detector.)
const Rotations = 5

// Stream returns the labelled items that ship with the code in the order
// the simulated desk meets them: a fixed mix of every language and all
// sources, started at a different place for each rotation (0 to
// Rotations-1), so that results can be averaged over several orders.
func Stream(rotation int) ([]tagging.Example, error) {
	items, err := tagging.SeedExamples()
	if err != nil {
		return nil, err
	}
	// A fixed permutation (multiplicative, with a step prime to the
	// length), so every run and every package sees the same order.
	n := len(items)
	step := 61
	for gcd(step, n) != 1 {
		step++
	}
	out := make([]tagging.Example, n)
	for i := range out {
		out[i] = items[(i*step+rotation*n/Rotations)%n]
	}
	return out, nil
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// Split returns the first half of a stream (the stories the desk
// corrects) and the second (the stories that come next).
func Split(stream []tagging.Example) (first, second []tagging.Example) {
	half := len(stream) / 2
	return stream[:half], stream[half:]
}

// Without returns items less those that are also in others (same title).
func Without(items, others []tagging.Example) []tagging.Example {
	var out []tagging.Example
	for _, it := range items {
		if !slices.ContainsFunc(others, func(o tagging.Example) bool { return o.Title == it.Title }) {
			out = append(out, it)
		}
	}
	return out
}
