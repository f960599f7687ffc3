package subscribers

import (
	"bytes"
	"context"
)

// ImportSample returns the first n rows of a CSV list that an import
// would add, as the reader reads them (choices normalised), so an editor
// sees what the columns were taken to mean before confirming, not only
// how many rows there are. Rows an export marks as not active are left
// out, as the import leaves them out.
func (s *Service) ImportSample(ctx context.Context, body []byte, n int) ([]CSVRow, error) {
	known, err := s.tax.Taxonomy(ctx)
	if err != nil {
		return nil, err
	}
	cr, err := NewCSVReader(bytes.NewReader(body), known)
	if err != nil {
		return nil, err
	}
	var rows []CSVRow
	for len(rows) < n && cr.Next() {
		if r := cr.Row(); !r.Skip {
			rows = append(rows, r)
		}
	}
	return rows, cr.Err()
}
