package tagging

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"

	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
	"newsdigest/internal/taxonomy"
)

// Tags are what an item is about. Each list is sorted and has no repeats;
// an empty list is empty, not nil, so it reads as [] in JSON.
type Tags struct {
	Countries []string // ISO 3166-1 alpha-2 codes
	Regions   []string // region codes, not expanded into their members
	Topics    []string // topic slugs
	// Reasons quotes, for every tag, the words of the item that set it.
	Reasons domain.TagReasons
	// Declined are the topics the phrase rules set, or the shipped
	// examples taught, and the model took away, each with the desk's
	// corrections or the words that weighed against it.
	Declined map[string]string
}

// Tagger reads an item's title and summary and finds its countries,
// regions and topics. Build one with NewTagger and share it: Tag is safe
// for concurrent use and does no allocation-heavy setup per call.
type Tagger struct {
	places phraseMatcher // countries, aliases, places, demonyms, regions
	topics phraseMatcher
	// namePrefixes and nameSuffixes are words that make a country or
	// place name right after (before) them part of another name: "Plaza
	// España", "Escuela República de Panamá", "Cuba Street".
	namePrefixes, nameSuffixes map[string]bool
	// actors are words that, next to a nationality word, make it name a
	// country's institutions ("Mexican consulates", "autoridades
	// guatemaltecas"), which act where they are from: as strong as a place.
	actors map[string]bool
	// parties are words that, next to a nationality word, make it name
	// people whose country the story is about ("Honduran returnees",
	// "connacionales salvadoreños"): a party to the story, like a place.
	parties map[string]bool
	// members are the words that, next to a forum's name, make it name
	// the forum's countries as a whole ("RCM countries", "países del SICA").
	members map[string]bool
	// orgWords are words that make a capitalised name they are part of
	// the name of an organisation, programme or forum ("Mesoamerica
	// Program", "Oficina Regional para Centroamérica"): an actor, whose
	// region word says who, not where.
	orgWords map[string]bool
	// leads finds the phrases that introduce the parties to a story
	// ("officials from", "el Gobierno de"): places after one, in its
	// sentence, are parties, not passing mentions.
	leads phraseMatcher
	// origins finds the phrases after which places say where people were
	// returned from ("deported from"), which is not where the story is.
	origins phraseMatcher
	// abroad finds the phrases after which places say where a country's
	// people live abroad ("the diaspora in"), which is not where a story
	// about them is.
	abroad phraseMatcher
	// qualified are words that, right after a region's name, make it the
	// qualifier of a place inside a country ("the Caribbean province of
	// Limón"), not the region the story is about.
	qualified map[string]bool
	// regionMembers maps a region code to its member countries.
	regionMembers map[string][]string
	// topicSlugs are the taxonomy's topics, which a model trained under
	// another taxonomy may not all know.
	topicSlugs []string
	// model weighs the rules' topics with the item's words; nil until set.
	model atomic.Pointer[Model]
	// fingerprint identifies the taxonomy the tagger was made from: two
	// taggers of one taxonomy find the same, so they share trained
	// shipped layers (shippedLayerOf).
	fingerprint [sha256.Size]byte
}

// SetModel makes the tagger decide topics with m as well as its rules
// (nil: the rules alone). Items being tagged meanwhile use the model they
// started with.
func (tg *Tagger) SetModel(m *Model) { tg.model.Store(m) }

// Topics returns the slugs of the topics the tagger tags, for training
// its model.
func (tg *Tagger) Topics() []string { return slices.Clone(tg.topicSlugs) }

// Model returns the model in use, or nil.
func (tg *Tagger) Model() *Model { return tg.model.Load() }

