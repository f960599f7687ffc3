package tagging

import (
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"sync"
)

// shippedLayer is the shipped layer of a model as the shipped examples
// alone make it: their vocabulary, in the order they name it, and each
// topic's weights over it (nil for a topic left to the rules).
//
// It depends on nothing else: a shipped example always weighs 1, and a
// feature only the desk's examples have keeps the weight 0 it starts
// with. So a retrain whose shipped examples are those of the last one (a
// desk correcting stories one after another) takes it as it is and
// trains only the desk's layer, the small part.
type shippedLayer struct {
	key      [sha256.Size]byte
	vocab    []string
	topics   []*topicModel // by tg.topicSlugs
	examples int
}

// shippedLayers keeps the last few shipped layers trained in this
// process, for every tagger made from the same taxonomy: the web and the
// worker each make a tagger, and a process serving several desks (or a
// test package starting many) would otherwise train the same layer again.
var shippedLayers struct {
	mu     sync.Mutex
	recent []*shippedLayer // most recent first, at most keptShippedLayers
}

const keptShippedLayers = 4

// shippedKey identifies a shipped layer: the tagger's taxonomy (its rules'
// findings are features) and everything of the examples that training
// reads.
func (tg *Tagger) shippedKey(examples []Example) [sha256.Size]byte {
	h := sha256.New()
	h.Write(tg.fingerprint[:])
	var n [8]byte
	field := func(s string) {
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	for _, ex := range examples {
		field(ex.Lang)
		field(ex.Title)
		field(ex.Summary)
		binary.LittleEndian.PutUint64(n[:], uint64(len(ex.Topics)))
		h.Write(n[:])
		for _, t := range ex.Topics {
			field(t)
		}
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key
}

// shippedLayerOf returns the shipped layer of examples (all shipped, with
// topics judged), from the cache when they are the last ones trained on.
// The layer returned is shared: callers copy what they change.
func (tg *Tagger) shippedLayerOf(examples []Example) *shippedLayer {
	key := tg.shippedKey(examples)
	shippedLayers.mu.Lock()
	defer shippedLayers.mu.Unlock()
	for i, l := range shippedLayers.recent {
		if l.key == key {
			copy(shippedLayers.recent[1:i+1], shippedLayers.recent[:i])
			shippedLayers.recent[0] = l
			return l
		}
	}
	l := &shippedLayer{key: key, examples: len(examples)}
	index := map[string]int32{}
	samples := make([]sample, 0, len(examples))
	for _, ex := range examples {
		samples = append(samples, tg.encodeSample(ex, 1, index, &l.vocab))
	}
	l.topics = make([]*topicModel, len(tg.topicSlugs))
	tg.forEachTopic(func(i int, topic string) {
		l.topics[i] = trainTopic(samples, nil, topic, index, len(l.vocab), regularisation, true)
	})
	shippedLayers.recent = slices.Insert(shippedLayers.recent, 0, l)
	if len(shippedLayers.recent) > keptShippedLayers {
		shippedLayers.recent = shippedLayers.recent[:keptShippedLayers]
	}
	return l
}

// copyFor returns topic i's shipped weights laid over a vocabulary of
// size features that starts with the layer's own (nil when the topic is
// left to the rules).
func (l *shippedLayer) copyFor(i, features int) *topicModel {
	tm := l.topics[i]
	if tm == nil {
		return nil
	}
	weights := make([]float32, features)
	copy(weights, tm.weights)
	return &topicModel{bias: tm.bias, weights: slices.Clip(weights)}
}
