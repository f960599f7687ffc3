package tagging

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"newsdigest/internal/domain"
)

// Suggest compares an item's stored tags with those the tagger would set
// now, list by list, leaving alone the lists an editor set, and returns
// the change it would make, if any: a suggestion for an editor to accept
// (see domain.TagSuggestion), never applied by itself.
func (tg *Tagger) Suggest(it domain.Item) (domain.TagSuggestion, bool) {
	now := tg.Tag(it.Title, it.Summary, it.Language)
	s := domain.TagSuggestion{ItemID: it.ID, From: listsOf(it, false), To: listsOf(it, false), Item: it,
		FromText: domain.StoryText(it)}
	sorted := listsOf(it, true)
	s.Reasons = domain.TagReasons{Countries: maps.Clone(it.TagReasons.Countries),
		Regions: maps.Clone(it.TagReasons.Regions), Topics: maps.Clone(it.TagReasons.Topics)}
	for _, kind := range domain.TagKinds {
		if it.IsEdited(kind) {
			continue
		}
		stored, fresh := sorted.List(kind), listOf(now, kind)
		if slices.Equal(stored, fresh) {
			continue
		}
		reasons := reasonsOf(now.Reasons, kind)
		for _, code := range fresh {
			if !slices.Contains(stored, code) {
				s.Changes = append(s.Changes, domain.TagChange{Kind: kind, Code: code, Add: true, Why: reasons[code]})
			}
		}
		for _, code := range stored {
			if !slices.Contains(fresh, code) {
				why := ""
				if kind == domain.FieldTopics {
					why = now.Declined[code]
				}
				s.Changes = append(s.Changes, domain.TagChange{Kind: kind, Code: code, Why: why})
			}
		}
		switch kind {
		case domain.FieldCountries:
			s.To.Countries, s.Reasons.Countries = fresh, reasons
		case domain.FieldRegions:
			s.To.Regions, s.Reasons.Regions = fresh, reasons
		default:
			s.To.Topics, s.Reasons.Topics = fresh, reasons
		}
	}
	return s, len(s.Changes) > 0
}

// listsOf returns an item's tag lists, never nil: as stored (a
// suggestion fits its story while they stay so), or sorted, to compare
// with the tagger's.
func listsOf(it domain.Item, sorted bool) domain.TagLists {
	list := func(l []string) []string {
		out := slices.Clone(l)
		if out == nil {
			out = []string{}
		}
		if sorted {
			slices.Sort(out)
		}
		return out
	}
	return domain.TagLists{Countries: list(it.Countries), Regions: list(it.Regions), Topics: list(it.Topics)}
}

func listOf(t Tags, kind string) []string {
	switch kind {
	case domain.FieldCountries:
		return t.Countries
	case domain.FieldRegions:
		return t.Regions
	}
	return t.Topics
}

func reasonsOf(r domain.TagReasons, kind string) map[string]string {
	switch kind {
	case domain.FieldCountries:
		return r.Countries
	case domain.FieldRegions:
		return r.Regions
	}
	return r.Topics
}

// SuggestionStore keeps the stories not yet sent and the tagger's
// suggestions for them (a *postgres.DB).
type SuggestionStore interface {
	// UnsentItems returns up to limit stories, newest first, that no
	// edition holds yet and that are not hidden.
	UnsentItems(ctx context.Context, limit int) ([]domain.Item, error)
	// ReplaceTagSuggestions makes list the only suggestions.
	ReplaceTagSuggestions(ctx context.Context, list []domain.TagSuggestion) error
}

// maxSuggested bounds the stories looked at after a retraining: those
// not yet sent are normally a week's worth; a desk that has never sent
// an edition may hold many more, and the newest are the ones that count.
const maxSuggested = 5000

// RefreshSuggestions looks again at the stories not yet sent with tg
// (which uses the stored model modelID) and replaces the suggestions with
// what it would now change in them. It returns how many there are.
func RefreshSuggestions(ctx context.Context, store SuggestionStore, tg *Tagger, modelID int64) (int, error) {
	items, err := store.UnsentItems(ctx, maxSuggested)
	if err != nil {
		return 0, fmt.Errorf("suggest tags: %w", err)
	}
	var list []domain.TagSuggestion
	for _, it := range items {
		if s, ok := tg.Suggest(it); ok {
			s.ModelID = modelID
			list = append(list, s)
		}
	}
	if err := store.ReplaceTagSuggestions(ctx, list); err != nil {
		return 0, fmt.Errorf("suggest tags: %w", err)
	}
	return len(list), nil
}
