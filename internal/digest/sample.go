package digest

import (
	"context"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
	"newsdigest/internal/render"
	"newsdigest/internal/taxonomy"
)

// Sample lays out the digest a filter would get of items: the console's
// preview and its test send, in the web process and the worker alike,
// make it the same way. It knows nothing of earlier editions (what a
// subscriber already received), so for a real subscriber it may show a
// story their mail would leave out as a repeat.
func Sample(tax *taxonomy.Taxonomy, f domain.Filter, items []domain.Item) render.Digest {
	regions := RegionMembers{}
	for _, r := range tax.Regions {
		regions[r.Code] = r.Countries
	}
	picked := domain.PickLanguage(items, f.Language)
	return BuildDigest(tax, f.Language, Match(f, picked, regions, nil), picked)
}

// SampleOf lays out the digest f would get of an edition's items
// (editionID 0: of the latest items), dated as the edition.
func SampleOf(ctx context.Context, db *postgres.DB, f domain.Filter, editionID int64) (render.Digest, error) {
	tax, err := db.Taxonomy(ctx)
	if err != nil {
		return render.Digest{}, err
	}
	var items []domain.Item
	date := time.Now()
	if editionID == 0 {
		items, err = db.Items(ctx, domain.ItemFilter{Limit: 300})
	} else {
		var e domain.Edition
		if e, err = db.Edition(ctx, editionID); err == nil {
			date = e.CreatedAt
			items, err = db.EditionItems(ctx, editionID)
		}
	}
	if err != nil {
		return render.Digest{}, err
	}
	dg := Sample(tax, f, items)
	dg.EditionDate = date.UTC().Format(domain.DateLayout)
	return dg, nil
}
