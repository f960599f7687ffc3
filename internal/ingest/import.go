// Package ingest reads news into newsdigest: plain-text listings (and,
// through the same seam, feeds), normalised, tagged with countries, regions
// and topics, and stored once however often they arrive.
package ingest

import (
	"context"
	"io"
	"strings"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/tagging"
)

// ItemStore stores items all-or-nothing (a *postgres.DB); a story it
// already holds is not stored again.
type ItemStore interface {
	InsertItems(ctx context.Context, items []domain.Item) (imported, duplicates int, err error)
}

// RefreshingStore is an ItemStore that also brings a story it already
// holds up to date with the new copy, in the fields no editor changed
// (domain.Item.Refresh). *postgres.DB is one; imports use it when the
// store is one, so that a corrected summary in a feed reaches the digest.
type RefreshingStore interface {
	IngestItems(ctx context.Context, items []domain.Item) (domain.StoreCounts, error)
}

// Result is what an import did: items new to the store, items it already
// held, and how many of those were brought up to date with the new copy.
type Result = domain.StoreCounts

// Importer turns documents into stored, tagged items.
type Importer struct {
	Store  ItemStore
	Tagger *tagging.Tagger
}

// ImportListing reads a plain-text listing and stores its items. If any
// line cannot be read, nothing is stored and the error (errs.Invalid)
// carries every []LineError in its Details. opts are as for ParseListing.
func (im *Importer) ImportListing(ctx context.Context, r io.Reader, opts ...ListingOption) (Result, error) {
	items, lines, err := im.readListing(r, opts...)
	if err != nil {
		return Result{}, err
	}
	return im.ImportItems(ctx, items, lines)
}

// readListing is the reading half of ImportListing, shared with
// PreviewListing: the listing's items, tagged, and each one's line.
func (im *Importer) readListing(r io.Reader, opts ...ListingOption) ([]domain.Item, []int, error) {
	parsed, lineErrs, err := ParseListing(r, opts...)
	if err != nil {
		return nil, nil, err
	}
	if len(lineErrs) > 0 {
		e := errs.New(errs.Invalid, counted(len(lineErrs), "the listing has %d unreadable line; nothing was imported",
			"the listing has %d unreadable lines; nothing was imported"), len(lineErrs))
		e.Details = lineErrs
		// The items read well come back too: a preview shows them beside
		// the lines to fix. An import stores none of them.
		items, lines := im.listingItems(parsed)
		return items, lines, e
	}
	if len(parsed) == 0 {
		e := errs.New(errs.Invalid, "the listing holds no items; nothing was imported")
		e.Details = []LineError{{Line: 1, Message: "no dated item found", Code: "no_item"}}
		return nil, nil, e
	}
	items, lines := im.listingItems(parsed)
	return items, lines, nil
}

// listingItems builds the items of a listing's parsed blocks, with their
// lines.
func (im *Importer) listingItems(parsed []ParsedItem) ([]domain.Item, []int) {
	items := make([]domain.Item, len(parsed))
	lines := make([]int, len(parsed))
	for i, p := range parsed {
		items[i] = im.Item(p.PublishedOn, p.Title, p.Summary, p.URL, "")
		lines[i] = p.Line
	}
	return items, lines
}

// ImportItems validates built items and stores them all, or none. lines
// gives each item's place in its document (a line number, or a position
// in a feed) for the errors. The keys that recognise a story again are
// derived here, after the caller's last change to an item (such as
// setting its Alternates).
func (im *Importer) ImportItems(ctx context.Context, items []domain.Item, lines []int) (Result, error) {
	if err := checkItems(items, lines); err != nil {
		return Result{}, err
	}
	if rs, ok := im.Store.(RefreshingStore); ok {
		return rs.IngestItems(ctx, items)
	}
	imported, dups, err := im.Store.InsertItems(ctx, items)
	if err != nil {
		return Result{}, err
	}
	return Result{Imported: imported, Duplicates: dups}, nil
}

// checkItems derives the story keys of items and validates them: an
// errs.Invalid with a LineError per invalid item, or nil.
func checkItems(items []domain.Item, lines []int) error {
	var invalid []LineError
	for i := range items {
		setStoryKeys(&items[i])
		if err := items[i].Validate(); err != nil {
			invalid = append(invalid, LineError{Line: lines[i], Message: errs.MessageOf(err)})
		}
	}
	if len(invalid) > 0 {
		e := errs.New(errs.Invalid, counted(len(invalid), "%d invalid item; nothing was imported",
			"%d invalid items; nothing was imported"), len(invalid))
		e.Details = invalid
		return e
	}
	return nil
}

// Item builds a tagged item from its parts. When language is empty it is
// the one the link's address marks (/es/…), else detected from the text.
func (im *Importer) Item(published domain.Date, title, summary, link, language string) domain.Item {
	title, summary, link = CleanText(title), CleanText(summary), strings.TrimSpace(link)
	if language == "" {
		language = urlLanguage(link)
	}
	if language == "" {
		language = tagging.DetectLanguage(title + "\n" + summary)
	}
	tags := im.Tagger.Tag(title, summary, language)
	it := domain.Item{
		PublishedOn: published,
		Title:       title,
		Summary:     summary,
		URL:         link,
		Language:    language,
		Countries:   tags.Countries,
		Regions:     tags.Regions,
		Topics:      tags.Topics,
		TagReasons:  tags.Reasons,
	}
	setStoryKeys(&it)
	return it
}

// counted is the English message for a count of n: one for 1, other for
// any other count. The catalogue's [error] section holds the two as the
// forms of one message, which the console says in its language by the
// count, with the forms that language's plural rules give it.
func counted(n int, one, other string) string {
	if n == 1 {
		return one
	}
	return other
}
