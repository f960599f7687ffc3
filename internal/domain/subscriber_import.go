package domain

// Why a row of an import is skipped, besides the status of the stored
// subscriber with its address.
const (
	SkipListed   = "listed"   // the file itself lists the row as not active
	SkipRepeated = "repeated" // an earlier row has the same address
)

// ImportRow is one subscriber of a bulk import.
type ImportRow struct {
	Line   int // in the file, for a preview to name
	Email  string
	Filter Filter // normalised and validated
	// Skip marks a row that is not imported but still holds its address's
	// place: a later row with the same address is skipped too.
	Skip bool
	// Token is the new subscriber's preferences token, kept only if the
	// row is imported.
	Token string
}

// ImportSource yields the rows of a bulk import in file order, as a
// reader would. Err may be asked at any time: while rows remain it should
// report only a failure to read, which stops the copy at once; after the
// last row it may also refuse the rows as a whole (invalid ones were
// found). Either way nothing is written and the error is returned as is.
type ImportSource interface {
	Next() bool
	Row() ImportRow
	Err() error
}

// ImportPreview is what an import would do, found by doing it and rolling
// it back.
type ImportPreview struct {
	Imported, Skipped int
	// SkipReasons counts the skipped rows by reason: SkipListed,
	// SkipRepeated, or the stored subscriber's status.
	SkipReasons map[string]int
	// SkippedRows are the first skipped rows, in file order.
	SkippedRows []SkippedRow
}

// SkippedRow is a row an import leaves out.
type SkippedRow struct {
	Line   int
	Email  string
	Reason string
}
