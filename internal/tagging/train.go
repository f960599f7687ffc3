package tagging

import (
	"math"
	"runtime"
	"slices"
	"sync"
	"time"
)

// Training settings. They are fixed, not fitted to the labelled items, so
// that cross-validation measures the method, not a tuning to its folds.
const (
	trainEpochs        = 40     // passes over a few hundred examples
	minEpochs          = 10     // and at least, over many thousands
	updatesWanted      = 40_000 // updates per topic, as passes allow
	learningRate       = 0.3
	regularisation     = 1e-3 // L2 of the shipped layer, per example seen
	deskRegularisation = 1e-2 // L2 of the desk's layer: it moves only as far as asked
	// In the desk's layer a topic's own evidence (the rules set it, saw
	// a weak phrase of it or saw it in the title, the shipped layer gives
	// it) learns in steps ownStep times as large as other features, so
	// that a habit is first put down to the topic itself ("research only
	// when the title says so") rather than spread over the other topics
	// its corrections happened to have.
	ownStep      = 1.5
	minPositives = 3    // a topic with fewer examples is left to the rules
	prunedBelow  = 1e-3 // weights this small are left out of the model
	// A desk example counts fully when fresh, and half as much every
	// deskHalfLife, down to oldWeight: the desk's recent habits count most.
	deskHalfLife = 180 * 24 * time.Hour
	oldWeight    = 0.25
)

// sample is one example as training sees it.
type sample struct {
	x      encoded
	topics []string
	rules  topicFindings
	weight float64
}

// Train learns a model from the examples whose topics were judged (see
// Example), in two layers: first what the labelled items that ship with
// the code teach, then, on top of that, how this desk's corrections
// differ from it. The desk's layer starts from the shipped layer's
// answer (held within ±shippedHold) and learns only from the desk's
// examples, weighing besides the rules' findings and the words what the
// shipped layer decides for every topic; so where the two disagree the
// desk wins, and a few dozen corrections change what comes next. Of
// several desk examples of one item the newest counts. It is
// deterministic: the same examples at the same time give the same model.
func (tg *Tagger) Train(examples []Example, now time.Time) *Model {
	examples = newestOnly(examples)
	var shippedExamples, deskExamples []Example
	for _, ex := range examples {
		switch {
		case ex.Topics == nil:
		case ex.Desk:
			deskExamples = append(deskExamples, ex)
		default:
			shippedExamples = append(shippedExamples, ex)
		}
	}
	// The shipped examples' vocabulary comes first, so that the shipped
	// layer's weights, trained on them alone, hold for the whole model.
	base := tg.shippedLayerOf(shippedExamples)
	m := &Model{TrainedAt: now.UTC(), vocab: slices.Clone(base.vocab), index: make(map[string]int32, len(base.vocab)),
		shipped: map[string]*topicModel{}, desk: map[string]*topicModel{}, holdShipped: true}
	for n, name := range m.vocab {
		m.index[name] = int32(n)
	}
	m.Examples = base.examples + len(deskExamples)
	m.DeskExamples = len(deskExamples)
	desk := make([]sample, 0, len(deskExamples))
	for _, ex := range deskExamples {
		desk = append(desk, tg.encodeSample(ex, exampleWeight(ex, now), m.index, &m.vocab))
	}
	if len(desk) > 0 {
		// The desk's layer weighs what the shipped layer decides; no
		// shipped example has these features, so that layer gives them 0.
		for _, topic := range tg.topicSlugs {
			featureIndex(m.index, &m.vocab, shippedTag+topic)
		}
	}
	for i, topic := range tg.topicSlugs {
		if tm := base.copyFor(i, len(m.vocab)); tm != nil {
			m.shipped[topic] = tm
		}
	}
	if len(desk) > 0 {
		given := make([]map[string]bool, len(desk))
		for j := range desk {
			given[j] = m.shippedGives(desk[j].x, desk[j].rules, tg.topicSlugs)
			desk[j].x = m.withShippedDecisions(desk[j].x, given[j], tg.topicSlugs)
		}
		m.learnHabits(desk, given, tg.topicSlugs)
		deskLayer := make([]*topicModel, len(tg.topicSlugs))
		tg.forEachTopic(func(i int, topic string) {
			offsets := make([]float64, len(desk))
			for j, s := range desk {
				offsets[j] = hold(shippedZ(m.shipped[topic], s.rules.state(topic), s.x))
			}
			deskLayer[i] = trainTopic(desk, offsets, topic, m.index, len(m.vocab), deskRegularisation, false)
		})
		for i, topic := range tg.topicSlugs {
			if deskLayer[i] != nil {
				m.desk[topic] = deskLayer[i]
			}
		}
	}
	m.prune()
	return m
}

