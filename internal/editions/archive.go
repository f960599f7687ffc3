package editions

import (
	"context"
	"encoding/json"
	"slices"

	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/render"
	"newsdigest/internal/taxonomy"
)

// ArchivePageSize is how many stories one page of the public archive shows.
const ArchivePageSize = 30

// ArchiveQuery is what a reader asks of the public archive: stories about
// a country or a topic (or all), in a language, older than a cursor.
type ArchiveQuery struct {
	Country  string
	Topic    string
	Language string
	Limit    int
	Before   *domain.ItemCursor
}

// ArchiveStory is one story as the archive shows it: public fields only,
// with its tags named in the reader's language.
type ArchiveStory struct {
	Item domain.Item
	Tags []string
}

// ArchivePage is a page of the archive and where the next one starts
// (nil when there is no older story).
type ArchivePage struct {
	Stories []ArchiveStory
	Next    *domain.ItemCursor
}

// Archive lists the stories of the editions that went out
// (domain.EditionState.Published), newest first: the public archive and
// its feeds. An unknown country or topic is errs.NotFound naming it, so a
// feed for it is a 404.
func (s *Service) Archive(ctx context.Context, q ArchiveQuery) (ArchivePage, error) {
	tax, err := s.tax.Taxonomy(ctx)
	if err != nil {
		return ArchivePage{}, err
	}
	if q.Country != "" && !tax.HasCountry(q.Country) {
		return ArchivePage{}, errs.New(errs.NotFound, "country: no country with code %q", q.Country)
	}
	if q.Topic != "" && !tax.HasTopic(q.Topic) {
		return ArchivePage{}, errs.New(errs.NotFound, "topic: no topic %q", q.Topic)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = ArchivePageSize
	}
	// One more than asked tells whether an older page exists.
	items, err := s.store.ArchiveItems(ctx, domain.ArchiveFilter{
		Country: q.Country, Regions: regionsHolding(tax, q.Country), Topic: q.Topic,
		Language: q.Language, Limit: limit + 1, Before: q.Before,
	})
	if err != nil {
		return ArchivePage{}, err
	}
	var page ArchivePage
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		page.Next = &domain.ItemCursor{PublishedOn: last.PublishedOn, ID: last.ID}
	}
	for _, it := range items {
		page.Stories = append(page.Stories, ArchiveStory{Item: it, Tags: digest.TagNames(tax, q.Language, it)})
	}
	return page, nil
}

// regionsHolding lists the regions country belongs to: an item tagged
// with one of them is about the country too, as in digest matching.
func regionsHolding(tax *taxonomy.Taxonomy, country string) []string {
	if country == "" {
		return nil
	}
	var out []string
	for _, r := range tax.Regions {
		if slices.Contains(r.Countries, country) {
			out = append(out, r.Code)
		}
	}
	return out
}

// WebDigest renders the digest of an edition that a view token opens, as
// the web shows it (digest.Masthead.Web): every story, whole, and no
// reader's links. Any other token is errs.NotFound.
func (s *Service) WebDigest(ctx context.Context, editionID int64, viewToken string) (render.Message, error) {
	g, err := s.store.GroupByViewToken(ctx, editionID, viewToken)
	if err != nil {
		return render.Message{}, err
	}
	var sections []digest.Section
	if err := json.Unmarshal(g.Sections, &sections); err != nil {
		return render.Message{}, err
	}
	items, err := s.store.EditionItems(ctx, editionID)
	if err != nil {
		return render.Message{}, err
	}
	e, err := s.store.Edition(ctx, editionID)
	if err != nil {
		return render.Message{}, err
	}
	tax, err := s.tax.Taxonomy(ctx)
	if err != nil {
		return render.Message{}, err
	}
	return s.renderer.Digest(s.masthead.Web(digest.Issue{EditionID: editionID, At: e.Time(), Language: g.Language,
		Sections: sections, Items: items, Tax: tax}))
}
