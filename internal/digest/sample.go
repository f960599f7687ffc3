package digest

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
	"newsdigest/internal/render"
	"newsdigest/internal/taxonomy"
)

// SampleSections matches the stories a filter would get of items, in its
// language. It knows nothing of earlier editions (what a reader already
// received), so it may show a story a reader's mail leaves out as a repeat.
func SampleSections(tax *taxonomy.Taxonomy, f domain.Filter, items []domain.Item) []Section {
	regions := RegionMembers{}
	for _, r := range tax.Regions {
		regions[r.Code] = r.Countries
	}
	return Match(f, domain.PickLanguage(items, f.Language), regions, nil)
}

// latestStories is how many of the newest stories a preview of no
// edition in particular draws from.
const latestStories = 300

// Sample is what a preview or a test send shows: the digest Filter gets of
// an edition (EditionID 0: of the latest stories, as an edition made at
// Now would be dated). When SubscriberID names a reader who has a digest
// of the edition, that digest is shown: the very one they got or will get.
type Sample struct {
	EditionID    int64
	SubscriberID int64
	Filter       domain.Filter
	Now          time.Time
}

// Sample lays a sample out as its mail would be (Email): the preview is
// the mail.
func (m Masthead) Sample(ctx context.Context, db *postgres.DB, s Sample) (render.Digest, error) {
	tax, err := (&taxonomy.Cache{Source: db}).Taxonomy(ctx)
	if err != nil {
		return render.Digest{}, err
	}
	is := Issue{EditionID: s.EditionID, At: s.Now, Language: s.Filter.Language, Tax: tax}
	if s.EditionID == 0 {
		if is.Items, err = db.Items(ctx, domain.ItemFilter{Limit: latestStories}); err != nil {
			return render.Digest{}, err
		}
		is.Sections = SampleSections(tax, s.Filter, is.Items)
		return m.Email(is), nil
	}
	e, err := db.Edition(ctx, s.EditionID)
	if err != nil {
		return render.Digest{}, err
	}
	is.At = e.Time()
	if is.Items, err = db.EditionItems(ctx, s.EditionID); err != nil {
		return render.Digest{}, err
	}
	if s.SubscriberID != 0 {
		g, found, err := db.SubscriberGroup(ctx, s.EditionID, s.SubscriberID)
		if err != nil {
			return render.Digest{}, err
		}
		if found {
			if err := json.Unmarshal(g.Sections, &is.Sections); err != nil {
				return render.Digest{}, fmt.Errorf("digest %d: %w", g.ID, err)
			}
			is.Language, is.ViewToken = g.Language, g.ViewToken
			return m.Email(is), nil
		}
	}
	is.Sections = SampleSections(tax, s.Filter, is.Items)
	return m.Email(is), nil
}
