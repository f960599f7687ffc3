package items

import (
	"bytes"
	"context"
	"io"
	"strings"

	"newsdigest/internal/errs"
	"newsdigest/internal/ingest"
)

// Formats of an import.
const (
	FormatListing = "listing"
	FormatFeed    = "feed"
)

// mediaFormats maps the media types an import is accepted as to what
// reads them. The generic XML and JSON types are taken too, since many
// servers and tools label feeds so; the body must then parse as a feed.
var mediaFormats = map[string]string{
	"text/plain":            FormatListing,
	"application/rss+xml":   FormatFeed,
	"application/atom+xml":  FormatFeed,
	"application/feed+json": FormatFeed,
	"application/xml":       FormatFeed,
	"text/xml":              FormatFeed,
	"application/json":      FormatFeed,
}

// FormatOf is the import format of a media type, "" when none reads it.
func FormatOf(mediaType string) string { return mediaFormats[mediaType] }

// SniffFormat picks the format of an upload whose media type says
// nothing useful (a file the browser labels application/octet-stream, a
// pasted text): a document opening with < or { is a feed, anything else
// a listing, which never starts so.
func SniffFormat(mediaType string, body []byte) string {
	if f := FormatOf(mediaType); f != "" {
		return f
	}
	head := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
	if bytes.HasPrefix(head, []byte("<")) || bytes.HasPrefix(head, []byte("{")) {
		return FormatFeed
	}
	return FormatListing
}

// ImportSpec is how to read an import's document.
type ImportSpec struct {
	Format    string // FormatListing or FormatFeed
	DateOrder ingest.DateOrder
}

// draftFormat writes the spec as an import draft keeps it.
func (s ImportSpec) draftFormat() string {
	if o := s.DateOrder.String(); o != "" && s.Format == FormatListing {
		return s.Format + ":" + o
	}
	return s.Format
}

func parseDraftFormat(f string) (ImportSpec, error) {
	format, order, _ := strings.Cut(f, ":")
	o, err := ingest.ParseDateOrder(order)
	if err != nil || (format != FormatListing && format != FormatFeed) {
		return ImportSpec{}, errs.New(errs.Internal, "import draft of unknown format %q", f)
	}
	return ImportSpec{Format: format, DateOrder: o}, nil
}

// Import stores the items of a listing or feed document: all of them, or
// none with an errs.Invalid whose Details are the []ingest.LineError.
func (s *Service) Import(ctx context.Context, actor string, spec ImportSpec, body io.Reader) (ingest.Result, error) {
	var res ingest.Result
	var err error
	s.refreshTagger(ctx)
	if spec.Format == FormatFeed {
		res, err = s.importer.ImportFeed(ctx, body, "")
	} else {
		res, err = s.importer.ImportListing(ctx, body, ingest.WithDateOrder(spec.DateOrder))
	}
	if err != nil {
		return res, err
	}
	s.audit.Audit(ctx, actor, "items.import", "items", nil, "%s (new: %d; duplicates: %d; updated: %d)",
		spec.Format, res.Imported, res.Duplicates, res.Updated)
	return res, nil
}

// PreviewImport says what Import would do with a document, writing
// nothing.
func (s *Service) PreviewImport(ctx context.Context, spec ImportSpec, body []byte) (ingest.Preview, error) {
	s.refreshTagger(ctx)
	if spec.Format == FormatFeed {
		return s.importer.PreviewFeed(ctx, bytes.NewReader(body), "")
	}
	return s.importer.PreviewListing(ctx, bytes.NewReader(body), ingest.WithDateOrder(spec.DateOrder))
}

// ImportDraft is an upload kept between its preview and its confirmation.
type ImportDraft struct {
	ID   int64
	Spec ImportSpec
	Body []byte
}

// SaveImportDraft keeps an upload for its account until confirmed.
func (s *Service) SaveImportDraft(ctx context.Context, by string, spec ImportSpec, body []byte) (int64, error) {
	if len(body) > ingest.MaxListingBytes {
		return 0, errs.New(errs.TooLarge, "file: larger than %d MiB", ingest.MaxListingBytes>>20)
	}
	return s.store.SaveDraft(ctx, "items", spec.draftFormat(), body, by)
}

// ImportDraft returns a kept upload of the account, leaving it kept.
func (s *Service) ImportDraft(ctx context.Context, id int64, by string) (ImportDraft, error) {
	format, body, err := s.store.Draft(ctx, id, "items", by)
	if err != nil {
		return ImportDraft{}, err
	}
	spec, err := parseDraftFormat(format)
	return ImportDraft{ID: id, Spec: spec, Body: body}, err
}

// ConfirmImport imports a kept upload, exactly the bytes previewed, once:
// the draft is gone after, whatever the outcome.
func (s *Service) ConfirmImport(ctx context.Context, id int64, by string) (ingest.Result, error) {
	format, body, err := s.store.TakeDraft(ctx, id, "items", by)
	if err != nil {
		return ingest.Result{}, err
	}
	spec, err := parseDraftFormat(format)
	if err != nil {
		return ingest.Result{}, err
	}
	return s.Import(ctx, by, spec, bytes.NewReader(body))
}
