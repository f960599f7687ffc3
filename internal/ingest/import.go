// Package ingest reads news into newsdigest: plain-text listings (and,
// through the same seam, feeds), normalised, tagged with countries, regions
// and topics, and stored once however often they arrive.
package ingest

import (
	"context"
	"io"
	"net/url"
	"strings"
	"unicode"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// ItemStore stores items all-or-nothing (a *postgres.DB).
type ItemStore interface {
	InsertItems(ctx context.Context, items []domain.Item) (imported, duplicates int, err error)
}

// Result is what an import did.
type Result struct {
	Imported   int `json:"imported"`
	Duplicates int `json:"duplicates"`
}

// Importer turns documents into stored, tagged items.
type Importer struct {
	Store  ItemStore
	Tagger *Tagger
}

// ImportListing reads a plain-text listing and stores its items. If any
// line cannot be read, nothing is stored and the error (errs.Invalid)
// carries every []LineError in its Details.
func (im *Importer) ImportListing(ctx context.Context, r io.Reader) (Result, error) {
	parsed, lineErrs, err := ParseListing(r)
	if err != nil {
		return Result{}, err
	}
	if len(lineErrs) > 0 {
		e := errs.New(errs.Invalid, "the listing has %d unreadable line(s); nothing was imported", len(lineErrs))
		e.Details = lineErrs
		return Result{}, e
	}
	if len(parsed) == 0 {
		e := errs.New(errs.Invalid, "the listing holds no items; nothing was imported")
		e.Details = []LineError{{Line: 1, Message: "no dated item found"}}
		return Result{}, e
	}
	items := make([]domain.Item, len(parsed))
	lines := make([]int, len(parsed))
	for i, p := range parsed {
		items[i] = im.Item(p.PublishedOn, p.Title, p.Summary, p.URL, "")
		lines[i] = p.Line
	}
	return im.ImportItems(ctx, items, lines)
}

// ImportItems validates built items and stores them all, or none. lines
// gives each item's place in its document (a line number, or a position
// in a feed) for the errors.
func (im *Importer) ImportItems(ctx context.Context, items []domain.Item, lines []int) (Result, error) {
	var invalid []LineError
	for i := range items {
		if err := items[i].Validate(); err != nil {
			invalid = append(invalid, LineError{Line: lines[i], Message: errs.MessageOf(err)})
		}
	}
	if len(invalid) > 0 {
		e := errs.New(errs.Invalid, "%d invalid item(s); nothing was imported", len(invalid))
		e.Details = invalid
		return Result{}, e
	}
	imported, dups, err := im.Store.InsertItems(ctx, items)
	if err != nil {
		return Result{}, err
	}
	return Result{Imported: imported, Duplicates: dups}, nil
}

// Item builds a tagged item from its parts; language is detected when
// empty.
func (im *Importer) Item(published domain.Date, title, summary, link, language string) domain.Item {
	title, summary = CleanText(title), CleanText(summary)
	if language == "" {
		language = DetectLanguage(title + "\n" + summary)
	}
	tags := im.Tagger.Tag(title, summary)
	it := domain.Item{
		PublishedOn: published,
		Title:       title,
		Summary:     summary,
		URL:         strings.TrimSpace(link),
		Language:    language,
		Countries:   tags.Countries,
		Regions:     tags.Regions,
		Topics:      tags.Topics,
	}
	it.Fingerprint = Fingerprint(it)
	return it
}

// Fingerprint recognises a story arriving again: by its link when it has
// one (scheme, "www.", fragment and trailing slash aside), else by its day
// and its title folded to lower-case letters and digits.
func Fingerprint(it domain.Item) string {
	if u, err := url.Parse(it.URL); err == nil && u.Host != "" {
		host := strings.TrimPrefix(strings.ToLower(u.Host), "www.")
		return "u:" + host + strings.TrimSuffix(u.EscapedPath(), "/") + queryPart(u)
	}
	var b strings.Builder
	for _, r := range strings.ToLower(it.Title) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return "t:" + it.PublishedOn.String() + ":" + b.String()
}

func queryPart(u *url.URL) string {
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(k, "utm_") {
			q.Del(k)
		}
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}
