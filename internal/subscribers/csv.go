package subscribers

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// Limits on a subscriber import. 50 MiB is over a million rows of a
// typical list; past it the upload is more likely a mistake than a list.
const (
	MaxCSVBytes  = 50 << 20
	MaxCSVErrors = 100 // past this the file is clearly not a subscriber list
)

// LineError names a line of an import file that cannot be used, and the
// field at fault, so the operator can fix the file.
type LineError struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// CSVRow is one subscriber read from an import file.
type CSVRow struct {
	Line   int // 1-based; the header is line 1
	Email  string
	Filter domain.Filter
	// Skip marks a row that an export listed with a status other than
	// active: only people who are active now may be imported as active,
	// but the row still holds its address's place among duplicates.
	Skip bool
}

// Columns an import file may have, in any order. status and created_at
// are what GET /subscribers.csv adds, so an export can be imported again.
const (
	colEmail = iota
	colCountries
	colTopics
	colLanguage
	colMode
	colStatus
	colCreatedAt
	numCols
)

var colNames = [numCols]string{"email", "countries", "topics", "language", "mode", "status", "created_at"}

// ModeAllStories in the mode column chooses all stories, as the form's
// "all stories" box does (and as "*" alone in countries does).
const ModeAllStories = "all"

// requiredCols must be in the header; the others may be left out.
const requiredCols = colLanguage + 1

// CSVReader reads an import file one row at a time, so that a large file
// never has to be held in memory: Next moves to the next valid row and
// records every invalid one, which Errors returns.
type CSVReader struct {
	r      *csv.Reader
	known  domain.Known
	col    [numCols]int // column index of each field, -1 if absent
	width  int          // fields in the header
	row    CSVRow
	errs   []LineError
	err    error
	rows   int // data rows read, valid or not
	closed bool
}

// NewCSVReader reads the header of an import file. The header names the
// columns (email, countries, topics and language are required; mode,
// status and created_at are optional) in the file's own order. A bad
// header is an errs.Invalid whose Details are the []LineError.
func NewCSVReader(r io.Reader, known domain.Known) (*CSVReader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // a short or long row is reported with its line, not as a syntax error
	cr.ReuseRecord = true
	c := &CSVReader{r: cr, known: known}
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, lineErrors(LineError{1, "the file is empty; want a header line: email,countries,topics,language"})
	}
	if err != nil {
		if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
			return nil, lineErrors(LineError{1, "header: not valid CSV: " + pe.Err.Error()})
		}
		return nil, fmt.Errorf("read import header: %w", err)
	}
	if err := c.readHeader(header); err != nil {
		return nil, lineErrors(LineError{1, err.Error()})
	}
	return c, nil
}

func (c *CSVReader) readHeader(header []string) error {
	for i := range c.col {
		c.col[i] = -1
	}
	c.width = len(header)
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF") // spreadsheets save UTF-8 with a BOM
		}
		name := strings.ToLower(strings.TrimSpace(h))
		k := indexOf(name)
		switch {
		case k < 0:
			return fmt.Errorf("header: unknown column %q; the columns are %s", h, strings.Join(colNames[:], ", "))
		case c.col[k] >= 0:
			return fmt.Errorf("header: column %q appears twice", name)
		}
		c.col[k] = i
	}
	var missing []string
	for k := range requiredCols {
		if c.col[k] < 0 {
			missing = append(missing, colNames[k])
		}
	}
	if len(missing) > 0 {
		columns := "column"
		if len(missing) > 1 {
			columns = "columns"
		}
		return fmt.Errorf("header: missing %s %s; want at least %s", columns, strings.Join(missing, ", "), strings.Join(colNames[:requiredCols], ","))
	}
	return nil
}

func indexOf(name string) int {
	for k, n := range colNames {
		if n == name {
			return k
		}
	}
	return -1
}

// Next advances to the next valid row, recording the invalid ones on the
// way. It returns false at the end of the file, after a CSV syntax error
// (what follows one is rarely what the author meant), after MaxCSVErrors
// errors, or when reading fails (see Err).
func (c *CSVReader) Next() bool {
	for !c.closed {
		rec, err := c.r.Read()
		if errors.Is(err, io.EOF) {
			c.closed = true
			break
		}
		if err != nil {
			if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
				c.addError(pe.StartLine, "not valid CSV: "+pe.Err.Error())
			} else {
				c.err = fmt.Errorf("read import file: %w", err)
			}
			c.closed = true
			break
		}
		line, _ := c.r.FieldPos(0)
		if blank(rec) {
			continue // spreadsheets pad their exports with empty rows
		}
		c.rows++
		if c.parse(line, rec) {
			return true
		}
	}
	return false
}

