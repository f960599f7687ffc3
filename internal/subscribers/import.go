package subscribers

import (
	"bytes"
	"context"
	"io"

	"newsdigest/internal/domain"
	"newsdigest/internal/token"
)

// ImportFormVersion is the form_version of the consent recorded for each
// imported subscriber: the operator attests that these people consented
// elsewhere, and the record says the evidence is theirs, not a form's.
const ImportFormVersion = "csv-import"

// ImportResult is what a subscriber import did.
type ImportResult struct {
	Imported int         `json:"imported"`
	Skipped  int         `json:"skipped"`
	Errors   []LineError `json:"errors"`
}

// Import reads a CSV list of people (see NewCSVReader) and stores them as
// active subscribers (domain.SubscriberImport), all or none, for actor,
// and audits it. A row whose address is already stored, whatever its
// status, or that repeats an earlier row's address, is skipped and
// changes nothing. If any row is invalid nothing is written and the
// error, of kind errs.Invalid, carries every []LineError in its Details.
// c is the importing request's consent details; each person's consent
// record names actor as who attested it.
func (s *Service) Import(ctx context.Context, actor string, r io.Reader, c domain.Consent) (ImportResult, error) {
	known, err := s.tax.Taxonomy(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	cr, err := NewCSVReader(r, known)
	if err != nil {
		return ImportResult{}, err
	}
	c.FormVersion, c.Actor = ImportFormVersion, actor
	imported, skipped, err := s.store.ImportSubscribers(ctx, &importSource{csv: cr}, c)
	if err != nil {
		return ImportResult{}, err
	}
	s.audit.Audit(ctx, actor, "subscriber.import", "subscriber", nil, "imported %d, skipped %d", imported, skipped)
	return ImportResult{Imported: imported, Skipped: skipped, Errors: []LineError{}}, nil
}

// draftKind is the import_drafts kind of a subscriber list.
const draftKind = "subscribers"

// PreviewImport reports what importing a CSV list would do, writing
// nothing (the import itself runs and is rolled back), and, when it has
// no line errors, keeps it as a draft to be confirmed by id
// (ConfirmImport), so exactly what was previewed is imported. Invalid
// lines are an errs.Invalid whose Details are the line errors; nothing is
// kept then.
func (s *Service) PreviewImport(ctx context.Context, actor string, body []byte, c domain.Consent) (draft int64, p domain.ImportPreview, err error) {
	known, err := s.tax.Taxonomy(ctx)
	if err != nil {
		return 0, p, err
	}
	cr, err := NewCSVReader(bytes.NewReader(body), known)
	if err != nil {
		return 0, p, err
	}
	c.FormVersion, c.Actor = ImportFormVersion, actor
	if p, err = s.store.PreviewImportSubscribers(ctx, &importSource{csv: cr}, c); err != nil {
		return 0, p, err
	}
	draft, err = s.store.SaveDraft(ctx, draftKind, "csv", body, actor)
	return draft, p, err
}

// ConfirmImport imports a list PreviewImport kept; a draft is used once.
func (s *Service) ConfirmImport(ctx context.Context, actor string, draft int64, c domain.Consent) (ImportResult, error) {
	_, body, err := s.store.TakeDraft(ctx, draft, draftKind, actor)
	if err != nil {
		return ImportResult{}, err
	}
	return s.Import(ctx, actor, bytes.NewReader(body), c)
}

// importSource hands the valid rows of a CSVReader to the database while
// the file is read, and refuses them all at the end if any was invalid.
type importSource struct {
	csv  *CSVReader
	done bool
}

func (s *importSource) Next() bool {
	for s.csv.Next() {
		// Once a row is invalid nothing will be written: the rest of the
		// file is read only to report every error in one answer.
		if len(s.csv.Errors()) == 0 {
			return true
		}
	}
	s.done = true
	return false
}

func (s *importSource) Row() domain.ImportRow {
	r := s.csv.Row()
	return domain.ImportRow{Line: r.Line, Email: r.Email, Filter: r.Filter, Skip: r.Skip, Token: token.New()}
}

func (s *importSource) Err() error {
	if err := s.csv.Err(); err != nil {
		return err
	}
	if !s.done {
		return nil
	}
	if errs := s.csv.Errors(); len(errs) > 0 {
		return lineErrors(errs...)
	}
	if s.csv.Rows() == 0 {
		return lineErrors(lineError(2, "", "no subscribers after the header"))
	}
	return nil
}
