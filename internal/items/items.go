package items

import (
	"context"
	"slices"
	"strings"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/taxonomy"
)

// Page sizes of item lists.
const (
	DefaultItemLimit = 100
	MaxItemLimit     = 1000
)

// Query selects a page of items, newest first.
type Query = domain.ItemSearch

// Page is one page of items and where the next one starts ("" when there
// is none).
type Page struct {
	Items      []domain.Item
	NextCursor string
}

// CheckFilter refuses a filter that could only ever select nothing
// because it is mistaken: a country or topic the taxonomy does not know
// (a region's code is not a country's), or a period that ends before it
// starts. A client sees its typo named rather than an empty page that
// reads as "no such stories". Codes are compared as the caller gives
// them: upper-case countries, lower-case topics.
func (s *Service) CheckFilter(ctx context.Context, f domain.ItemFilter) error {
	if f.From != nil && f.To != nil && f.To.Before(f.From.Time) {
		return errs.New(errs.Invalid, "to: before from")
	}
	if f.Country == "" && f.Topic == "" {
		return nil
	}
	tax, err := s.tax.Taxonomy(ctx)
	if err != nil {
		return err
	}
	if f.Country != "" && !tax.HasCountry(f.Country) {
		return errs.New(errs.Malformed, "country: unknown country code %q", f.Country)
	}
	if f.Topic != "" && !tax.HasTopic(f.Topic) {
		return errs.New(errs.Malformed, "topic: unknown topic %q", f.Topic)
	}
	return nil
}

// List returns a page of the items q selects.
func (s *Service) List(ctx context.Context, q Query) (Page, error) {
	if q.Limit <= 0 {
		q.Limit = DefaultItemLimit
	}
	// One more than asked tells whether there is a next page.
	want := q.Limit
	q.Limit++
	items, err := s.store.SearchItems(ctx, q)
	if err != nil {
		return Page{}, err
	}
	page := Page{Items: items}
	if len(items) > want {
		page.Items = items[:want]
		last := page.Items[want-1]
		page.NextCursor = domain.ItemCursor{PublishedOn: last.PublishedOn, ID: last.ID}.Encode()
	}
	if page.Items == nil {
		page.Items = []domain.Item{}
	}
	return page, nil
}

// Item returns one item as stored.
func (s *Service) Item(ctx context.Context, id int64) (domain.Item, error) {
	return s.store.Item(ctx, id)
}

// PickOwed reports whether readers on a schedule of their own are still
// to get the story an editor picked, once the desk's edition has spent
// the pick.
func (s *Service) PickOwed(ctx context.Context, id int64) (bool, error) {
	return s.store.PickOwed(ctx, id)
}

// Check validates an item and its tags against the taxonomy.
func (s *Service) Check(ctx context.Context, it *domain.Item) error {
	tax, err := s.tax.Taxonomy(ctx)
	if err != nil {
		return err
	}
	return checkItem(tax, it)
}

// checkItem validates an item and its tags against tax; it does no I/O,
// so it may run inside a transaction.
func checkItem(tax *taxonomy.Taxonomy, it *domain.Item) error {
	if err := it.Validate(); err != nil {
		return err
	}
	for _, code := range it.Countries {
		if !tax.HasCountry(code) {
			return errs.New(errs.Invalid, "countries: unknown country code %q", code)
		}
	}
	for _, code := range it.Regions {
		if !tax.HasRegion(code) {
			return errs.New(errs.Invalid, "regions: unknown region %q", code)
		}
	}
	for _, slug := range it.Topics {
		if !tax.HasTopic(slug) {
			return errs.New(errs.Invalid, "topics: unknown topic %q", slug)
		}
	}
	return nil
}

// NewItem is one item an editor adds by hand. Tags left out (nil) are
// set by the tagger; tags given are the editor's (reason "editor", and
// recorded as edited so that a feed bringing the story again keeps them).
type NewItem struct {
	PublishedOn                domain.Date
	Title, Summary, URL, Lang  string
	Countries, Regions, Topics *[]string
}

