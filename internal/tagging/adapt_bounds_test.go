package tagging_test

import (
	"fmt"
	"slices"
	"strings"

	"newsdigest/internal/tagging"
	"newsdigest/internal/tagging/tagtest"
)

// knownBound scores the stories that come next as a tagger would that,
// from the desk's corrections (corrected), knew the desk's conventions
// exactly and applied them to the topics it gave before any correction
// (before, by title): a convention about topics (the desk never uses X,
// X only when the title says so, with the desk's own list of title
// words, X stories are Y too) once the corrections showed it at least
// shown times; a convention about words (psychosocial support, weather,
// migration authorities…) only for stories with a word the corrections
// showed it by, since nothing else says which words the desk means. It
// is what a learner of the desk's habits could reach at best, given the
// tagger's own misses and extras before the desk spoke. With shown 0,
// every convention is known, words and all, shown or not.
func knownBound(corrected, next []tagging.Example, before map[string][]string, shown int) tagtest.Score {
	times := map[string]int{}
	seen := map[string]map[string]bool{} // convention → words it was shown by
	for _, it := range corrected {
		for name := range tagtest.Changes(it) {
			times[name]++
			c := tagtest.Conventions[slices.IndexFunc(tagtest.Conventions, func(c tagtest.Convention) bool { return c.Name == name })]
			for _, w := range c.Words(it) {
				if seen[name] == nil {
					seen[name] = map[string]bool{}
				}
				seen[name][w] = true
			}
		}
	}
	var sc tagtest.Score
	for _, it := range next {
		topics := before[it.Title]
		for _, c := range tagtest.Conventions {
			known := times[c.Name] >= shown
			if c.Text != nil && shown > 0 {
				known = slices.ContainsFunc(c.Words(it), func(w string) bool { return seen[c.Name][w] })
			}
			if known {
				topics = c.Apply(it, topics)
			}
		}
		sc.Add(tagtest.DeskTopics(it), topics)
	}
	return sc
}

// confusion counts, per topic, the tagger's errors on the stories that
// come next: [0] extra and [1] missed where the desk's label is the
// shipped one, [2] extra and [3] missed where a convention changed it.
type confusion map[string]*[4]int

func (c confusion) add(it tagging.Example, got []string) {
	desk := tagtest.DeskTopics(it)
	for _, topic := range append(slices.Clone(desk), got...) {
		want, has := slices.Contains(desk, topic), slices.Contains(got, topic)
		if want == has {
			continue
		}
		k := 1 // missed
		if has {
			k = 0 // extra
		}
		if slices.Contains(it.Topics, topic) != want {
			k += 2
		}
		if c[topic] == nil {
			c[topic] = &[4]int{}
		}
		c[topic][k]++
	}
}

// String lists the topics, the most errors first.
func (c confusion) String() string {
	topics := make([]string, 0, len(c))
	total := func(t string) int { return c[t][0] + c[t][1] + c[t][2] + c[t][3] }
	for t := range c {
		topics = append(topics, t)
	}
	slices.SortFunc(topics, func(a, b string) int {
		if d := total(b) - total(a); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	var b strings.Builder
	fmt.Fprintf(&b, "    %-22s %s\n", "topic", "extra missed (as shipped) / extra missed (a convention changed the label)")
	var sum [4]int
	for _, t := range topics {
		n := c[t]
		fmt.Fprintf(&b, "    %-22s %3d %3d / %3d %3d\n", t, n[0], n[1], n[2], n[3])
		for i := range sum {
			sum[i] += n[i]
		}
	}
	fmt.Fprintf(&b, "    %-22s %3d %3d / %3d %3d", "all", sum[0], sum[1], sum[2], sum[3])
	return b.String()
}