// parse reads one record into c.row, or records why it cannot.
func (c *CSVReader) parse(line int, rec []string) bool {
	if len(rec) != c.width {
		c.addError(line, fmt.Sprintf("has %d fields, the header has %d", len(rec), c.width))
		return false
	}
	field := func(k int) string {
		if c.col[k] < 0 {
			return ""
		}
		return UnescapeCSVCell(strings.TrimSpace(rec[c.col[k]]))
	}
	for k := range numCols {
		if !utf8.ValidString(field(k)) {
			c.addError(line, colNames[k]+": not UTF-8 text; save the file as UTF-8")
			return false
		}
	}
	c.row = CSVRow{Line: line}
	switch status := strings.ToLower(field(colStatus)); status {
	case "", domain.StatusActive:
	case domain.StatusPending, domain.StatusUnsubscribed, domain.StatusBounced, domain.StatusSuppressed, domain.StatusComplained, domain.StatusErased:
		// Not validated further: an erased row may hold no real address,
		// and a former subscriber's choices may name retired topics.
		c.row.Skip = true
		c.row.Email, _ = domain.NormalizeEmail(field(colEmail))
		return true
	default:
		c.addError(line, fmt.Sprintf("status: %q is not one of %s", status, strings.Join(domain.Statuses, ", ")))
		return false
	}
	ok := true
	email, err := domain.NormalizeEmail(field(colEmail))
	if err != nil {
		c.addError(line, errs.MessageOf(err))
		ok = false
	}
	countries := splitList(field(colCountries))
	all := slices.Contains(countries, domain.AllCountries)
	if all && (len(countries) > 1 || field(colTopics) != "") {
		c.addError(line, `countries: "*" (all stories) stands alone, with no country or topic beside it`)
		ok = false
		countries = nil
	}
	mode := field(colMode)
	// "all" is the form's "all stories" choice, named as a mode so a
	// list can say it in the one column that says which stories.
	if strings.EqualFold(mode, ModeAllStories) {
		mode = ""
		if len(countries) > 0 && !all || field(colTopics) != "" {
			c.addError(line, `mode: "all" (all stories) takes no countries or topics; leave them empty`)
			ok = false
		}
		all, countries = true, nil
	}
	switch strings.ToLower(mode) {
	case "", domain.ModeAny, domain.ModeNarrow:
	default:
		c.addError(line, fmt.Sprintf(`mode: %q is not one of any (stories about a chosen country or a chosen topic), narrow (a chosen country and a chosen topic) or all (all stories)`, mode))
		ok, mode = false, ""
	}
	f := domain.Filter{
		All:       all,
		Countries: countries,
		Topics:    splitList(field(colTopics)),
		Language:  field(colLanguage),
		Mode:      mode,
	}
	f.Normalize()
	if err := f.Validate(c.known); err != nil {
		c.addError(line, errs.MessageOf(err))
		ok = false
	}
	c.row.Email, c.row.Filter = email, f
	return ok
}

func (c *CSVReader) addError(line int, msg string) {
	if len(c.errs) == MaxCSVErrors {
		c.errs = append(c.errs, LineError{line, fmt.Sprintf("stopped reading after %d errors", MaxCSVErrors)})
		c.closed = true
		return
	}
	c.errs = append(c.errs, LineError{line, msg})
}

// Row returns the row Next moved to.
func (c *CSVReader) Row() CSVRow { return c.row }

// Errors returns the invalid rows met so far, in file order.
func (c *CSVReader) Errors() []LineError { return c.errs }

// Rows returns how many data rows (not blank, valid or not) were read.
func (c *CSVReader) Rows() int { return c.rows }

// Err returns the error that stopped reading the file, if any; invalid
// rows are not errors here but Errors.
func (c *CSVReader) Err() error { return c.err }

// EscapeCSVCell makes a cell that a spreadsheet would run as a formula
// plain text, the way spreadsheets themselves expect: a single quote
// before it. Addresses beginning so are refused at sign-up and import, but
// rows stored before that rule still exist. A cell that begins with a
// quote gets another, so that UnescapeCSVCell, taking exactly one away,
// gives back every value as it was.
func EscapeCSVCell(s string) string {
	if s != "" && (s[0] == '\'' || strings.IndexByte(domain.FormulaStart, s[0]) >= 0) {
		return "'" + s
	}
	return s
}

// UnescapeCSVCell undoes EscapeCSVCell, so that an export imports back as
// what was stored (and a formula address is then refused by name, rather
// than stored with the quote). A quote before anything but a formula
// character or another quote was not put there by an export: it is part
// of the value, as in a hand-written file.
func UnescapeCSVCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && (s[1] == '\'' || strings.IndexByte(domain.FormulaStart, s[1]) >= 0) {
		return s[1:]
	}
	return s
}

// splitList splits a list field: operators' files separate with ";" or
// "|" (a comma would clash with the CSV itself).
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '|' })
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// lineErrors is the errs.Invalid that a refused import answers with.
func lineErrors(le ...LineError) *errs.Error {
	e := errs.New(errs.Invalid, "the file has errors (listed by line); nothing was imported")
	e.Details = le
	return e
}