// featureIndex returns the index of the feature name in a vocabulary,
// adding it at the end if it is new.
func featureIndex(index map[string]int32, vocab *[]string, name string) int32 {
	n, ok := index[name]
	if !ok {
		n = int32(len(*vocab))
		index[name] = n
		*vocab = append(*vocab, name)
	}
	return n
}

// encodeSample makes an example a training sample of the given weight,
// its features numbered in the vocabulary (which grows with new ones).
func (tg *Tagger) encodeSample(ex Example, weight float64, index map[string]int32, vocab *[]string) sample {
	s := sample{topics: ex.Topics, weight: weight}
	s.rules = tg.topicEvidence(ex.Title, ex.Summary, ex.Lang)
	for _, x := range [][]feature{features(ex.Title, ex.Summary), ruleFeatures(s.rules, tg.topicSlugs)} {
		for _, f := range x {
			s.x.idx, s.x.val = append(s.x.idx, featureIndex(index, vocab, f.name)), append(s.x.val, f.value)
		}
	}
	return s
}

// forEachTopic runs learn for every topic, on every core at once: topics
// are learnt independently, and each topic's result is the same whatever
// the order they finish in.
func (tg *Tagger) forEachTopic(learn func(i int, topic string)) {
	var wg sync.WaitGroup
	cores := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, topic := range tg.topicSlugs {
		wg.Go(func() {
			cores <- struct{}{}
			defer func() { <-cores }()
			learn(i, topic)
		})
	}
	wg.Wait()
}

// newestOnly drops the desk examples of an item that a newer desk example
// of it (same title and summary) replaces. Shipped examples stay: they
// are what the desk's layer learns the desk's differences from.
func newestOnly(examples []Example) []Example {
	key := func(ex Example) string { return fold(ex.Title) + "\n" + fold(ex.Summary) }
	newest := map[string]int{}
	for i, ex := range examples {
		if !ex.Desk || ex.Topics == nil {
			continue
		}
		if j, ok := newest[key(ex)]; !ok || !ex.At.Before(examples[j].At) {
			newest[key(ex)] = i
		}
	}
	out := make([]Example, 0, len(examples))
	for i, ex := range examples {
		if j, ok := newest[key(ex)]; ok && ex.Desk && j != i {
			continue
		}
		out = append(out, ex)
	}
	return out
}

// exampleWeight is how much an example counts within its layer: 1 for a
// shipped one; for one of the desk's, 1 when fresh, halving with age
// towards oldWeight, so the desk's recent habits count most.
func exampleWeight(ex Example, now time.Time) float64 {
	if !ex.Desk {
		return 1
	}
	age := max(0, now.Sub(ex.At))
	return oldWeight + (1-oldWeight)*math.Exp2(-float64(age)/float64(deskHalfLife))
}

// trainTopic fits one topic's regression by stochastic gradient descent,
// starting each example at its offset (nil: 0), or returns nil when the
// examples say too little about the topic to learn from. For the shipped
// layer (balanced) that is: fewer than minPositives items have it and
// fewer than that were refused it although the rules set it (a desk that
// never uses a topic is something to learn), or every item has it; the
// desk's layer learns from any example, since it only moves the shipped
// layer's answer as far as the desk's examples ask.
func trainTopic(data []sample, offsets []float64, topic string, index map[string]int32, features int, reg float64, balanced bool) *topicModel {
	// The desk's layer holds every weight towards zero, its bias too: it
	// starts from the shipped layer's answer and leaves it only as far as
	// the desk's examples ask. The shipped layer's bias is free.
	biasReg := 0.0
	if offsets != nil {
		biasReg = reg
	}
	y := make([]float64, len(data))
	positives, refused, posWeight, negWeight := 0, 0, 0.0, 0.0
	ruleSet, known := index[ruleSetTag+topic]
	for i, s := range data {
		if slices.Contains(s.topics, topic) {
			y[i] = 1
			positives++
			posWeight += s.weight
			continue
		}
		negWeight += s.weight
		if known && slices.Contains(s.x.idx, ruleSet) {
			refused++
		}
	}
	if len(data) == 0 || balanced && (positives < minPositives && refused < minPositives || positives == len(data)) {
		return nil
	}
	// Positives are few for most topics; weighing them up keeps the
	// shipped layer from learning that the answer is always no. A topic no
	// example has is learnt as what it is: never.
	balance := 1.0
	if balanced && positives > 0 {
		balance = math.Sqrt(negWeight / posWeight)
	}
	// In the desk's layer the topic's own evidence learns in larger steps
	// (ownStep): it is trained as if its value were ownStep times as
	// large, and its weight stored that much larger, so that the value it
	// is given when tagging weighs as trained. Elsewhere every step is 1.
	own := [4]int32{-1, -1, -1, -1}
	if offsets != nil {
		for k, tag := range []string{ruleSetTag, ruleHintTag, ruleTitleTag, shippedTag} {
			if n, ok := index[tag+topic]; ok {
				own[k] = n
			}
		}
	}
	step := func(n int32) float64 {
		if n == own[0] || n == own[1] || n == own[2] || n == own[3] {
			return ownStep
		}
		return 1
	}
	tm := &topicModel{weights: make([]float32, features)}
	w := make([]float64, features)
	tm.bias = descend(data, offsets, y, w, own, balance, reg, biasReg)
	for n, v := range w {
		tm.weights[n] = float32(v * step(int32(n)))
	}
	return tm
}

