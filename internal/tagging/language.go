package tagging

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"newsdigest/internal/i18n"
)

// languagesTSV says how to tell the languages apart; see its header.
//
//go:embed data/languages.tsv
var languagesTSV string

// languageRules are the words and marks of each language, and the words
// common to all that the model ignores.
type languageRules struct {
	order    []string                   // languages with function words, the source first
	function map[string]map[string]bool // language → folded function words
	marks    map[string]string          // language → its marks
	common   map[string]bool            // folded words the model leaves out
}

var languages = mustLanguageRules(languagesTSV)

func mustLanguageRules(data string) *languageRules {
	lr, err := parseLanguageRules(data)
	if err != nil {
		panic(err)
	}
	return lr
}

func parseLanguageRules(data string) (*languageRules, error) {
	lr := &languageRules{function: map[string]map[string]bool{}, marks: map[string]string{}, common: map[string]bool{}}
	n := 0
	for line := range strings.Lines(data) {
		n++
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			return nil, fmt.Errorf("languages.tsv:%d: want 3 tab-separated columns, got %d", n, len(cols))
		}
		kind, lang, list := cols[0], cols[1], cols[2]
		if !i18n.Has(lang) {
			return nil, fmt.Errorf("languages.tsv:%d: language %q has no catalogue file", n, lang)
		}
		switch kind {
		case "function":
			if lr.function[lang] == nil {
				lr.function[lang] = map[string]bool{}
				lr.order = append(lr.order, lang)
			}
			for _, w := range strings.Fields(list) {
				lr.function[lang][fold(w)] = true
			}
		case "mark":
			lr.marks[lang] += strings.ReplaceAll(list, " ", "")
		case "common":
			for _, w := range strings.Fields(list) {
				lr.common[fold(w)] = true
			}
		default:
			return nil, fmt.Errorf("languages.tsv:%d: unknown kind %q", n, kind)
		}
	}
	if !slices.Contains(lr.order, i18n.Source) {
		return nil, fmt.Errorf("languages.tsv: no function words for %s, the default language", i18n.Source)
	}
	// The source language first: it wins ties.
	slices.SortStableFunc(lr.order, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == i18n.Source:
			return -1
		case b == i18n.Source:
			return 1
		}
		return 0
	})
	return lr, nil
}

// DetectLanguage tells which language of the catalogue text is written
// in, among those languages.tsv has function words for. It counts each
// language's function words, and its marks (ñ, ¿, ç…) as half a word
// each, since accents in proper names ("Dajabón", "México") are common in
// text of any language. Ties and empty text give the source language,
// the default of the API.
func DetectLanguage(text string) string {
	ws := words(text)
	// Capitalised words are left out at first: "El Salvador", "La Ceiba"
	// and "Los Chiles" are Spanish words inside English news. Only text
	// with no lower-case function word at all (a shouted title) uses them.
	votes := languages.countFunctionWords(ws, false)
	if slices.Max(votes) == 0 {
		votes = languages.countFunctionWords(ws, true)
	}
	best, bestScore := languages.order[0], -1
	for i, lang := range languages.order {
		marks := 0
		if m := languages.marks[lang]; m != "" {
			for _, r := range text {
				if strings.ContainsRune(m, r) {
					marks++
				}
			}
		}
		if score := votes[i]*2 + marks/2; score > bestScore {
			best, bestScore = lang, score
		}
	}
	return best
}

// countFunctionWords counts, for each language in order, the words of ws
// that are its function words.
func (lr *languageRules) countFunctionWords(ws []word, capitalised bool) []int {
	votes := make([]int, len(lr.order))
	for _, w := range ws {
		if w.capital && !capitalised {
			continue
		}
		for i, lang := range lr.order {
			if lr.function[lang][w.text] {
				votes[i]++
			}
		}
	}
	return votes
}
