package tagging

import (
	"cmp"
	"iter"
	"math"
	"slices"
	"strings"
	"time"
)

// Model is the learnt part of topic tagging. For each topic it is a
// logistic regression over what the phrase rules found for every topic
// (set, only a weak phrase seen, a phrase in the title) and the words and
// word pairs of the item's title and summary, in two layers added
// together: what the labelled items that ship with the code teach, and
// how the desk's corrections differ from that (see Train). The rules'
// findings are among its inputs, so it learns when the desk agrees with
// the rules and when not: it can add a topic the rules missed and take
// away one they set. The words tell the languages apart ("frontera" and
// "border" are different features), so it is in effect one model per
// language that shares what both write the same: place and programme
// names, and the rules' findings. The desk's layer also weighs what the
// shipped layer decides for every topic, and is added to the shipped
// layer's answer held within ±shippedHold. A Model is read-only once
// built and safe for concurrent use.
type Model struct {
	TrainedAt    time.Time
	Examples     int // items it learnt topics from: labelled items and the desk's
	DeskExamples int // of which the desk's own

	vocab []string         // feature names, by index
	index map[string]int32 // feature name to index in vocab
	// shipped is what the labelled items that ship with the code teach,
	// desk how this desk's corrections differ from it (see Train).
	shipped, desk map[string]*topicModel
	// holdShipped says that the desk's layer is added to the shipped
	// layer's answer held within ±shippedHold, as Train learns it. A
	// model stored before that rule adds them as they are, as it was
	// trained to.
	holdShipped bool
	// habits are what the desk's corrections show about each topic
	// (learnHabits), to explain the desk's layer's changes by them.
	habits map[string]*habit
}

// topicModel is one topic's regression.
type topicModel struct {
	bias float64
	// weights are the features' weights by vocabulary index; features
	// this topic did not learn from weigh 0.
	weights []float32
}

// Learnt reports whether the model decides topic (a topic with too few
// examples is left to the rules).
func (m *Model) Learnt(topic string) bool { return m.shipped[topic] != nil || m.desk[topic] != nil }

// layers yields every topic regression of both layers.
func (m *Model) layers() iter.Seq[*topicModel] {
	return func(yield func(*topicModel) bool) {
		for _, layer := range []map[string]*topicModel{m.shipped, m.desk} {
			for _, tm := range layer {
				if !yield(tm) {
					return
				}
			}
		}
	}
}

// rulePrior is the shipped layer's answer, as a log-odds, for a topic it
// has too few examples of: what the rules found, held with confidence.
const rulePrior = 3.0

// shippedZ is the shipped layer's log-odds for a topic (tm, nil when the
// layer has not learnt it: then the rules' answer, held at rulePrior),
// given what the rules found (rs) and the item's features.
func shippedZ(tm *topicModel, rs ruleState, x encoded) float64 {
	switch {
	case tm != nil:
		return tm.z(x)
	case rs == ruleSet:
		return rulePrior
	}
	return -rulePrior
}

// shippedHold bounds the shipped layer's log-odds where the desk's layer
// is added to them (a smooth bound: 4·tanh(z/4), so the order of answers
// is kept). The shipped layer, trained on a few hundred items, is often
// sure beyond what they show (log-odds of -8 for a topic its items seldom
// have); held at 98%, its answer leaves room for a habit the desk showed
// in a handful of corrections. Without a desk's layer nothing is held,
// and the shipped layer decides as it always did.
const shippedHold = 4.0

// hold bounds shipped log-odds to ±shippedHold.
func hold(z float64) float64 { return shippedHold * math.Tanh(z/shippedHold) }

// probability is how likely the model finds topic for an item, and
// whether it has learnt the topic at all. x holds the shipped layer's
// decisions too (withShippedDecisions), which the desk's layer weighs.
func (m *Model) probability(topic string, rs ruleState, x encoded) (float64, bool) {
	z := shippedZ(m.shipped[topic], rs, x)
	learnt := m.shipped[topic] != nil
	if tm := m.desk[topic]; tm != nil {
		if m.holdShipped {
			z = hold(z)
		}
		z += tm.z(x)
		learnt = true
	}
	return sigmoid(z), learnt
}

// shippedDecides reports whether the shipped layer, with the rules, gives
// an item the topic: the decision decideTopics makes when no desk has
// spoken.
func shippedDecides(tm *topicModel, rs ruleState, x encoded) bool {
	p := sigmoid(shippedZ(tm, rs, x))
	if rs == ruleSet {
		return p >= dropBelow
	}
	return p >= addAbove
}

// withShippedDecisions returns x with, for every topic the shipped layer
// gives the item (given, shippedGives), the feature that says so
// (shippedTag): what the desk's layer learns a habit such as "a
// children's story is a protection story too" from, whatever told the
// tagger that the story is about children (a phrase, or words the shipped
// items taught). A model without a desk's layer has no such features and
// x is returned as it is.
func (m *Model) withShippedDecisions(x encoded, given map[string]bool, topics []string) encoded {
	out := x
	for _, topic := range topics {
		n, ok := m.index[shippedTag+topic]
		if !ok || !given[topic] {
			continue
		}
		if len(out.idx) == len(x.idx) { // first one: leave x's slices alone
			out = encoded{idx: slices.Clone(x.idx), val: slices.Clone(x.val)}
		}
		out.idx, out.val = append(out.idx, n), append(out.val, ruleValue)
	}
	return out
}

