package ingest

import (
	"errors"
	"fmt"
	"slices"

	"newsdigest/internal/taxonomy"
)

// Tags are what an item is about. Each list is sorted and has no repeats;
// an empty list is empty, not nil, so it reads as [] in JSON.
type Tags struct {
	Countries []string // ISO 3166-1 alpha-2 codes
	Regions   []string // region codes, not expanded into their members
	Topics    []string // topic slugs
}

// Tagger reads an item's title and summary and finds its countries,
// regions and topics. Build one with NewTagger and share it: Tag is safe
// for concurrent use and does no allocation-heavy setup per call.
type Tagger struct {
	places phraseMatcher // countries, aliases, places, demonyms, regions
	topics phraseMatcher
}

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

// NewTagger builds a tagger for the countries, regions and topics of t,
// from their names in t (English and Spanish) and the embedded gazetteer
// and topic rules. Rules for codes t does not have are skipped, so an
// operator's smaller taxonomy works with the same data files.
func NewTagger(t *taxonomy.Taxonomy) (*Tagger, error) {
	if t == nil {
		return nil, errors.New("new tagger: nil taxonomy")
	}
	tg := &Tagger{}
	if err := tg.addPlaces(t); err != nil {
		return nil, fmt.Errorf("new tagger: %w", err)
	}
	if err := tg.addTopics(t); err != nil {
		return nil, fmt.Errorf("new tagger: %w", err)
	}
	return tg, nil
}

func (tg *Tagger) addPlaces(t *taxonomy.Taxonomy) error {
	rules, err := parseRules("gazetteer.tsv", gazetteerTSV)
	if err != nil {
		return err
	}
	ignored := map[string]bool{}
	for _, r := range rules {
		if r.head == "ignore" {
			for _, p := range r.phrase {
				ignored[fold(p)] = true
			}
		}
	}
	for _, c := range t.Countries {
		for _, name := range []string{c.NameEN, c.NameES} {
			for _, v := range nameVariants(name) {
				if ignored[fold(v)] {
					continue
				}
				if err := tg.places.add(v, hit{kind: kindCountry, code: c.Code}); err != nil {
					return fmt.Errorf("country %s: %w", c.Code, err)
				}
			}
		}
	}
	for _, rg := range t.Regions {
		for _, name := range []string{rg.NameEN, rg.NameES} {
			for _, v := range nameVariants(name) {
				if err := tg.places.add(v, hit{kind: kindRegion, code: rg.Code}); err != nil {
					return fmt.Errorf("region %s: %w", rg.Code, err)
				}
			}
		}
	}
	kinds := map[string]matchKind{"alias": kindCountry, "place": kindCountry,
		"demonym": kindDemonym, "region": kindRegion, "block": kindBlock}
	for _, r := range rules {
		if r.head == "ignore" {
			continue
		}
		kind, ok := kinds[r.head]
		if !ok {
			return fmt.Errorf("gazetteer.tsv:%d: unknown kind %q", r.line, r.head)
		}
		for _, code := range r.codes {
			switch {
			case kind == kindRegion && !t.HasRegion(code),
				(kind == kindCountry || kind == kindDemonym) && !t.HasCountry(code):
				continue
			}
			for _, p := range r.phrase {
				if err := tg.places.add(p, hit{kind: kind, code: code}); err != nil {
					return fmt.Errorf("gazetteer.tsv:%d: %w", r.line, err)
				}
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
		for _, name := range []string{tp.NameEN, tp.NameES} {
			if err := tg.topics.add(name, hit{kind: kindTopic, code: tp.Slug, weight: weakWeight}); err != nil {
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
		h := hit{kind: kindTopic, weight: w}
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

// placeKey is a country (kindCountry) or a region (kindRegion).
type placeKey struct {
	kind matchKind
	code string
}

// placeScore gathers the evidence for one country or region.
type placeScore struct {
	score  int
	strong bool // named, not only a nationality word
}

// Tag returns the countries, regions and topics of an item.
//
// Countries and regions: a mention in the title is enough. Mentions only in
// the summary count when the title names no place (the summary then says
// where the story is), or when the summary returns to the place; so
// "Costa Rica: ... Upala, on the border with Nicaragua" is CR alone.
// Nationality words in the summary ("the Mexican Business Council") are the
// weakest sign and count only when nothing names a place.
//
// Topics: a strong phrase anywhere, or a weak one in the title or three
// times in the summary.
func (tg *Tagger) Tag(title, summary string) Tags {
	tw, sw := words(title), words(summary)

	places := map[placeKey]*placeScore{}
	anchored, anyStrong := false, false
	note := func(inTitle bool) func(h hit) {
		return func(h hit) {
			key := placeKey{kind: h.kind, code: h.code}
			if key.kind == kindDemonym {
				key.kind = kindCountry // a demonym is weak evidence for the country
			}
			ps := places[key]
			if ps == nil {
				ps = &placeScore{}
				places[key] = ps
			}
			strong := h.kind != kindDemonym
			switch {
			case inTitle:
				ps.score += placeTitle
				anchored = true
			case strong:
				ps.score += placeSummary
			default:
				ps.score += demonymSummary
			}
			ps.strong = ps.strong || strong
			anyStrong = anyStrong || strong
		}
	}
	tg.places.scan(tw, note(true))
	tg.places.scan(sw, note(false))
	need := placeNeedOnlyWeak
	switch {
	case anchored:
		need = placeNeedAnchored
	case anyStrong:
		need = placeNeedUnanchored
	}
	tags := Tags{Countries: []string{}, Regions: []string{}, Topics: []string{}}
	for h, ps := range places {
		if ps.score < need {
			continue
		}
		if h.kind == kindRegion {
			tags.Regions = append(tags.Regions, h.code)
		} else {
			tags.Countries = append(tags.Countries, h.code)
		}
	}

	topics := map[string]int{}
	tg.topics.scan(tw, func(h hit) { topics[h.code] += h.weight * topicTitle })
	tg.topics.scan(sw, func(h hit) { topics[h.code] += h.weight })
	for slug, score := range topics {
		if score >= topicNeed {
			tags.Topics = append(tags.Topics, slug)
		}
	}
	slices.Sort(tags.Countries)
	slices.Sort(tags.Regions)
	slices.Sort(tags.Topics)
	return tags
}
