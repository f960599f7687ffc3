package tagging

import (
	_ "embed"
	"fmt"
	"strings"

	"newsdigest/internal/i18n"
)

// The tagger's vocabulary is data so that an editor can correct a rule
// without reading Go; see the header of each file for its format.
var (
	//go:embed data/gazetteer.tsv
	gazetteerTSV string
	//go:embed data/topics.tsv
	topicsTSV string
)

// matchKind is what a phrase means when found.
type matchKind uint8

const (
	kindCountry matchKind = iota // a country name, alias, place or nationality
	kindRegion
	kindTopic
	kindBlock // consumes the phrase and means nothing
	kindLead  // introduces the parties to a story: "officials from"
)

// caseRule is what capitalisation a phrase word needs in the text.
type caseRule uint8

const (
	caseAny     caseRule = iota
	caseCapital          // "Chile": not the pepper
	caseUpper            // "US": not the pronoun
)

// hit is one meaning of a phrase.
type hit struct {
	kind   matchKind
	code   string // country code, region code or topic slug
	weight int    // topics only: strongWeight or weakWeight
	weak   bool   // places only: a nationality word, which says who, not where
	label  string // what the phrase is, for the tag's reason: "place", "name"…
	lang   string // a language code when the rule holds only in text of that language
	cases  []caseRule
}

// phraseMatcher finds phrases in a list of words, preferring at each
// position the longest phrase that matches: that is what keeps "Guinea"
// out of "Papua New Guinea" and "Mexico" out of "New Mexico". It is a trie
// over folded words, built once, so a lookup costs a few map reads per word
// however many phrases there are; it is safe for concurrent use once built.
type phraseMatcher struct{ root trieNode }

type trieNode struct {
	next map[string]*trieNode
	// Words ending in "*" in the data match any word they begin; indexed by
	// their first three letters so a word only tries the few that can fit.
	prefixes map[string][]prefixEdge
	hits     []hit
}

type prefixEdge struct {
	prefix string
	node   *trieNode
}

// minPrefix keeps wildcards from matching half the dictionary.
const minPrefix = 3

// add inserts phrase (as written in the data files: capitals and trailing
// "*" significant) with the meaning h.
func (m *phraseMatcher) add(phrase string, h hit) error {
	n := &m.root
	h.cases = nil
	fields := strings.Fields(phrase)
	if len(fields) == 0 {
		return fmt.Errorf("empty phrase")
	}
	for _, f := range fields {
		star := strings.HasSuffix(f, "*")
		ws := words(strings.TrimSuffix(f, "*"))
		if len(ws) == 0 {
			continue // punctuation only, such as "&" or "-"
		}
		for i, w := range ws {
			h.cases = append(h.cases, caseOf(w))
			if star && i == len(ws)-1 {
				if len(w.text) < minPrefix {
					return fmt.Errorf("phrase %q: wildcard needs at least %d letters before it", phrase, minPrefix)
				}
				n = n.prefixChild(w.text)
			} else {
				n = n.child(w.text)
			}
		}
	}
	if len(h.cases) == 0 {
		return fmt.Errorf("phrase %q has no words", phrase)
	}
	for _, old := range n.hits {
		// The same rule twice, e.g. a CLDR name repeated as an alias, or
		// a name spelled alike in two languages, one of which holds in
		// every text.
		if old.kind == h.kind && old.code == h.code && (old.lang == h.lang || old.lang == "") && equalCases(old.cases, h.cases) {
			return nil
		}
	}
	n.hits = append(n.hits, h)
	return nil
}

func caseOf(w word) caseRule {
	switch {
	case w.upper && len(w.text) > 1:
		return caseUpper
	case w.capital:
		return caseCapital
	}
	return caseAny
}

func equalCases(a, b []caseRule) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (n *trieNode) child(w string) *trieNode {
	if n.next == nil {
		n.next = map[string]*trieNode{}
	}
	c := n.next[w]
	if c == nil {
		c = &trieNode{}
		n.next[w] = c
	}
	return c
}

func (n *trieNode) prefixChild(p string) *trieNode {
	if n.prefixes == nil {
		n.prefixes = map[string][]prefixEdge{}
	}
	key := p[:minPrefix]
	for _, e := range n.prefixes[key] {
		if e.prefix == p {
			return e.node
		}
	}
	c := &trieNode{}
	n.prefixes[key] = append(n.prefixes[key], prefixEdge{p, c})
	return c
}

