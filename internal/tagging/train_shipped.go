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

// shippedCache keeps the tagger's last shipped layer.
type shippedCache struct {
	mu   sync.Mutex
	last *shippedLayer
}

// shippedKey identifies shipped examples by everything of theirs that
// training reads.
func shippedKey(examples []Example) [sha256.Size]byte {
	h := sha256.New()
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
	key := shippedKey(examples)
	tg.shipped.mu.Lock()
	defer tg.shipped.mu.Unlock()
	if l := tg.shipped.last; l != nil && l.key == key {
		return l
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
	tg.shipped.last = l
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
