package tagging

import (
	"slices"
	"strings"
)

// Scoring. A title is written to say what the item is about, so a mention
// there counts for a lot; the summary also names places and themes in
// passing ("the canton of Upala, on the border with Nicaragua"), so one
// mention there is weaker, and a nationality word weaker still.
const (
	placeTitle          = 4
	placeSummary        = 2
	demonymSummary      = 1
	placeNeedAnchored   = 4 // when the title itself names a place
	placeNeedUnanchored = 2 // when it does not: the summary says where
	placeNeedOnlyWeak   = 1 // when nothing but a nationality word says where

	strongWeight = 3
	weakWeight   = 1
	topicTitle   = 3 // multiplies a topic phrase's weight in the title
	topicNeed    = 3 // a strong phrase once, or a weak one in the title
)

// evidence gathers what speaks for one tag.
type evidence struct {
	score     int // from places and names (and topic phrases)
	weakScore int // from nationality words
	reason    why // the best evidence
	rank      int // of reason: lower is better (title before summary, strong before weak)
	// counted holds 1 + the last summary sentence in which a strong
	// ([0]) or a nationality ([1]) mention counted, 0 for none.
	counted [2]int
}

// once reports whether a summary mention in sentence n should count: a
// place counts once per sentence, so "Eagle Pass, Texas" or "flights to
// Miami, by a Miami firm" is one mention, not the summary returning to it.
// Names and nationality words are counted apart, so a nationality word
// does not hide a name in the same sentence.
func (e *evidence) once(n int, strong bool) bool {
	i := 0
	if !strong {
		i = 1
	}
	if e.counted[i] == n+1 {
		return false
	}
	e.counted[i] = n + 1
	return true
}

func (e *evidence) note(points int, strong bool, rank int, reason why) {
	if strong {
		e.score += points
	} else {
		e.weakScore += points
	}
	if e.reason.label == "" || rank < e.rank {
		e.reason, e.rank = reason, rank
	}
}

// why is a tag's reason before it is written out, which only the tags
// kept need: a label and where the words are in which text.
type why struct {
	label      string
	text       string
	start, end int
}

func (w why) String() string { return w.label + ": " + w.text[w.start:w.end] }

func reason(label, text string, ws []word, from, to int) why {
	return why{label: label, text: text, start: ws[from].start, end: ws[to-1].end}
}

// placeKey is a country (kindCountry) or a region (kindRegion).
type placeKey struct {
	kind matchKind
	code string
}

// Tag returns the countries, regions and topics of an item written in
// lang ("en" or "es"; "" detects it), each with the words that set it.
//
// Countries and regions are where the story happens. A mention in the
// title is enough. Mentions only in the summary count when the title names
// no place (the summary then says where the story is), or when the summary
// returns to the place; so "Costa Rica: ... Upala, on the border with
// Nicaragua" is CR alone. A nationality word ("Nicaraguan workers",
// "migrantes hondureños") says who, not where: it counts only when nothing
// names a place, unless it names a country's institutions ("Mexican
// consulates"). A name that is part of another name ("Plaza España",
// "Barrio Cuba") is not a place of that country.
//
// Topics: a strong phrase anywhere, or a weak one in the title or three
// times in the summary.
func (tg *Tagger) Tag(title, summary, lang string) Tags {
	if lang == "" {
		lang = DetectLanguage(title + "\n" + summary)
	}
	tw, sw := words(title), words(summary)
	tags := Tags{Countries: []string{}, Regions: []string{}, Topics: []string{}}
	tags.Reasons.Countries, tags.Reasons.Regions, tags.Reasons.Topics = map[string]string{}, map[string]string{}, map[string]string{}
	tg.tagPlaces(&tags, title, summary, tw, sw, lang)
	tg.tagTopics(&tags, title, summary, tw, sw, lang)
	slices.Sort(tags.Countries)
	slices.Sort(tags.Regions)
	slices.Sort(tags.Topics)
	return tags
}