// NewTagger builds a tagger for the countries, regions and topics of t,
// from their names in every language (namesOf) and the embedded gazetteer
// and topic rules. Rules for codes t does not have are skipped, so an
// operator's smaller taxonomy works with the same data files.
func NewTagger(t *taxonomy.Taxonomy) (*Tagger, error) {
	if t == nil {
		return nil, errors.New("new tagger: nil taxonomy")
	}
	tg := &Tagger{namePrefixes: map[string]bool{}, nameSuffixes: map[string]bool{}, actors: map[string]bool{},
		parties: map[string]bool{}, members: map[string]bool{}, orgWords: map[string]bool{}, qualified: map[string]bool{},
		regionMembers: map[string][]string{}}
	for _, r := range t.Regions {
		tg.regionMembers[r.Code] = r.Countries
	}
	for _, tp := range t.Topics {
		tg.topicSlugs = append(tg.topicSlugs, tp.Slug)
	}
	if err := tg.addPlaces(t); err != nil {
		return nil, fmt.Errorf("new tagger: %w", err)
	}
	if err := tg.addTopics(t); err != nil {
		return nil, fmt.Errorf("new tagger: %w", err)
	}
	b, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("new tagger: %w", err)
	}
	tg.fingerprint = sha256.Sum256(b)
	return tg, nil
}

// Reason labels: what kind of phrase set a tag.
const (
	labelName        = "name"        // a country's or region's name or alias
	labelPlace       = "place"       // a place inside a country
	labelNationality = "nationality" // a nationality word
	labelActor       = "institution" // a nationality word naming institutions
	labelParty       = "nationals"   // a nationality word naming people the story is about
	labelForum       = "forum"       // the name of a forum or bloc of countries
	labelParticipant = "participant" // a place named as a party ("the Government of …")
	labelOrigin      = "origin"      // a place people were returned from
	labelAbroad      = "abroad"      // a place where a country's people live abroad
	labelGroup       = "countries"   // a region's name naming some of its countries
	labelPhrase      = "phrase"      // a topic phrase
)

// ReasonLabels are the words a tag's reason starts with ("name" in
// "name: Haiti", "model" in "model: health, psicosocial"), for a page
// that names them in its reader's language; the words after ": " are the
// story's own, or topics' slugs, except after "corrections", which says
// in English what the desk's corrections show (DeskReason). The reasons
// are stored and answered by the API in these English words.
func ReasonLabels() []string {
	return []string{labelName, labelPlace, labelNationality, labelActor, labelParty, labelForum,
		labelParticipant, labelOrigin, labelAbroad, labelGroup, labelPhrase, labelModel, labelDesk}
}

// InTitle ends a word of a model's reason that weighed as a word of the
// title: "health (title)".
const InTitle = " (title)"

