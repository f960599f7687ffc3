package subscription

import (
	"context"
	"io"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
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
// active subscribers, all or none. A row whose address is already stored,
// whatever its status, or that repeats an earlier row's address, is
// skipped and changes nothing. If any row is invalid nothing is written
// and the error, of kind errs.Invalid, carries every []LineError in its
// Details. c is the importing request's consent details.
func (s *Service) Import(ctx context.Context, known domain.Known, r io.Reader, c domain.Consent) (ImportResult, error) {
	cr, err := NewCSVReader(r, known)
	if err != nil {
		return ImportResult{}, err
	}
	c.FormVersion = ImportFormVersion
	src := &importSource{csv: cr}
	imported, skipped, err := s.DB.ImportSubscribers(ctx, src, c)
	if err != nil {
		return ImportResult{}, err
	}
	return ImportResult{Imported: imported, Skipped: skipped, Errors: []LineError{}}, nil
}

// Preview reads a CSV list as Import does and reports what importing it
// would do, writing nothing: the import itself runs and is rolled back.
// Invalid rows are the same errs.Invalid as Import's.
func (s *Service) Preview(ctx context.Context, known domain.Known, r io.Reader, c domain.Consent) (postgres.ImportPreview, error) {
	cr, err := NewCSVReader(r, known)
	if err != nil {
		return postgres.ImportPreview{}, err
	}
	c.FormVersion = ImportFormVersion
	return s.DB.PreviewImportSubscribers(ctx, &importSource{csv: cr}, c)
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

func (s *importSource) Row() postgres.ImportRow {
	r := s.csv.Row()
	return postgres.ImportRow{Line: r.Line, Email: r.Email, Filter: r.Filter, Skip: r.Skip, Token: token.New()}
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
		return lineErrors(LineError{2, "no subscribers after the header"})
	}
	return nil
}
