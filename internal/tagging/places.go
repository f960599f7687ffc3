package tagging

import "slices"

// tagPlaces adds the countries and regions of an item to tags, given its
// text and words.
func (tg *Tagger) tagPlaces(tags *Tags, title, summary string, tw, sw []word, lang string) {
	places := map[placeKey]*evidence{}
	anyStrong := false
	var anchors []placeKey // what the title names as a place
	scanPlaces := func(ws []word, text string, inTitle bool) {
		sentences := sentenceStarts(text)
		parties := listFollowing{starts: phraseEnds(&tg.leads, ws)}
		// "la diáspora haitiana en", "retornados salvadoreños desde":
		// a nationality word inside the phrase does not break it.
		nationality := tg.nationalityWords(ws)
		origins := listFollowing{starts: phraseEndsSkipping(&tg.origins, ws, nationality)}
		abroad := listFollowing{starts: phraseEndsSkipping(&tg.abroad, ws, nationality)}
		tg.places.scan(ws, func(h hit, from, to int) {
			if h.lang != "" && h.lang != lang || tg.partOfName(ws, from, to) {
				return
			}
			// "the Caribbean province of Limón": where in a country, which
			// says where only when nothing else does ("small Caribbean
			// island states"), like a nationality word.
			qualifier := h.kind == kindRegion && to < len(ws) && tg.qualified[ws[to].text]
			key := placeKey{kind: h.kind, code: h.code}
			party := parties.has(ws, from, to)
			if label, away := originLabel(&origins, &abroad, ws, from, to); away {
				// "deported from the United States and Mexico", "the
				// diaspora in the United States": not the story's place.
				ev := places[key]
				if ev == nil {
					ev = &evidence{}
					places[key] = ev
				}
				ev.originScore++
				ev.note(0, false, 4, reason(label, text, ws, from, to))
				return
			}
			label, strong := h.label, !h.weak
			switch {
			case qualifier:
				strong = false
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
var listWords = map[string]bool{"and": true, "or": true, "the": true, "y": true, "e": true, "o": true, "el": true, "la": true, "los": true, "las": true,
	"et": true, "le": true, "les": true, "l": true}

// listConjunctions and listPrepositions: a preposition repeated before
// the next place continues a list only after a conjunction ("in the
// United States and in Canada", "aux États-Unis et au Canada"), not on
// its own ("returned from Mexico in Honduras").
var (
	listConjunctions = map[string]bool{"and": true, "or": true, "y": true, "e": true, "o": true, "et": true, "ou": true}
	listPrepositions = map[string]bool{"in": true, "from": true, "to": true, "en": true, "de": true, "desde": true, "a": true,
		"au": true, "aux": true, "du": true, "des": true, "vers": true}
)

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
	conj, prep := false, false
	for i := from; ; i-- {
		if l.starts[i] || l.last > 0 && l.last == i && (conj || !prep) {
			l.last = to
			return true
		}
		if i == 0 {
			return false
		}
		switch w := ws[i-1].text; {
		case listConjunctions[w]:
			conj = true
		case listPrepositions[w]:
			prep = true
		case !listWords[w]:
			return false
		}
	}
}

// originLabel reports whether the place ws[from:to] is listed after a
// phrase saying where people came from or live abroad, and the label of
// its reason.
func originLabel(origins, abroad *listFollowing, ws []word, from, to int) (string, bool) {
	switch {
	case origins.has(ws, from, to):
		return labelOrigin, true
	case abroad.has(ws, from, to):
		return labelAbroad, true
	}
	return "", false
}

// phraseEnds returns the indexes of the words right after each phrase m
// finds in ws.
func phraseEnds(m *phraseMatcher, ws []word) map[int]bool {
	out := map[int]bool{}
	m.scan(ws, func(_ hit, _, to int) { out[to] = true })
	return out
}

// nationalityWords marks the words of ws that are nationality words
// ("haitiana", "salvadoreños").
func (tg *Tagger) nationalityWords(ws []word) map[int]bool {
	out := map[int]bool{}
	tg.places.scan(ws, func(h hit, from, to int) {
		if h.label == labelNationality {
			for i := from; i < to; i++ {
				out[i] = true
			}
		}
	})
	return out
}

// phraseEndsSkipping is phraseEnds over ws without the words skip marks.
func phraseEndsSkipping(m *phraseMatcher, ws []word, skip map[int]bool) map[int]bool {
	if len(skip) == 0 {
		return phraseEnds(m, ws)
	}
	kept, at := make([]word, 0, len(ws)), make([]int, 0, len(ws))
	for i, w := range ws {
		if !skip[i] {
			kept, at = append(kept, w), append(at, i)
		}
	}
	out := map[int]bool{}
	// The phrase ends right after its last word, not at the next word
	// kept: a nationality word right after it ("the diaspora in
	// Dominican cities") is where the list starts, as in phraseEnds.
	m.scan(kept, func(_ hit, _, to int) { out[at[to-1]+1] = true })
	return out
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