// Create stores an editor's item and returns it as stored, with its id;
// a story already stored is a conflict.
func (s *Service) Create(ctx context.Context, actor string, n NewItem) (domain.Item, error) {
	s.refreshTagger(ctx)
	it := s.importer.Item(n.PublishedOn, n.Title, n.Summary, n.URL, n.Lang)
	proposed := it
	tags := domain.ItemUpdate{Countries: n.Countries, Regions: n.Regions, Topics: n.Topics}
	tags.Apply(&it)
	if err := s.Check(ctx, &it); err != nil {
		return it, err
	}
	imported, _, err := s.store.InsertItems(ctx, []domain.Item{it})
	if err != nil {
		return it, err
	}
	if imported == 0 {
		return it, errs.New(errs.Conflict, "this item is already stored (same link, or a near-identical title within a day)")
	}
	stored, err := s.store.ItemByFingerprint(ctx, it.Fingerprint)
	if err != nil {
		return it, err
	}
	s.audit.Audit(ctx, actor, "item.create", "item", stored.ID, "%s %q", it.PublishedOn, it.Title)
	if tags.Countries != nil || tags.Regions != nil || tags.Topics != nil {
		// The item is stored; losing its example is logged, not failed.
		if err := s.store.RecordNewItemExample(ctx, actor, proposed, stored, tags); err != nil {
			s.log.Error("tag example lost", "item", stored.ID, "err", err)
		}
		s.tagsCorrected(ctx, tags)
	}
	return stored, nil
}

// Update applies an editor's change, checked against the taxonomy
// inside the store's transaction: on any error nothing changes. The
// taxonomy is read before the transaction begins: reading it inside
// (when the cached copy is stale) would take a second connection while
// holding one, and a few edits at once could take every connection of
// the pool and wait for ever. Hiding and showing are audited as such; any
// other change as item.update, naming the fields set.
func (s *Service) Update(ctx context.Context, actor string, id int64, u domain.ItemUpdate) (domain.Item, error) {
	tax, err := s.tax.Taxonomy(ctx)
	if err != nil {
		return domain.Item{}, err
	}
	it, err := s.store.UpdateItem(ctx, actor, id, u, func(it *domain.Item) error { return checkItem(tax, it) })
	if err != nil {
		return it, err
	}
	if fields := updatedFields(u); len(fields) > 0 {
		s.audit.Audit(ctx, actor, "item.update", "item", id, "%s", strings.Join(fields, ", "))
	}
	s.tagsCorrected(ctx, u)
	if u.Hidden != nil {
		action := "item.unhide"
		if *u.Hidden {
			action = "item.hide"
		}
		s.audit.Audit(ctx, actor, action, "item", id, "%q", it.Title)
	}
	if u.Picked != nil {
		action := "item.unpick"
		if *u.Picked {
			action = "item.pick"
		}
		s.audit.Audit(ctx, actor, action, "item", id, "%s %q", it.PublishedOn, it.Title)
	}
	if u.FeaturedUntil.Set {
		s.auditFeature(ctx, actor, it, u.FeaturedUntil.Time)
	}
	return it, nil
}

// updatedFields names what an update sets besides visibility.
func updatedFields(u domain.ItemUpdate) []string {
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		{domain.FieldTitle, u.Title != nil}, {domain.FieldSummary, u.Summary != nil}, {domain.FieldURL, u.URL != nil},
		{domain.FieldCountries, u.Countries != nil}, {domain.FieldRegions, u.Regions != nil},
		{domain.FieldTopics, u.Topics != nil}, {"translation_of", u.TranslationOf.Set},
		{domain.FieldPublished, u.PublishedOn != nil},
	} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

// ItemChanges is the update that turns before into after, setting only
// the fields that differ: a form sends every field, but a field saved
// unchanged must not count as the editor's decision (which freezes it
// against the tagger and the feed).
func ItemChanges(before, after domain.Item) domain.ItemUpdate {
	var u domain.ItemUpdate
	str := func(dst **string, old, v string) {
		if old != v {
			*dst = &v
		}
	}
	str(&u.Title, before.Title, after.Title)
	str(&u.Summary, before.Summary, after.Summary)
	str(&u.URL, before.URL, after.URL)
	if !before.PublishedOn.Equal(after.PublishedOn.Time) {
		d := after.PublishedOn
		u.PublishedOn = &d
	}
	list := func(dst **[]string, old, v []string) {
		a, b := slices.Clone(old), slices.Clone(v)
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			if v == nil {
				v = []string{}
			}
			*dst = &v
		}
	}
	list(&u.Countries, before.Countries, after.Countries)
	list(&u.Regions, before.Regions, after.Regions)
	list(&u.Topics, before.Topics, after.Topics)
	return u
}

// IsEmpty reports whether an update changes nothing.
func IsEmpty(u domain.ItemUpdate) bool {
	return len(updatedFields(u)) == 0 && u.Hidden == nil && u.Picked == nil && !u.FeaturedUntil.Set
}