// tagPlaces adds the countries and regions of an item to tags, given its
// text and words.
func (tg *Tagger) tagPlaces(tags *Tags, title, summary string, tw, sw []word, lang string) {
	places := map[placeKey]*evidence{}
	anchored, anyStrong := false, false
	scanPlaces := func(ws []word, text string, inTitle bool) {
		sentences := sentenceStarts(text)
		tg.places.scan(ws, func(h hit, from, to int) {
			if h.lang != "" && h.lang != lang || tg.partOfName(ws, from, to) {
				return
			}
			label, strong := h.label, !h.weak
			if h.weak {
				if f, t, ok := tg.institution(ws, from, to); ok {
					label, strong, from, to = labelActor, true, f, t
				}
			}
			key := placeKey{kind: h.kind, code: h.code}
			ev := places[key]
			if ev == nil {
				ev = &evidence{}
				places[key] = ev
			}
			if !inTitle && !ev.once(sentenceOf(sentences, ws[from].start), strong) {
				return
			}
			points, rank := placeSummary, 1
			switch {
			case inTitle && strong:
				points, rank, anchored = placeTitle, 0, true
			case inTitle:
				points, rank = placeTitle, 2
			case !strong:
				points, rank = demonymSummary, 3
			}
			ev.note(points, strong, rank, reason(label, text, ws, from, to))
			anyStrong = anyStrong || strong
		})
	}
	scanPlaces(tw, title, true)
	scanPlaces(sw, summary, false)
	need := placeNeedOnlyWeak
	switch {
	case anchored:
		need = placeNeedAnchored
	case anyStrong:
		need = placeNeedUnanchored
	}
	// A region named in the title stands for its members that the
	// summary lists ("Northern Triangle: ... in El Salvador, Guatemala and
	// Honduras"): they are the region, not separate stories.
	covered := map[string]bool{}
	for key, ev := range places {
		if key.kind == kindRegion && ev.rank == 0 {
			for _, c := range tg.regionMembers[key.code] {
				covered[c] = true
			}
		}
	}
	for key, ev := range places {
		score := ev.score
		if !anyStrong {
			// Nothing names a place: a nationality word is the best sign
			// of where the story is. Otherwise it says who, not where.
			score += ev.weakScore
		}
		if score < need || key.kind == kindCountry && ev.rank > 0 && covered[key.code] {
			continue
		}
		if key.kind == kindRegion {
			tags.Regions = append(tags.Regions, key.code)
			tags.Reasons.Regions[key.code] = ev.reason.String()
		} else {
			tags.Countries = append(tags.Countries, key.code)
			tags.Reasons.Countries[key.code] = ev.reason.String()
		}
	}
}

// tagTopics adds the topics of an item to tags, given its text and words.
func (tg *Tagger) tagTopics(tags *Tags, title, summary string, tw, sw []word, lang string) {
	topics := map[string]*evidence{}
	scanTopics := func(ws []word, text string, inTitle bool) {
		tg.topics.scan(ws, func(h hit, from, to int) {
			if h.lang != "" && h.lang != lang {
				return
			}
			ev := topics[h.code]
			if ev == nil {
				ev = &evidence{}
				topics[h.code] = ev
			}
			points, rank := h.weight, 1
			if inTitle {
				points, rank = h.weight*topicTitle, 0
			}
			if h.weight < strongWeight {
				rank += 2
			}
			ev.note(points, h.weight >= strongWeight, rank, reason(h.label, text, ws, from, to))
		})
	}
	scanTopics(tw, title, true)
	scanTopics(sw, summary, false)
	for slug, ev := range topics {
		if ev.score+ev.weakScore >= topicNeed {
			tags.Topics = append(tags.Topics, slug)
			tags.Reasons.Topics[slug] = ev.reason.String()
		}
	}
}

// partOfName reports whether the place ws[from:to] is part of a longer
// proper name: right after a capitalised prefix ("Plaza España") or right
// before a capitalised suffix ("Cuba Street").
func (tg *Tagger) partOfName(ws []word, from, to int) bool {
	if from > 0 && ws[from-1].capital && tg.namePrefixes[ws[from-1].text] {
		return true
	}
	return to < len(ws) && ws[to].capital && tg.nameSuffixes[ws[to].text]
}

// institution reports whether the nationality word ws[from:to] is next
// to a word naming institutions, after it in English ("Guatemalan
// authorities") or before it in Spanish ("autoridades guatemaltecas"), and
// returns the span of both words.
func (tg *Tagger) institution(ws []word, from, to int) (int, int, bool) {
	switch {
	case to < len(ws) && tg.actors[ws[to].text]:
		return from, to + 1, true
	case from > 0 && tg.actors[ws[from-1].text]:
		return from - 1, to, true
	}
	return from, to, false
}

// sentenceStarts returns the byte offsets at which the sentences of text
// after the first begin: after ".", "!", "?" or ";" and a space. Initials
// ("EE. UU.") split a sentence too, which only makes a place count twice.
func sentenceStarts(text string) []int {
	var out []int
	for i := 1; i < len(text); i++ {
		if text[i] == ' ' && strings.ContainsRune(".!?;", rune(text[i-1])) {
			out = append(out, i+1)
		}
	}
	return out
}

// sentenceOf returns the index of the sentence holding byte offset at.
func sentenceOf(starts []int, at int) int {
	n, _ := slices.BinarySearch(starts, at+1)
	return n
}
