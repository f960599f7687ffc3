package tagging

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
)

// habit is what the desk's corrections show about one topic, counted
// when its layer is learnt, so that a change the desk's layer makes can
// be explained by the corrected stories themselves ("added to 7 of the
// 9 corrected stories on children-youth"), in terms an editor knows,
// rather than by the weights of words.
//
// "Given" is what the tagger gives a corrected story before the desk's
// habits: the rules with the shipped layer, the same decisions the
// desk's layer learns from (withShippedDecisions).
type habit struct {
	// given: corrected stories given the topic; kept: of those, the ones
	// the desk left it on.
	given, kept int
	// The same, among the stories whose title has no phrase of the topic:
	// a desk that keeps a topic only when the title names it.
	givenUntitled, keptUntitled int
	// with[g]: corrected stories given topic g and not this one; added[g]:
	// of those, the ones the desk gave this topic.
	with, added map[string]int
}

// Thresholds for a habit to explain a change: shown in at least
// habitCount corrections, and in at least half of those it could be.
const habitCount = 2

func habitHolds(count, of int) bool { return count >= habitCount && 2*count >= of }

// learnHabits counts, in the desk's corrected stories, what the desk did
// with the topics the tagger gave them (given, by story).
func (m *Model) learnHabits(desk []sample, given []map[string]bool, topics []string) {
	m.habits = map[string]*habit{}
	for _, topic := range topics {
		m.habits[topic] = &habit{with: map[string]int{}, added: map[string]int{}}
	}
	for j, s := range desk {
		for _, topic := range topics {
			h, has := m.habits[topic], slices.Contains(s.topics, topic)
			if given[j][topic] {
				h.given++
				untitled := !s.rules.inTitle(topic)
				if untitled {
					h.givenUntitled++
				}
				if has {
					h.kept++
					if untitled {
						h.keptUntitled++
					}
				}
				continue
			}
			for g := range given[j] {
				h.with[g]++
				if has {
					h.added[g]++
				}
			}
		}
	}
	for topic, h := range m.habits {
		if h.given == 0 && len(h.with) == 0 {
			delete(m.habits, topic)
		}
	}
}

// shippedGives returns the topics the tagger gives an item before the
// desk's habits (a set: every value is true).
func (m *Model) shippedGives(x encoded, found topicFindings, topics []string) map[string]bool {
	out := map[string]bool{}
	for _, topic := range topics {
		if shippedDecides(m.shipped[topic], found.state(topic), x) {
			out[topic] = true
		}
	}
	return out
}

// deskReason explains, by the desk's corrections, why the model adds
// topic to a story (against false) or takes it away (true), given the
// topics the tagger gives the story before the desk's habits, those it
// gives it now (final), and whether its title has a phrase of the topic.
// It reports false when the corrections show no habit that does: the
// change is then the words'.
func (m *Model) deskReason(topic string, given map[string]bool, final []string, inTitle, against bool) (string, bool) {
	h := m.habits[topic]
	if h == nil {
		return "", false
	}
	if against {
		if !given[topic] {
			return "", false
		}
		r, ok := h.removal(!inTitle)
		return r.String(), ok
	}
	if given[topic] {
		return "", false
	}
	// The other topic with the most corrections that show the habit, one
	// the story keeps first: a reason that names a topic the same change
	// takes away would puzzle.
	var best DeskReason
	bestKept := false
	for g := range given {
		n, kept := h.added[g], slices.Contains(final, g)
		if !habitHolds(n, h.with[g]) {
			continue
		}
		better := n > best.Count || n == best.Count && (n*best.Of > best.Count*h.with[g] || n*best.Of == best.Count*h.with[g] && g < best.With)
		if best.Count == 0 || kept && !bestKept || kept == bestKept && better {
			best, bestKept = DeskReason{Added: true, Count: n, Of: h.with[g], With: g}, kept
		}
	}
	return best.String(), best.Count > 0
}

// removal is the habit of taking the topic away, if the corrections
// show one: from the stories whose title does not name it (when untitled
// allows), if the desk takes it away from those more often than from
// all; else from all.
func (h *habit) removal(untitled bool) (DeskReason, bool) {
	removed, removedUntitled := h.given-h.kept, h.givenUntitled-h.keptUntitled
	if untitled && habitHolds(removedUntitled, h.givenUntitled) && removedUntitled*h.given > removed*h.givenUntitled {
		return DeskReason{Count: removedUntitled, Of: h.givenUntitled, Untitled: true}, true
	}
	return DeskReason{Count: removed, Of: h.given}, habitHolds(removed, h.given)
}

// DeskReason is the reason the tagger gives for a change that the desk's
// corrections explain. Its text is English, as every stored reason is
// (the API answers with it); a page parses it (ParseDeskReason) to say
// it in its reader's language.
type DeskReason struct {
	// Added: the desk added the topic to Count of the Of corrected
	// stories the tagger gave the topic With (and not this one).
	// Otherwise the desk took the topic away from Count of the Of
	// corrected stories the tagger gave it; Untitled: of those whose
	// title has no phrase of it.
	Added     bool
	Count, Of int
	With      string
	Untitled  bool
}

func (r DeskReason) String() string {
	switch {
	case r.Added:
		return fmt.Sprintf("%s: added to %d of %d corrected stories on %s", labelDesk, r.Count, r.Of, r.With)
	case r.Untitled:
		return fmt.Sprintf("%s: taken away from %d of %d corrected stories that had it, not in the title", labelDesk, r.Count, r.Of)
	}
	return fmt.Sprintf("%s: taken away from %d of %d corrected stories that had it", labelDesk, r.Count, r.Of)
}

// labelDesk starts the reason of a change the desk's corrections explain.
const labelDesk = "corrections"

var deskReasonText = regexp.MustCompile(`^` + labelDesk + `: (?:added to (\d+) of (\d+) corrected stories on (\S+)|taken away from (\d+) of (\d+) corrected stories that had it(, not in the title)?)$`)

// ParseDeskReason reads a reason written by DeskReason.String.
func ParseDeskReason(reason string) (DeskReason, bool) {
	m := deskReasonText.FindStringSubmatch(reason)
	if m == nil {
		return DeskReason{}, false
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	if m[3] != "" {
		return DeskReason{Added: true, Count: num(m[1]), Of: num(m[2]), With: m[3]}, true
	}
	return DeskReason{Count: num(m[4]), Of: num(m[5]), Untitled: m[6] != ""}, true
}

// Habit is one of the desk's habits that its corrections show: what a
// change's reason would say of Topic.
type Habit struct {
	Topic string
	DeskReason
}

// Habits lists the habits the desk's corrections show, as the reasons
// quote them, the most shown first: for each topic, where the desk takes
// it away (from the stories whose title does not name it, when that is
// sharper than from all), and each other topic whose stories it adds it
// to. None for a model without the desk's corrections.
func (m *Model) Habits() []Habit {
	var out []Habit
	for topic, h := range m.habits {
		if r, ok := h.removal(true); ok {
			out = append(out, Habit{topic, r})
		}
		for g, n := range h.added {
			if habitHolds(n, h.with[g]) {
				out = append(out, Habit{topic, DeskReason{Added: true, Count: n, Of: h.with[g], With: g}})
			}
		}
	}
	slices.SortFunc(out, func(a, b Habit) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Topic, b.Topic), cmp.Compare(a.With, b.With))
	})
	return out
}
