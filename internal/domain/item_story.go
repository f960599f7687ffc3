package domain

import (
	"net/url"
	"slices"
	"strings"
	"unicode"
)

// NearDuplicateTitle is the title similarity (TitleSimilarity) from which
// two items of the same language published within a day of each other
// are one story. 0.9 lets through a word added or a typo fixed in a title
// of ten words, and keeps apart "Situation report, 12 November" and
// "Situation report, 13 November".
const NearDuplicateTitle = 0.9

// minTokensAcrossDays keeps short, generic titles ("Press release",
// "Weekly update") published on neighbouring days apart.
const minTokensAcrossDays = 4

// NearDuplicate reports whether fresh is stored arriving again under a
// different link or with small edits: same language, published at most a
// day apart (time zones move a story across midnight), and near-identical
// titles. Two different pages of one site are never the same story, since
// a site does not publish a story twice; the same story on two sites, or
// in a listing and on a site, is.
func NearDuplicate(stored, fresh Item) bool {
	if stored.Language != fresh.Language {
		return false
	}
	days := stored.PublishedOn.Sub(fresh.PublishedOn.Time).Hours() / 24
	if days < -1 || days > 1 {
		return false
	}
	if days != 0 && (len(stored.TitleTokens) < minTokensAcrossDays || len(fresh.TitleTokens) < minTokensAcrossDays) {
		return false
	}
	if stored.URL != "" && fresh.URL != "" && stored.Fingerprint != fresh.Fingerprint &&
		sameHost(stored.URL, fresh.URL) {
		return false
	}
	return TitleSimilarity(stored.TitleTokens, fresh.TitleTokens) >= NearDuplicateTitle
}

func sameHost(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err1 != nil || err2 != nil {
		return false
	}
	host := func(u *url.URL) string { return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") }
	return host(ua) == host(ub)
}

// TitleSimilarity is the token-set (Jaccard) similarity of two titles
// given as folded words: shared words over all distinct words, from 0 to
// 1. Two words of five letters or more that differ by one letter count as
// shared, so "labor"/"labour" or a fixed typo do not make a new story;
// numbers must match exactly, since "12 November" is not "13 November".
func TitleSimilarity(a, b []string) float64 {
	a, b = uniqueSorted(a), uniqueSorted(b)
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	shared := 0
	var onlyA, onlyB []string
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			onlyA = append(onlyA, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			onlyB = append(onlyB, b[j])
			j++
		default:
			shared++
			i++
			j++
		}
	}
	used := make([]bool, len(onlyB))
	for _, x := range onlyA {
		for k, y := range onlyB {
			if !used[k] && typoOf(x, y) {
				used[k] = true
				shared++
				break
			}
		}
	}
	return float64(shared) / float64(len(a)+len(b)-shared)
}

func uniqueSorted(s []string) []string {
	if slices.IsSorted(s) {
		return slices.Compact(slices.Clone(s))
	}
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// typoOf reports whether two words of letters, five or more long, are one
// insertion, deletion or substitution apart.
func typoOf(x, y string) bool {
	rx, ry := []rune(x), []rune(y)
	if len(rx) < 5 || len(ry) < 5 || !allLetters(rx) || !allLetters(ry) {
		return false
	}
	if len(rx) > len(ry) {
		rx, ry = ry, rx
	}
	if len(ry)-len(rx) > 1 {
		return false
	}
	p := 0
	for p < len(rx) && rx[p] == ry[p] {
		p++
	}
	if len(rx) == len(ry) {
		return slices.Equal(rx[p+1:], ry[p+1:]) // one substitution
	}
	return slices.Equal(rx[p:], ry[p+1:]) // one insertion
}

func allLetters(rs []rune) bool {
	for _, r := range rs {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// PickLanguage keeps one version of each story: of items linked as
// translations of each other (Translations), the one in lang when there is
// one, else the first of them in items. Items that are no one's
// translation pass through; order is kept. Hidden items are left out, so a
// hidden version never stands in for a visible one.
//
// The version kept carries the tags of every visible version in items: a
// story is about what any of its versions names (the tagger reads each
// language on its own, and one may name a country the other leaves
// implicit), so a reader of one language is not denied a story for how
// the other was tagged.
//
// It sees only the items it is given: what an earlier edition sent is the
// compiler's business (storage's EarlierStories).
func PickLanguage(items []Item, lang string) []Item {
	chosen := map[int64]int{} // story → index in items of the version kept
	for i, it := range items {
		if it.Hidden {
			continue
		}
		story := storyOf(it)
		j, seen := chosen[story]
		if !seen || items[j].Language != lang && it.Language == lang {
			chosen[story] = i
		}
	}
	out := make([]Item, 0, len(chosen))
	at := make(map[int64]int, len(chosen)) // story → index in out
	for i, it := range items {
		if !it.Hidden && chosen[storyOf(it)] == i {
			at[storyOf(it)] = len(out)
			it.Countries, it.Regions, it.Topics = slices.Clip(it.Countries), slices.Clip(it.Regions), slices.Clip(it.Topics)
			out = append(out, it)
		}
	}
	for i, it := range items {
		if it.Hidden || len(it.Translations) == 0 || chosen[storyOf(it)] == i {
			continue
		}
		kept := &out[at[storyOf(it)]]
		kept.Countries = union(kept.Countries, it.Countries)
		kept.Regions = union(kept.Regions, it.Regions)
		kept.Topics = union(kept.Topics, it.Topics)
	}
	return out
}

// union appends to a the elements of b it lacks. a must not share its
// backing array with a caller's slice beyond its length (slices.Clip).
func union(a, b []string) []string {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	return a
}

// storyOf names the group of versions of an item: the smallest id in it,
// which every version computes alike from its own Translations.
func storyOf(it Item) int64 {
	s := it.ID
	for _, id := range it.Translations {
		s = min(s, id)
	}
	return s
}
