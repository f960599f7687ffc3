package tagtest

import (
	"fmt"
	"slices"
)

// Score counts micro-averaged agreement between labels and tags.
type Score struct{ TruePos, FalsePos, FalseNeg int }

// Add scores one item's tags against its labels.
func (s *Score) Add(want, got []string) {
	for _, g := range got {
		if slices.Contains(want, g) {
			s.TruePos++
		} else {
			s.FalsePos++
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			s.FalseNeg++
		}
	}
}

// Plus returns the counts of s and o together.
func (s Score) Plus(o Score) Score {
	return Score{s.TruePos + o.TruePos, s.FalsePos + o.FalsePos, s.FalseNeg + o.FalseNeg}
}

// Precision is the share of tags that are labels (1 with no tags).
func (s Score) Precision() float64 { return ratio(s.TruePos, s.TruePos+s.FalsePos) }

// Recall is the share of labels that are tags (1 with no labels).
func (s Score) Recall() float64 { return ratio(s.TruePos, s.TruePos+s.FalseNeg) }

// F1 is the harmonic mean of precision and recall.
func (s Score) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func (s Score) String() string {
	return fmt.Sprintf("P %.3f R %.3f F1 %.3f (%d right, %d extra, %d missed)",
		s.Precision(), s.Recall(), s.F1(), s.TruePos, s.FalsePos, s.FalseNeg)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
