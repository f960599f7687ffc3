package editions

import (
	"context"
	"slices"
	"time"

	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
)

// nextEdition is what an edition made now would hold, with what earlier
// editions sent of its stories: "send now" counts from it and the preview
// shows from it, by the same rules as the compile, so neither promises a
// story the send would leave out.
type nextEdition struct {
	items      []domain.Item
	earlier    domain.Earlier
	byLanguage map[string][]domain.Item
	regions    digest.RegionMembers
	// at is when it is looked at: an edition made now, whose featured
	// stories are those featured at this time.
	at time.Time
}

// next reads what an edition made now over the range (none: the new
// stories) would hold, and where its stories went before.
func (s *Service) next(ctx context.Context, from, to *domain.Date) (nextEdition, error) {
	n := nextEdition{at: time.Now()}
	items, err := s.store.WindowItems(ctx, from, to, s.cfg.StoryMaxAge)
	if err != nil {
		return n, err
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	if n.earlier, err = s.store.EarlierStoriesOf(ctx, ids); err != nil {
		return n, err
	}
	tax, err := s.tax.Taxonomy(ctx)
	if err != nil {
		return n, err
	}
	n.items, n.regions = items, digest.RegionsOf(tax)
	n.byLanguage = map[string][]domain.Item{}
	for _, lang := range domain.Languages {
		n.byLanguage[lang] = domain.PickLanguage(items, lang)
	}
	return n, nil
}

// sections is the digest a reader would get of it, as the compile makes
// it: their choices, less the stories their earlier digests held.
func (n nextEdition) sections(r domain.Recipient) []digest.Section {
	r.Received = slices.DeleteFunc(slices.Clone(r.Received), func(g int64) bool { return n.earlier.Groups[g] == nil })
	picked := n.byLanguage[r.Filter.Language]
	sections := digest.Match(r.Filter, picked, n.regions, received(r.Received, n.earlier.Groups))
	return digest.RankStories(r.Filter, sections, picked, n.at, n.regions)
}

// eachReader calls fn with every active reader and the digest they
// would get (nil when paused past now), a page at a time, as the compile
// reads them; readers with the same choices and history are matched once.
func (s *Service) eachReader(ctx context.Context, n nextEdition, now time.Time, fn func(r domain.Recipient, sections []digest.Section) bool) error {
	memo := map[string][]digest.Section{}
	var after int64
	for {
		page, err := s.store.ActiveRecipients(ctx, after, compilePage, n.earlier.Editions, now)
		if err != nil || len(page) == 0 {
			return err
		}
		for _, r := range page {
			var sec []digest.Section
			if !r.Paused {
				key := groupKey(r)
				var ok bool
				if sec, ok = memo[key]; !ok {
					sec = n.sections(r)
					memo[key] = sec
				}
			}
			if !fn(r, sec) {
				return nil
			}
		}
		after = page[len(page)-1].ID
	}
}
