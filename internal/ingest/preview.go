package ingest

import (
	"context"
	"errors"
	"io"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// StoryFinder tells which items' stories a store already holds, without
// writing anything (a *postgres.DB). An import previewed against a store
// that is not one shows every item as new.
type StoryFinder interface {
	// StoredStories returns, per item, the id of the stored item it is a
	// copy of, or 0.
	StoredStories(ctx context.Context, items []domain.Item) ([]int64, error)
}

// PreviewItem is one item as an import would store it.
type PreviewItem struct {
	domain.Item
	Line int // its line in a listing, its position in a feed
	// DuplicateOf is the stored item this one is a copy of (0: new). An
	// item repeating an earlier one of the same document is a duplicate
	// of it, with DuplicateOf -1 when that one is new too.
	DuplicateOf int64
}

// Duplicate reports whether the import would not store the item.
func (p PreviewItem) Duplicate() bool { return p.DuplicateOf != 0 }

// Preview is what an import of a document would do, found without
// writing anything. With Errors (or a Problem) nothing would be written.
type Preview struct {
	Items      []PreviewItem
	Errors     []LineError
	Problem    string // the import's own message when it would fail
	New        int
	Duplicates int
}

// OK reports whether the import can go ahead.
func (p Preview) OK() bool { return p.Problem == "" && len(p.Errors) == 0 }

// PreviewListing reads a listing exactly as ImportListing does (the same
// parse, cleaning, tagging and checks) and says what importing it would
// do. The error is only for what is not the document's fault.
//
// A listing with unreadable lines still shows the items read well, with
// the lines to fix (Errors): the editor sees what is fine and what is
// not, in place. Such a preview is not OK, and nothing can be confirmed.
func (im *Importer) PreviewListing(ctx context.Context, r io.Reader, opts ...ListingOption) (Preview, error) {
	items, lines, err := im.readListing(r, opts...)
	if err == nil || len(items) == 0 {
		return im.preview(ctx, items, lines, err)
	}
	failed, ferr := failedPreview(err)
	if ferr != nil {
		return failed, ferr
	}
	good, gerr := im.preview(ctx, items, lines, nil)
	if gerr != nil {
		return good, gerr
	}
	good.Errors, good.Problem = append(failed.Errors, good.Errors...), failed.Problem
	return good, nil
}

// PreviewFeed reads a feed document exactly as ImportFeed does and says
// what importing it would do.
func (im *Importer) PreviewFeed(ctx context.Context, r io.Reader, base string) (Preview, error) {
	items, positions, err := im.readFeed(r, base)
	return im.preview(ctx, items, positions, err)
}

func (im *Importer) preview(ctx context.Context, items []domain.Item, lines []int, readErr error) (Preview, error) {
	if readErr == nil {
		readErr = checkItems(items, lines)
	}
	if readErr != nil {
		return failedPreview(readErr)
	}
	p := Preview{Items: make([]PreviewItem, len(items))}
	stored := make([]int64, len(items))
	if f, ok := im.Store.(StoryFinder); ok && len(items) > 0 {
		var err error
		if stored, err = f.StoredStories(ctx, items); err != nil {
			return Preview{}, err
		}
	}
	for i, it := range items {
		pi := PreviewItem{Item: it, Line: lines[i], DuplicateOf: stored[i]}
		// The store takes a document's items one after the other, so a
		// later copy of an earlier new item is recognised as that story.
		for j := 0; pi.DuplicateOf == 0 && j < i; j++ {
			if prev := items[j]; prev.Fingerprint == it.Fingerprint || domain.NearDuplicate(prev, it) {
				pi.DuplicateOf = p.Items[j].DuplicateOf
				if pi.DuplicateOf == 0 {
					pi.DuplicateOf = -1
				}
			}
		}
		if pi.Duplicate() {
			p.Duplicates++
		} else {
			p.New++
		}
		p.Items[i] = pi
	}
	return p, nil
}

// failedPreview turns an import's refusal into a preview that shows it:
// the document's faults are the preview's content, not its error.
func failedPreview(err error) (Preview, error) {
	var e *errs.Error
	if !errors.As(err, &e) || (e.Kind != errs.Invalid && e.Kind != errs.TooLarge) {
		return Preview{}, err
	}
	p := Preview{Problem: e.Message}
	if lineErrs, ok := e.Details.([]LineError); ok {
		p.Errors = lineErrs
	}
	return p, nil
}