// descend fits w (and returns the bias) by stochastic gradient descent
// on data's examples against the answers y, as trainTopic sets it up.
//
// It is the tagger's one hot loop: every retrain runs it once per topic,
// each epoch reading every value of every example. It touches no memory
// another goroutine writes (data and offsets are shared read-only, w, y
// and its own buffers belong to this call), so the race detector is told
// not to watch it (go:norace): watching its reads made a race-enabled
// test of the tagger's quality ten times slower and could find nothing.
// Whatever it calls is still watched.
//
//go:norace
func descend(data []sample, offsets, y, w []float64, own [4]int32, balance, reg, biasReg float64) (bias float64) {
	order := shuffled(len(data))
	desk := offsets != nil
	for epoch := range epochsFor(len(data)) {
		rate := learningRate / (1 + float64(epoch)/10)
		for _, i := range order {
			s := data[i]
			z := bias
			if desk {
				z += offsets[i]
			}
			for j, n := range s.x.idx {
				z += w[n] * stepValue(s.x.val[j], n, own, desk)
			}
			g := (sigmoid(z) - y[i]) * s.weight
			if y[i] == 1 {
				g *= balance
			}
			bias -= rate * (g + biasReg*bias)
			for j, n := range s.x.idx {
				w[n] -= rate * (g*stepValue(s.x.val[j], n, own, desk) + reg*w[n])
			}
		}
	}
	return bias
}

// stepValue is feature n's value v as descend trains it: ownStep times
// as large for the topic's own evidence in the desk's layer.
//
//go:norace
func stepValue(v float64, n int32, own [4]int32, desk bool) float64 {
	if desk && (n == own[0] || n == own[1] || n == own[2] || n == own[3]) {
		return v * ownStep
	}
	return v
}

// epochsFor is how many passes over n examples training makes: enough
// updates for the few hundred examples of a new desk to be learnt well
// (trainEpochs), fewer passes over thousands, whose many examples give as
// many updates in fewer, so that a large desk's retraining stays quick.
func epochsFor(n int) int {
	return max(minEpochs, min(trainEpochs, (updatesWanted+n-1)/max(n, 1)))
}

// prune drops the features no topic gives a weight worth keeping, so that
// the stored model holds only what changes a decision.
func (m *Model) prune() {
	keep := make([]bool, len(m.vocab))
	for tm := range m.layers() {
		for n, v := range tm.weights {
			if math.Abs(float64(v)) >= prunedBelow {
				keep[n] = true
			}
		}
	}
	var vocab []string
	renumber := make([]int32, len(m.vocab))
	for n, name := range m.vocab {
		renumber[n] = -1
		if keep[n] {
			renumber[n] = int32(len(vocab))
			vocab = append(vocab, name)
		}
	}
	for tm := range m.layers() {
		weights := make([]float32, len(vocab))
		for n, v := range tm.weights {
			if renumber[n] >= 0 {
				weights[renumber[n]] = v
			}
		}
		tm.weights = weights
	}
	m.vocab = vocab
	m.index = make(map[string]int32, len(vocab))
	for n, name := range vocab {
		m.index[name] = int32(n)
	}
}

// shuffled returns 0..n-1 in a fixed mixed order: stochastic gradient
// descent learns better from mixed examples than from a file's order, and
// the model must not vary from run to run.
func shuffled(n int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	rng := uint64(2654435761)
	for i := n - 1; i > 0; i-- {
		rng = rng*6364136223846793005 + 1442695040888963407
		j := int(rng>>33) % (i + 1)
		order[i], order[j] = order[j], order[i]
	}
	return order
}
