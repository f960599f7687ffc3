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
	score       int // from places and names (and topic phrases)
	weakScore   int // from nationality words
	originScore int // from places people were returned from
	reason      why // the best evidence
	rank        int // of reason: lower is better (title before summary, strong before weak)
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
	tg.addModelTopics(&tags, title, summary)
	slices.Sort(tags.Countries)
	slices.Sort(tags.Regions)
	slices.Sort(tags.Topics)
	return tags
}

// tagPlaces adds the countries and regions of an item to tags, given its
// text and words.
func (tg *Tagger) tagPlaces(tags *Tags, title, summary string, tw, sw []word, lang string) {
	places := map[placeKey]*evidence{}
	anyStrong := false
	var anchors []placeKey // what the title names as a place
	scanPlaces := func(ws []word, text string, inTitle bool) {
		sentences := sentenceStarts(text)
		parties := listFollowing{starts: phraseEnds(&tg.leads, ws)}
		origins := listFollowing{starts: phraseEnds(&tg.origins, ws)}
		tg.places.scan(ws, func(h hit, from, to int) {
			if h.lang != "" && h.lang != lang || tg.partOfName(ws, from, to) {
				return
			}
			key := placeKey{kind: h.kind, code: h.code}
			party := parties.has(ws, from, to)
			if origins.has(ws, from, to) {
				// "deported from the United States and Mexico"
				ev := places[key]
				if ev == nil {
					ev = &evidence{}
					places[key] = ev
				}
				ev.originScore++
				ev.note(0, false, 4, reason(labelOrigin, text, ws, from, to))
				return
			}
			label, strong := h.label, !h.weak
			switch {
			case h.kind == kindRegion && strong && tg.inOrgName(ws, from, to):
				// "the Mesoamerica Program": an actor, which says who.
				label, strong = labelForum, false
			case h.kind == kindRegion && strong && to < len(ws) && tg.members[ws[to].text]:
				// "three Caribbean countries": some of its countries.
				label, to = labelGroup, to+1
			case h.weak:
				if f, t, l, ok := tg.institution(ws, from, to, h.label); ok {
					label, strong, from, to = l, true, f, t
				}
			}
			ev := places[key]
			if ev == nil {
				ev = &evidence{}
				places[key] = ev
			}
			sentence := sentenceOf(sentences, ws[from].start)
			if !inTitle && !ev.once(sentence, strong) && !(party && strong) {
				return
			}
			points, rank := placeSummary, 1
			switch {
			case inTitle && strong:
				points, rank = placeTitle, 0
				anchors = append(anchors, key)
			case inTitle:
				points, rank = placeTitle, 2
			case !strong:
				points, rank = demonymSummary, 3
			case party:
				// "the Government of Saint Lucia", "officials from
				// Guatemala, Honduras and El Salvador": a party to the story.
				points, label = placeTitle, labelParticipant
			}
			ev.note(points, strong, rank, reason(label, text, ws, from, to))
			anyStrong = anyStrong || strong
		})
	}
	scanPlaces(tw, title, true)
	scanPlaces(sw, summary, false)
	anyWeak := false
	for _, ev := range places {
		anyWeak = anyWeak || ev.weakScore > 0
	}
	if !anyStrong && !anyWeak {
		// Nothing but where people came from: that is where the story is.
		for _, ev := range places {
			ev.weakScore += ev.originScore
		}
	}
	tagged := map[string]bool{}
	for key, ev := range places {
		if key.kind == kindCountry && tg.placeScore(ev, anyStrong) >= tg.placeNeed(key, anchors, anyStrong) {
			tagged[key.code] = true
			tags.Countries = append(tags.Countries, key.code)
			tags.Reasons.Countries[key.code] = ev.reason.String()
		}
	}
	for key, ev := range places {
		if key.kind != kindRegion || tg.placeScore(ev, anyStrong) < tg.placeNeed(key, anchors, anyStrong) {
			continue
		}
		// A region only the summary names, or only as a group of countries
		// ("three Caribbean countries"), whose countries the item names
		// too, is where those countries are, not the story's subject: the
		// countries say which took part.
		if (ev.rank > 0 || ev.reason.label == labelActor || ev.reason.label == labelGroup) && slices.ContainsFunc(tg.regionMembers[key.code], func(c string) bool { return tagged[c] }) {
			continue
		}
		tags.Regions = append(tags.Regions, key.code)
		tags.Reasons.Regions[key.code] = ev.reason.String()
	}
}

// placeScore is what speaks for a place. A nationality word, or a forum's
// name, says who, not where: it counts only when nothing names a place.
func (tg *Tagger) placeScore(ev *evidence, anyStrong bool) int {
	if anyStrong {
		return ev.score
	}
	return ev.score + ev.weakScore
}

