package tagging

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Model adds the topics the phrase rules miss. For each topic it is a
// logistic regression over the words and word pairs of an item's title
// and summary, learnt from the labelled items and the desk's corrections.
// The words themselves tell the languages apart ("frontera" and "border"
// are different features), so it is in effect one model per language that
// shares what both languages write the same: place and programme names.
// It is small (a few thousand weights), trains in well under a second at
// the desk's size, and is stored as JSON.
type Model struct {
	TrainedAt time.Time                `json:"trained_at"`
	Examples  int                      `json:"examples"` // items it learnt topics from
	Topics    map[string]*topicWeights `json:"topics"`
}

type topicWeights struct {
	Bias    float64            `json:"bias"`
	Weights map[string]float64 `json:"weights"`
}

// Training settings. They are fixed, not fitted to the labelled items, so
// that cross-validation measures the method, not a tuning to its folds.
const (
	trainEpochs     = 60
	learningRate    = 0.5
	regularisation  = 1e-3 // L2, per example seen
	minPositives    = 3    // a topic with fewer examples is left to the rules
	modelThreshold  = 0.5  // the probability above which the model tags
	modelVeto       = 0.3  // below which it drops a topic only weak phrases set
	reasonWords     = 3    // features quoted in a model tag's reason
	prunedBelow     = 1e-3 // weights this small are dropped from the stored model
	labelModel      = "model"
	titleFeatureTag = "t:" // a title word is a feature of its own besides the word
)

// featureStopwords are words too common to say what an item is about.
var featureStopwords = setOf("a", "an", "the", "of", "and", "to", "in", "is", "for", "on", "with", "that",
	"by", "from", "at", "as", "are", "was", "be", "this", "its", "has", "have", "will", "which", "it",
	"or", "their", "were", "been", "not", "but", "who", "they", "into", "about", "after", "more", "than",
	"de", "la", "el", "en", "y", "los", "las", "del", "que", "por", "con", "para", "una", "un", "se",
	"al", "es", "su", "sus", "lo", "como", "mas", "sobre", "e", "o", "u", "s")

// features returns an item's features, scaled so that a long summary does
// not outweigh a short one: words (title words also as title features,
// since a title says what the item is about) and pairs of adjacent words.
func features(title, summary string) []feature {
	f := map[string]float64{}
	add := func(text string, inTitle bool) {
		prev := ""
		for _, w := range words(text) {
			t := w.text
			if featureStopwords[t] || isNumber(t) {
				prev = ""
				continue
			}
			f[t] = 1
			if inTitle {
				f[titleFeatureTag+t] = 1
			}
			if prev != "" {
				f[prev+" "+t] = 1
			}
			prev = t
		}
	}
	add(title, true)
	add(summary, false)
	// Sorted, so that sums run in the same order every time and the same
	// examples always give the same model.
	out := make([]feature, 0, len(f))
	norm := math.Sqrt(float64(len(f)))
	for k, v := range f {
		out = append(out, feature{k, v / norm})
	}
	slices.SortFunc(out, func(a, b feature) int { return strings.Compare(a.name, b.name) })
	return out
}

// feature is one feature of an item and its value.
type feature struct {
	name  string
	value float64
}

func isNumber(s string) bool {
	return strings.Trim(s, "0123456789") == ""
}

// Train learns a model for topics from the examples whose topics were
// judged. It is deterministic: the same examples give the same model.
func Train(examples []Example, topics []string, now time.Time) *Model {
	// Features are numbered so that training works on slices, not maps.
	index := map[string]int{}
	var names []string
	type sample struct {
		idx    []int
		val    []float64
		topics []string
	}
	var data []sample
	for _, ex := range examples {
		if ex.Topics == nil {
			continue
		}
		s := sample{topics: ex.Topics}
		for _, f := range features(ex.Title, ex.Summary) {
			n, ok := index[f.name]
			if !ok {
				n = len(names)
				index[f.name] = n
				names = append(names, f.name)
			}
			s.idx, s.val = append(s.idx, n), append(s.val, f.value)
		}
		data = append(data, s)
	}
	m := &Model{TrainedAt: now.UTC(), Examples: len(data), Topics: map[string]*topicWeights{}}
	order := shuffled(len(data))
	for _, topic := range topics {
		y := make([]float64, len(data))
		positives := 0
		for i, s := range data {
			if slices.Contains(s.topics, topic) {
				y[i] = 1
				positives++
			}
		}
		if positives < minPositives || positives == len(data) {
			continue
		}
		// Positives are few for most topics; weighing them up keeps the
		// model from learning that the answer is always no.
		posWeight := math.Sqrt(float64(len(data)-positives) / float64(positives))
		w, bias := make([]float64, len(names)), 0.0
		for epoch := range trainEpochs {
			rate := learningRate / (1 + float64(epoch)/10)
			for _, i := range order {
				s := data[i]
				z := bias
				for j, n := range s.idx {
					z += w[n] * s.val[j]
				}
				g := 1/(1+math.Exp(-z)) - y[i]
				if y[i] == 1 {
					g *= posWeight
				}
				bias -= rate * g
				for j, n := range s.idx {
					w[n] -= rate * (g*s.val[j] + regularisation*w[n])
				}
			}
		}
		tw := &topicWeights{Bias: bias, Weights: map[string]float64{}}
		for n, v := range w {
			if math.Abs(v) >= prunedBelow {
				tw.Weights[names[n]] = v
			}
		}
		m.Topics[topic] = tw
	}
	return m
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

func (tw *topicWeights) probability(x []feature) float64 {
	z := tw.Bias
	for _, f := range x {
		z += tw.Weights[f.name] * f.value
	}
	return 1 / (1 + math.Exp(-z))
}

// probability is how likely the model finds topic for an item with
// features x, and whether it has learnt that topic at all.
func (m *Model) probability(topic string, x []feature) (float64, bool) {
	tw := m.Topics[topic]
	if tw == nil {
		return 0, false
	}
	return tw.probability(x), true
}

// reason names the words of x that weighed most for topic.
func (m *Model) reason(topic string, x []feature) string {
	tw := m.Topics[topic]
	type weighed struct {
		feature string
		weight  float64
	}
	var top []weighed
	for _, f := range x {
		if w := tw.Weights[f.name] * f.value; w > 0 && !strings.HasPrefix(f.name, titleFeatureTag) {
			top = append(top, weighed{f.name, w})
		}
	}
	slices.SortFunc(top, func(a, b weighed) int {
		return cmp.Or(cmp.Compare(b.weight, a.weight), cmp.Compare(a.feature, b.feature))
	})
	names := make([]string, 0, reasonWords)
	for _, t := range top[:min(reasonWords, len(top))] {
		names = append(names, t.feature)
	}
	return labelModel + ": " + strings.Join(names, ", ")
}

// MarshalModel writes a model for storage.
func MarshalModel(m *Model) ([]byte, error) { return json.Marshal(m) }

// UnmarshalModel reads a stored model.
func UnmarshalModel(b []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read tag model: %w", err)
	}
	if m.Topics == nil {
		m.Topics = map[string]*topicWeights{}
	}
	return &m, nil
}
