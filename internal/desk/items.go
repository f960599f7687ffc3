package desk

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"strconv"
	"strings"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/postgres"
	"newsdigest/internal/taxonomy"
)

// Page sizes of item lists.
const (
	DefaultItemLimit = 100
	MaxItemLimit     = 1000
)

// ItemQuery selects a page of items, newest first.
type ItemQuery = postgres.ItemSearch

// ItemPage is one page of items and where the next one starts ("" when
// there is none).
type ItemPage struct {
	Items      []domain.Item
	NextCursor string
}

// Items returns a page of the items q selects.
func (d *Desk) Items(ctx context.Context, q ItemQuery) (ItemPage, error) {
	if q.Limit <= 0 {
		q.Limit = DefaultItemLimit
	}
	// One more than asked tells whether there is a next page.
	want := q.Limit
	q.Limit++
	items, err := d.DB.SearchItems(ctx, q)
	if err != nil {
		return ItemPage{}, err
	}
	page := ItemPage{Items: items}
	if len(items) > want {
		page.Items = items[:want]
		last := page.Items[want-1]
		page.NextCursor = EncodeCursor(domain.ItemCursor{PublishedOn: last.PublishedOn, ID: last.ID})
	}
	if page.Items == nil {
		page.Items = []domain.Item{}
	}
	return page, nil
}

// EncodeCursor writes a keyset position as an opaque token.
func EncodeCursor(cur domain.ItemCursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cur.PublishedOn.String() + "," + strconv.FormatInt(cur.ID, 10)))
}

// DecodeCursor reads a token EncodeCursor gave out; errs.Malformed
// naming cursor for any other.
func DecodeCursor(s string) (domain.ItemCursor, error) {
	cur, err := decodeCursor(s)
	if err != nil {
		return cur, errs.New(errs.Malformed, "cursor: not one this API gave out")
	}
	return cur, nil
}

func decodeCursor(s string) (domain.ItemCursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return domain.ItemCursor{}, err
	}
	day, id, ok := strings.Cut(string(b), ",")
	if !ok {
		return domain.ItemCursor{}, errors.New("no comma")
	}
	dt, err := domain.ParseDate(day)
	if err != nil {
		return domain.ItemCursor{}, err
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return domain.ItemCursor{}, err
	}
	return domain.ItemCursor{PublishedOn: dt, ID: n}, nil
}

// CheckItem validates an item and its tags against the taxonomy.
func (d *Desk) CheckItem(ctx context.Context, it *domain.Item) error {
	tax, err := d.Taxonomy(ctx)
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

// CreateItem stores an editor's item and returns it as stored, with its
// id; a story already stored is a conflict.
func (d *Desk) CreateItem(ctx context.Context, actor string, n NewItem) (domain.Item, error) {
	d.refreshTagger(ctx)
	it := d.Importer.Item(n.PublishedOn, n.Title, n.Summary, n.URL, n.Lang)
	proposed := it
	tags := domain.ItemUpdate{Countries: n.Countries, Regions: n.Regions, Topics: n.Topics}
	tags.Apply(&it)
	if err := d.CheckItem(ctx, &it); err != nil {
		return it, err
	}
	imported, _, err := d.DB.InsertItems(ctx, []domain.Item{it})
	if err != nil {
		return it, err
	}
	if imported == 0 {
		return it, errs.New(errs.Conflict, "this item is already stored (same link, or a near-identical title within a day)")
	}
	stored, err := d.DB.ItemByFingerprint(ctx, it.Fingerprint)
	if err != nil {
		return it, err
	}
	d.Audit(ctx, actor, "item.create", "item", stored.ID, "%s %q", it.PublishedOn, it.Title)
	if tags.Countries != nil || tags.Regions != nil || tags.Topics != nil {
		// The item is stored; losing its example is logged, not failed.
		if err := d.DB.RecordNewItemExample(ctx, actor, proposed, it, tags); err != nil {
			d.Log.Error("tag example lost", "item", it.URL, "err", err)
		}
		d.tagsCorrected(ctx, tags)
	}
	return stored, nil
}

// UpdateItem applies an editor's change, checked against the taxonomy
// inside the store's transaction: on any error nothing changes. The
// taxonomy is read before the transaction begins: reading it inside
// (when the cached copy is stale) would take a second connection while
// holding one, and a few edits at once could take every connection of
// the pool and wait for ever. Hiding and showing are audited as such; any
// other change as item.update, naming the fields set.
func (d *Desk) UpdateItem(ctx context.Context, actor string, id int64, u domain.ItemUpdate) (domain.Item, error) {
	tax, err := d.Taxonomy(ctx)
	if err != nil {
		return domain.Item{}, err
	}
	it, err := d.DB.UpdateItem(ctx, actor, id, u, func(it *domain.Item) error { return checkItem(tax, it) })
	if err != nil {
		return it, err
	}
	if fields := updatedFields(u); len(fields) > 0 {
		d.Audit(ctx, actor, "item.update", "item", id, "%s", strings.Join(fields, ", "))
	}
	d.tagsCorrected(ctx, u)
	if u.Hidden != nil {
		action := "item.unhide"
		if *u.Hidden {
			action = "item.hide"
		}
		d.Audit(ctx, actor, action, "item", id, "%q", it.Title)
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
	return len(updatedFields(u)) == 0 && u.Hidden == nil
}
