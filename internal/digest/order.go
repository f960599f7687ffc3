package digest

import (
	"slices"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"newsdigest/internal/render"
)

// A digest's sections come in the order a reader looks for them: the
// countries by name in the reader's language ("El Salvador" before
// "Panamá", as a Spanish or English reader expects, not by ISO code),
// then Regional, then the topics by name, then the untagged stories a
// reader of all stories gets.

// kindRank is where each kind of section goes.
var kindRank = map[string]int{KindCountry: 0, KindRegional: 1, KindTopic: 2, KindOther: 3}

// collators hands out a collator per language. A Collator is not safe for
// concurrent use and costs some microseconds to make; digests are laid out
// by the thousand, on many goroutines.
var collators sync.Map // language code → *sync.Pool of *collate.Collator

func collatorPool(lang string) *sync.Pool {
	if p, ok := collators.Load(lang); ok {
		return p.(*sync.Pool)
	}
	tag := language.Make(lang)
	p, _ := collators.LoadOrStore(lang, &sync.Pool{New: func() any {
		return collate.New(tag)
	}})
	return p.(*sync.Pool)
}

// orderSections sorts sections, whose kinds are in kinds, as above.
func orderSections(lang string, sections []render.Section, kinds []string) {
	pool := collatorPool(lang)
	c := pool.Get().(*collate.Collator)
	defer pool.Put(c)
	idx := make([]int, len(sections))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if d := kindRank[kinds[a]] - kindRank[kinds[b]]; d != 0 {
			return d
		}
		return c.CompareString(sections[a].Title, sections[b].Title)
	})
	sorted := make([]render.Section, len(sections))
	for i, j := range idx {
		sorted[i] = sections[j]
	}
	copy(sections, sorted)
}