// Decision thresholds. A topic the rules set is taken away only when the
// model is fairly sure the desk would not have it; one they did not set
// is added when the model finds it more likely than not.
const (
	addAbove   = 0.5
	dropBelow  = 0.3
	reasonSize = 3 // features quoted in a model decision's reason
	// labelModel starts the reason of a topic the model added.
	labelModel = "model"
	// titleFeatureTag marks a title word as a feature of its own besides
	// the word, since a title says what the item is about.
	titleFeatureTag = "t:"
	// ruleSetTag and ruleHintTag mark the features that say what the
	// phrase rules found for a topic: they set it, or saw only a weak
	// phrase of it. Every topic's regression sees every topic's, so a
	// desk's habit such as "a story about children is a protection story"
	// is learnt from a few examples, whatever words tell of the children.
	ruleSetTag  = "=set:"
	ruleHintTag = "=hint:"
	// ruleTitleTag marks the feature "a phrase of the topic is in the
	// title", which says the item is about it rather than mentions it.
	ruleTitleTag = "=title:"
	// shippedTag marks the feature "the shipped layer gives the item the
	// topic", an input of the desk's layer alone (withShippedDecisions).
	shippedTag = "=shipped:"
)

// feature is one feature of an item and its value.
type feature struct {
	name  string
	value float64
}

// features returns an item's features, scaled so that a long summary does
// not outweigh a short one: words (title words also as title features)
// and pairs of adjacent words, sorted by name so that sums run in the
// same order every time and the same examples always give the same model.
func features(title, summary string) []feature {
	f := map[string]bool{}
	add := func(text string, inTitle bool) {
		prev := ""
		for _, w := range words(text) {
			t := w.text
			if languages.common[t] || isNumber(t) {
				prev = ""
				continue
			}
			f[t] = true
			if inTitle {
				f[titleFeatureTag+t] = true
			}
			if prev != "" {
				f[prev+" "+t] = true
			}
			prev = t
		}
	}
	add(title, true)
	add(summary, false)
	out := make([]feature, 0, len(f))
	value := 1 / math.Sqrt(float64(len(f)))
	for k := range f {
		out = append(out, feature{k, value})
	}
	slices.SortFunc(out, func(a, b feature) int { return strings.Compare(a.name, b.name) })
	return out
}

// ruleValue is the value of a rule feature: as much as a whole text's
// worth of word features, since one finding of the rules says more than
// any one word.
const ruleValue = 1.0

// ruleFeatures returns the features that say what the phrase rules found,
// sorted like features.
func ruleFeatures(found topicFindings, topics []string) []feature {
	var out []feature
	for _, topic := range topics {
		switch found.state(topic) {
		case ruleSet:
			out = append(out, feature{ruleSetTag + topic, ruleValue})
		case ruleHint:
			out = append(out, feature{ruleHintTag + topic, ruleValue})
		}
		if found.bestInTitle(topic) {
			out = append(out, feature{ruleTitleTag + topic, ruleValue})
		}
	}
	slices.SortFunc(out, func(a, b feature) int { return strings.Compare(a.name, b.name) })
	return out
}

func isNumber(s string) bool {
	return strings.Trim(s, "0123456789") == ""
}

// encoded is an item's features that the model knows, by index.
type encoded struct {
	idx []int32
	val []float64
}

func (m *Model) encode(xs ...[]feature) encoded {
	var e encoded
	for _, x := range xs {
		for _, f := range x {
			if n, ok := m.index[f.name]; ok {
				e.idx, e.val = append(e.idx, n), append(e.val, f.value)
			}
		}
	}
	return e
}

// ruleState is what the phrase rules found for one topic of one item.
type ruleState uint8

const (
	ruleNone ruleState = iota // no phrase of the topic
	ruleHint                  // a phrase, too weak to set it
	ruleSet                   // the rules set it
)

func (tm *topicModel) z(x encoded) float64 {
	z := tm.bias
	for i, n := range x.idx {
		z += float64(tm.weights[n]) * x.val[i]
	}
	return z
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// reason names the words of x that weighed most for topic (for, or
// against when against is true).
func (m *Model) reason(topic string, x encoded, against bool) string {
	type weighed struct {
		feature string
		weight  float64
	}
	var top []weighed
	for i, n := range x.idx {
		w := 0.0
		for _, layer := range []map[string]*topicModel{m.shipped, m.desk} {
			if tm := layer[topic]; tm != nil {
				w += float64(tm.weights[n]) * x.val[i]
			}
		}
		if against {
			w = -w
		}
		name := m.vocab[n]
		switch {
		case w <= 0, strings.HasPrefix(name, titleFeatureTag):
			continue
		case strings.HasPrefix(name, ruleSetTag):
			// What the rules found for a topic, named by its slug.
			name = strings.TrimPrefix(name, ruleSetTag)
		case strings.HasPrefix(name, shippedTag):
			// The tagger, before the desk's habits, gives the topic:
			// named by its slug, like what the rules set.
			name = strings.TrimPrefix(name, shippedTag)
		case strings.HasPrefix(name, ruleHintTag):
			name = strings.TrimPrefix(name, ruleHintTag) + "?"
		case strings.HasPrefix(name, ruleTitleTag):
			name = strings.TrimPrefix(name, ruleTitleTag) + InTitle
		}
		top = append(top, weighed{name, w})
	}
	slices.SortFunc(top, func(a, b weighed) int {
		return cmp.Or(cmp.Compare(b.weight, a.weight), cmp.Compare(a.feature, b.feature))
	})
	// A topic can weigh through several features (the rules set it, in
	// the title, the shipped layer gives it): it is named once.
	names := make([]string, 0, reasonSize)
	seen := map[string]bool{}
	for _, t := range top {
		base := strings.TrimSuffix(t.feature, InTitle)
		if seen[base] {
			continue
		}
		seen[base] = true
		names = append(names, t.feature)
		if len(names) == reasonSize {
			break
		}
	}
	if len(names) == 0 {
		return labelModel
	}
	return labelModel + ": " + strings.Join(names, ", ")
}