// scan walks ws left to right and calls fn with the meanings of the longest
// phrase starting at each position, and the phrase's place ws[from:to],
// then continues after that phrase; a block phrase is consumed without
// calling fn.
func (m *phraseMatcher) scan(ws []word, fn func(h hit, from, to int)) {
	for i := 0; i < len(ws); {
		n, node := 0, (*trieNode)(nil)
		m.root.longest(ws, i, 0, &n, &node)
		if n == 0 {
			i++
			continue
		}
		span := ws[i : i+n]
		blocked := false
		for _, h := range node.hits {
			if h.kind == kindBlock && casesFit(h.cases, span) {
				blocked = true
			}
		}
		if !blocked {
			for _, h := range node.hits {
				if casesFit(h.cases, span) {
					fn(h, i, i+n)
				}
			}
		}
		i += n
	}
}

// longest finds the longest phrase starting at ws[start] (depth words
// already matched to reach n) whose case rules the text satisfies.
func (n *trieNode) longest(ws []word, start, depth int, bestLen *int, best **trieNode) {
	if depth > *bestLen && len(n.hits) > 0 {
		for _, h := range n.hits {
			if casesFit(h.cases, ws[start:start+depth]) {
				*bestLen, *best = depth, n
				break
			}
		}
	}
	i := start + depth
	if i >= len(ws) {
		return
	}
	w := ws[i].text
	if c := n.next[w]; c != nil {
		c.longest(ws, start, depth+1, bestLen, best)
	}
	if len(w) >= minPrefix && n.prefixes != nil {
		for _, e := range n.prefixes[w[:minPrefix]] {
			if strings.HasPrefix(w, e.prefix) {
				e.node.longest(ws, start, depth+1, bestLen, best)
			}
		}
	}
}

func casesFit(cases []caseRule, span []word) bool {
	if len(cases) != len(span) {
		return false
	}
	for i, c := range cases {
		switch {
		case c == caseCapital && !span[i].capital:
			return false
		case c == caseUpper && !span[i].upper:
			return false
		}
	}
	return true
}

// rule is one line of a data file: a kind or weight, a code, and phrases.
type rule struct {
	line   int
	head   string // gazetteer: the kind; topics: the weight
	lang   string // from "kind:es": the rule holds in text of that language only
	codes  []string
	phrase []string
}

// parseRules reads the tab-separated rule files. Errors name the file and
// line, since they are found by the tests, not by an operator.
func parseRules(name, data string) ([]rule, error) {
	var out []rule
	n := 0
	for line := range strings.Lines(data) {
		n++
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			return nil, fmt.Errorf("%s:%d: want 3 tab-separated columns, got %d", name, n, len(cols))
		}
		head, lang, _ := strings.Cut(cols[0], ":")
		if lang != "" && !i18n.Has(lang) {
			return nil, fmt.Errorf("%s:%d: language %q: want one of %s", name, n, lang, strings.Join(i18n.Languages(), ", "))
		}
		r := rule{line: n, head: head, lang: lang, codes: strings.Fields(cols[1])}
		for _, p := range strings.Split(cols[2], "|") {
			if p = strings.TrimSpace(p); p != "" {
				r.phrase = append(r.phrase, p)
			}
		}
		if len(r.codes) == 0 || len(r.phrase) == 0 {
			return nil, fmt.Errorf("%s:%d: code and phrases are required", name, n)
		}
		out = append(out, r)
	}
	return out, nil
}

// nameVariants returns the ways a CLDR or taxonomy name is written in
// running text: "St. Kitts & Nevis" is also "Saint Kitts and Nevis", and
// "Myanmar (Burma)" is "Myanmar" or "Burma".
func nameVariants(name string) []string {
	var out []string
	base, paren := name, ""
	if i := strings.Index(name, "("); i > 0 && strings.HasSuffix(name, ")") {
		base, paren = strings.TrimSpace(name[:i]), name[i+1:len(name)-1]
	}
	for _, s := range []string{base, paren} {
		if s == "" {
			continue
		}
		out = append(out, s)
		if strings.Contains(s, "&") {
			out = append(out, strings.ReplaceAll(s, "&", "and"), strings.ReplaceAll(s, "&", "y"))
		}
		if strings.HasPrefix(s, "St. ") {
			out = append(out, "Saint "+strings.ReplaceAll(s[4:], "&", "and"))
		}
	}
	return out
}