// placeNeed is the score a place needs. When the title names a place the
// summary's passing mentions are not the story's places, unless the title
// names a region this country belongs to ("training across the Caribbean:
// participants from Jamaica and Barbados"): then the summary says which of
// its countries the story is about.
func (tg *Tagger) placeNeed(key placeKey, anchors []placeKey, anyStrong bool) int {
	switch {
	case !anyStrong:
		return placeNeedOnlyWeak
	case len(anchors) == 0:
		return placeNeedUnanchored
	}
	for _, a := range anchors {
		if a.kind == kindRegion && slices.Contains(tg.regionMembers[a.code], key.code) {
			return placeNeedUnanchored
		}
	}
	return placeNeedAnchored
}

// listWords join the items of a list of places.
var listWords = map[string]bool{"and": true, "or": true, "the": true, "y": true, "e": true, "o": true, "el": true, "la": true, "los": true, "las": true}

func onlyListWords(ws []word) bool {
	for _, w := range ws {
		if !listWords[w.text] {
			return false
		}
	}
	return true
}

// listFollowing finds the places listed right after a phrase: "officials
// from Guatemala, Honduras and El Salvador", "deported from the United
// States and Mexico".
type listFollowing struct {
	starts map[int]bool // word indexes right after a phrase
	last   int          // where the last listed place ends; 0 for none
}

// has reports whether the place ws[from:to] is listed after a phrase,
// with nothing but list words ("and", "the", commas) between, and if so
// notes where it ends, so that the next place of the list is too.
func (l *listFollowing) has(ws []word, from, to int) bool {
	for i := from; ; i-- {
		if l.starts[i] || l.last > 0 && l.last == i {
			l.last = to
			return true
		}
		if i == 0 || !listWords[ws[i-1].text] {
			return false
		}
	}
}

// phraseEnds returns the indexes of the words right after each phrase m
// finds in ws.
func phraseEnds(m *phraseMatcher, ws []word) map[int]bool {
	out := map[int]bool{}
	m.scan(ws, func(_ hit, _, to int) { out[to] = true })
	return out
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

// addModelTopics adds the topics the model finds likely and no phrase
// set, with the words that weighed most as their reason. The model only
// adds: the phrase rules are the more precise, and letting the model
// drop their weaker topics cost more recall than it gained precision.
func (tg *Tagger) addModelTopics(tags *Tags, title, summary string) {
	m := tg.model.Load()
	if m == nil {
		return
	}
	x := features(title, summary)
	for _, topic := range tg.topicSlugs {
		if _, set := tags.Reasons.Topics[topic]; set {
			continue
		}
		if p, learnt := m.probability(topic, x); !learnt || p < modelThreshold {
			continue
		}
		tags.Topics = append(tags.Topics, topic)
		tags.Reasons.Topics[topic] = m.reason(topic, x)
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

// institution reports whether the nationality word (or forum name)
// ws[from:to] is next to a word that makes it name a party to the story,
// after it in English ("Guatemalan authorities", "Honduran returnees") or
// before it in Spanish ("autoridades guatemaltecas", "retornados
// hondureños"), and returns the span of both words and the label of the
// pair. A forum's name pairs only with words naming its members as a
// whole ("RCM countries"): its officials are still only an actor.
func (tg *Tagger) institution(ws []word, from, to int, label string) (int, int, string, bool) {
	if label == labelForum {
		return nextTo(ws, from, to, tg.members, labelForum)
	}
	if f, t, l, ok := nextTo(ws, from, to, tg.actors, labelActor); ok {
		return f, t, l, true
	}
	return nextTo(ws, from, to, tg.parties, labelParty)
}

// nextTo reports whether a word of set is right after or right before
// ws[from:to], and returns the span of both and label.
func nextTo(ws []word, from, to int, set map[string]bool, label string) (int, int, string, bool) {
	switch {
	case to < len(ws) && set[ws[to].text]:
		return from, to + 1, label, true
	case from > 0 && set[ws[from-1].text]:
		return from - 1, to, label, true
	}
	return from, to, "", false
}

// inOrgName reports whether the place ws[from:to] is part of a capitalised
// name that has a word naming an organisation in it: "IOM's Mesoamerica
// Program", "the Caribbean Migration Consultations", "la Oficina Regional
// para Centroamérica". Small linking words ("for", "para", "de") may join
// the name's words.
func (tg *Tagger) inOrgName(ws []word, from, to int) bool {
	found := false
	visit := func(i int) bool {
		w := ws[i]
		if nameLinks[w.text] && !w.capital {
			return true
		}
		if !w.capital {
			return false
		}
		found = found || tg.orgWords[w.text]
		return true
	}
	for i := from - 1; i >= 0 && !found && visit(i); i-- {
	}
	for i := to; i < len(ws) && !found && visit(i); i++ {
	}
	return found
}

// nameLinks are the small words inside multi-word names.
var nameLinks = map[string]bool{"of": true, "for": true, "on": true, "and": true, "the": true,
	"de": true, "del": true, "la": true, "las": true, "los": true, "el": true, "para": true, "sobre": true, "y": true}

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