// namesOf returns a thing's names in every language of the catalogue.
// Each counts in text of any language, as English and Spanish names
// always did in each other's news; a name that is an ordinary word or a
// person's name in another language ("Salvador", "Maurice") is listed
// in the gazetteer as ignored, with an alias for its own language.
func namesOf(name func(lang string) string) []string {
	var out []string
	for _, lang := range i18n.Languages() {
		if n := name(lang); !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func (tg *Tagger) addPlaces(t *taxonomy.Taxonomy) error {
	rules, err := parseRules("gazetteer.tsv", gazetteerTSV)
	if err != nil {
		return err
	}
	// Names the data lists as ignored, or as a forum's, are not taken from
	// the taxonomy as plain names.
	ignored := map[string]bool{}
	for _, r := range rules {
		if r.head == "ignore" || r.head == "forum" {
			for _, p := range r.phrase {
				ignored[fold(p)] = true
			}
		}
	}
	for _, c := range t.Countries {
		for _, name := range namesOf(c.Name) {
			for _, v := range nameVariants(name) {
				if ignored[fold(v)] {
					continue
				}
				if err := tg.places.add(v, hit{kind: kindCountry, code: c.Code, label: labelName}); err != nil {
					return fmt.Errorf("country %s: %w", c.Code, err)
				}
			}
		}
	}
	for _, rg := range t.Regions {
		for _, name := range namesOf(rg.Name) {
			for _, v := range nameVariants(name) {
				if ignored[fold(v)] {
					continue
				}
				if err := tg.places.add(v, hit{kind: kindRegion, code: rg.Code, label: labelName}); err != nil {
					return fmt.Errorf("region %s: %w", rg.Code, err)
				}
			}
		}
	}
	for _, r := range rules {
		if err := tg.addPlaceRule(t, r); err != nil {
			return fmt.Errorf("gazetteer.tsv:%d: %w", r.line, err)
		}
	}
	return nil
}

// wordSets are the gazetteer kinds that list single words, not places.
func (tg *Tagger) wordSets() map[string]map[string]bool {
	return map[string]map[string]bool{"prefix": tg.namePrefixes, "suffix": tg.nameSuffixes, "actor": tg.actors,
		"party": tg.parties, "member": tg.members, "org": tg.orgWords, "qualified": tg.qualified}
}

func (tg *Tagger) addPlaceRule(t *taxonomy.Taxonomy, r rule) error {
	if set, ok := tg.wordSets()[r.head]; ok {
		for _, p := range r.phrase {
			if ws := words(p); len(ws) == 1 {
				set[ws[0].text] = true
			} else {
				return fmt.Errorf("%s %q: one word per phrase", r.head, p)
			}
		}
		return nil
	}
	var h hit
	switch r.head {
	case "ignore":
		return nil
	case "lead":
		for _, p := range r.phrase {
			if err := tg.leads.add(p, hit{kind: kindLead}); err != nil {
				return err
			}
		}
		return nil
	case "origin", "abroad":
		m := &tg.origins
		if r.head == "abroad" {
			m = &tg.abroad
		}
		for _, p := range r.phrase {
			if err := m.add(p, hit{kind: kindLead}); err != nil {
				return err
			}
		}
		return nil
	case "forum":
		h = hit{kind: kindRegion, label: labelForum, weak: true}
	case "alias":
		h = hit{kind: kindCountry, label: labelName}
	case "place":
		h = hit{kind: kindCountry, label: labelPlace}
	case "demonym":
		h = hit{kind: kindCountry, label: labelNationality, weak: true}
	case "region":
		h = hit{kind: kindRegion, label: labelName}
	case "block":
		h = hit{kind: kindBlock}
	default:
		return fmt.Errorf("unknown kind %q", r.head)
	}
	h.lang = r.lang
	for _, code := range r.codes {
		h.code = code
		switch {
		case h.kind == kindBlock:
		case h.label == labelForum && !t.HasRegion(code):
			continue
		case h.weak && t.HasRegion(code): // "Central American": a region's nationality word
			h.kind = kindRegion
		case h.kind == kindRegion && !t.HasRegion(code), h.kind == kindCountry && !t.HasCountry(code):
			continue
		}
		for _, p := range r.phrase {
			if err := tg.places.add(p, h); err != nil {
				return err
			}
		}
	}
	return nil
}

func (tg *Tagger) addTopics(t *taxonomy.Taxonomy) error {
	rules, err := parseRules("topics.tsv", topicsTSV)
	if err != nil {
		return err
	}
	// A topic's own name is evidence, but a weak one: "Protection" or
	// "Integration" are ordinary words too.
	for _, tp := range t.Topics {
		for _, name := range namesOf(tp.Name) {
			if err := tg.topics.add(name, hit{kind: kindTopic, code: tp.Slug, weight: weakWeight, label: labelPhrase}); err != nil {
				return fmt.Errorf("topic %s: %w", tp.Slug, err)
			}
		}
	}
	weights := map[string]int{"strong": strongWeight, "weak": weakWeight, "block": 0}
	for _, r := range rules {
		w, ok := weights[r.head]
		if !ok {
			return fmt.Errorf("topics.tsv:%d: unknown weight %q", r.line, r.head)
		}
		h := hit{kind: kindTopic, weight: w, label: labelPhrase, lang: r.lang}
		if r.head == "block" {
			h.kind = kindBlock
		}
		for _, slug := range r.codes {
			if h.kind == kindTopic && !t.HasTopic(slug) {
				continue
			}
			h.code = slug
			for _, p := range r.phrase {
				if err := tg.topics.add(p, h); err != nil {
					return fmt.Errorf("topics.tsv:%d: %w", r.line, err)
				}
			}
		}
	}
	return nil
}
