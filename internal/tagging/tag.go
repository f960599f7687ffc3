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
	score       int  // from places and names (and topic phrases)
	weakScore   int  // from nationality words
	originScore int  // from places people were returned from
	reason      why  // the best evidence
	rank        int  // of reason: lower is better (title before summary, strong before weak)
	titled      bool // a topic phrase is in the title, whatever the best evidence
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
// Countries and regions are where the story happens and who takes part.
// A mention in the title is enough. Mentions only in the summary count
// when the title names no place (the summary then says where the story
// is), when the title names a region the country belongs to (the summary
// says which of its countries), when the country is named as a party
// ("officials from Jamaica and Barbados", "the Government of Saint
// Lucia"), or when the summary returns to the place; so "Costa Rica: ...
// Upala, on the border with Nicaragua" is CR alone. A nationality word
// ("Nicaraguan workers") says who, not where: it counts only when nothing
// names a place, unless it names a country's institutions ("Mexican
// consulates") or people it takes back ("Honduran returnees"). Forums and
// programmes named after a region ("SICA", "the Mesoamerica Program") are
// actors, weighed like a nationality word; where people were deported
// from counts only alone. A region is tagged when the item is about it as
// a whole, not when the item names which of its countries take part. A
// name that is part of another name ("Plaza España", "Barrio Cuba") is not
// a place of that country.
//
// Topics: a strong phrase anywhere, or a weak one in the title or three
// times in the summary; then the model, if set, weighs what the rules
// found with the item's words and the desk's habits, adding and taking
// away (decideTopics).
func (tg *Tagger) Tag(title, summary, lang string) Tags {
	if lang == "" {
		lang = DetectLanguage(title + "\n" + summary)
	}
	tw, sw := words(title), words(summary)
	tags := Tags{Countries: []string{}, Regions: []string{}, Topics: []string{}}
	tags.Reasons.Countries, tags.Reasons.Regions, tags.Reasons.Topics = map[string]string{}, map[string]string{}, map[string]string{}
	tags.Declined = map[string]string{}
	tg.tagPlaces(&tags, title, summary, tw, sw, lang)
	tg.decideTopics(&tags, tg.findTopics(title, summary, tw, sw, lang), title, summary)
	slices.Sort(tags.Countries)
	slices.Sort(tags.Regions)
	slices.Sort(tags.Topics)
	return tags
}

// topicFindings is what the phrase rules found for each topic of an item.
type topicFindings map[string]*evidence

// inTitle reports whether a phrase of topic, strong or weak, is in the
// title: what a reason says of the title.
func (f topicFindings) inTitle(topic string) bool {
	ev := f[topic]
	return ev != nil && ev.titled
}

// bestInTitle reports whether the best phrase of topic is the title's
// (ranks 0 and 2): a strong one, or a weak one when the summary has no
// strong one. It is what the model weighs as "the title says so"
// (ruleTitleTag), which the labelled items teach better than any phrase
// in the title (cross-validated topics F1 0.839 against 0.821).
func (f topicFindings) bestInTitle(topic string) bool {
	ev := f[topic]
	return ev != nil && ev.rank%2 == 0
}

// state says whether the rules set topic, saw only a weak phrase of it,
// or found nothing.
func (f topicFindings) state(topic string) ruleState {
	switch ev := f[topic]; {
	case ev == nil:
		return ruleNone
	case ev.score+ev.weakScore >= topicNeed:
		return ruleSet
	default:
		return ruleHint
	}
}

// topicEvidence runs the topic rules on an item's text.
func (tg *Tagger) topicEvidence(title, summary, lang string) topicFindings {
	if lang == "" {
		lang = DetectLanguage(title + "\n" + summary)
	}
	return tg.findTopics(title, summary, words(title), words(summary), lang)
}

// findTopics runs the topic rules on an item, given its text and words:
// a strong phrase anywhere sets a topic, a weak one in the title or three
// times in the summary.
func (tg *Tagger) findTopics(title, summary string, tw, sw []word, lang string) topicFindings {
	topics := topicFindings{}
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
				ev.titled = true
			}
			if h.weight < strongWeight {
				rank += 2
			}
			ev.note(points, h.weight >= strongWeight, rank, reason(h.label, text, ws, from, to))
		})
	}
	scanTopics(tw, title, true)
	scanTopics(sw, summary, false)
	return topics
}

// decideTopics sets the topics of an item from what the rules found and,
// for the topics the model has learnt, what the model makes of that and
// of the item's words: it keeps a topic the rules set unless it finds
// the desk would not have it (then the topic is in Declined, with what
// weighed against: the desk's corrections or words; so is a topic the
// shipped layer gives and the desk's layer takes away), and adds one they
// did not set when it finds it more likely than not (with what weighed
// for it). Without a model, or for a topic it has not learnt, the rules
// decide.
func (tg *Tagger) decideTopics(tags *Tags, found topicFindings, title, summary string) {
	m := tg.model.Load()
	var x encoded
	var given map[string]bool // what the tagger gives before the desk's habits
	if m != nil {
		x = m.encode(features(title, summary), ruleFeatures(found, tg.topicSlugs))
		if len(m.desk) > 0 { // only the desk's layer weighs it
			given = m.shippedGives(x, found, tg.topicSlugs)
			x = m.withShippedDecisions(x, given, tg.topicSlugs)
		}
	}
	// The model's changes, explained once every topic is decided.
	var added, declined []string
	for _, topic := range tg.topicSlugs {
		rs := found.state(topic)
		p, learnt := 0.0, false
		if m != nil {
			p, learnt = m.probability(topic, rs, x)
		}
		switch {
		case !learnt && rs == ruleSet, learnt && rs == ruleSet && p >= dropBelow:
			tags.Topics = append(tags.Topics, topic)
			tags.Reasons.Topics[topic] = found[topic].reason.String()
		case !learnt:
		case rs == ruleSet:
			declined = append(declined, topic)
		case p >= addAbove:
			tags.Topics = append(tags.Topics, topic)
			added = append(added, topic)
		case len(m.desk) > 0 && shippedDecides(m.shipped[topic], rs, x):
			// The shipped layer gives it and the desk's habits take it away.
			declined = append(declined, topic)
		}
	}
	if len(added)+len(declined) > 0 {
		m.explain(tags, x, found, given, added, declined)
	}
}

// explain gives the topics the model added, and those it took away, the
// reason why: the desk's habit that explains the change, chosen knowing
// every topic the item ends with and those the tagger gives it before
// the desk's habits (given; deskReason), or else what weighed most.
func (m *Model) explain(tags *Tags, x encoded, found topicFindings, given map[string]bool, added, declined []string) {
	why := func(topic string, against bool) string {
		if r, ok := m.deskReason(topic, given, tags.Topics, found.inTitle(topic), against); ok {
			return r
		}
		return m.reason(topic, x, against)
	}
	for _, topic := range added {
		tags.Reasons.Topics[topic] = why(topic, false)
	}
	for _, topic := range declined {
		tags.Declined[topic] = why(topic, true)
	}
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
