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
	Message string `json:"message"` // "column: what is wrong"
	// Column is the column at fault as the header names it, "" when the
	// fault is the line's as a whole. Format and Args are what Message
	// was made from, so that a page can say it in its reader's language;
	// the API answers with Message alone.
	Column string `json:"-"`
	Format string `json:"-"`
	Args   []any  `json:"-"`
}

// lineError is the fault of a line, in column ("" for the whole line),
// said by format and args.
func lineError(line int, column, format string, args ...any) LineError {
	return LineError{Line: line, Message: fmt.Sprintf(format, args...), Column: column, Format: format, Args: args}
}

// fieldError is a line's fault that a service found in a field: err says
// "field: why", and the field is the column's name.
func fieldError(line int, err error) LineError {
	format, args, ok := errs.TemplateOf(err)
	if !ok {
		format, args = "%s", []any{errs.MessageOf(err)}
	}
	column, _, _ := strings.Cut(errs.MessageOf(err), ":")
	le := lineError(line, column, format, args...)
	le.Message = errs.MessageOf(err)
	return le
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
		return nil, lineErrors(lineError(1, "", "the file is empty; want a header line: email,countries,topics,language"))
	}
	if err != nil {
		if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
			return nil, lineErrors(lineError(1, "", "header: not valid CSV: %s", pe.Err.Error()))
		}
		return nil, fmt.Errorf("read import header: %w", err)
	}
	if le, ok := c.readHeader(header); !ok {
		return nil, lineErrors(le)
	}
	return c, nil
}

// readHeader finds the columns; ok is false, and le says why, when the
// header is not one of an import file.
func (c *CSVReader) readHeader(header []string) (le LineError, ok bool) {
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
			return lineError(1, "", "header: unknown column %q; the columns are %s", h, strings.Join(colNames[:], ", ")), false
		case c.col[k] >= 0:
			return lineError(1, "", "header: column %q appears twice", name), false
		}
		c.col[k] = i
	}
	var missing []string
	for k := range requiredCols {
		if c.col[k] < 0 {
			missing = append(missing, colNames[k])
		}
	}
	want := strings.Join(colNames[:requiredCols], ",")
	switch len(missing) {
	case 0:
		return LineError{}, true
	case 1:
		return lineError(1, "", "header: missing column %s; want at least %s", missing[0], want), false
	}
	return lineError(1, "", "header: missing columns %s; want at least %s", strings.Join(missing, ", "), want), false
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
				c.addError(lineError(pe.StartLine, "", "not valid CSV: %s", pe.Err.Error()))
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

// parse reads one record into c.row, or records why it cannot: every
// fault of every field, so that a line is fixed in one round.
func (c *CSVReader) parse(line int, rec []string) bool {
	if len(rec) != c.width {
		format := "has %d fields, the header has %d"
		if len(rec) == 1 {
			format = "has %d field, the header has %d"
		}
		c.addError(lineError(line, "", format, len(rec), c.width))
		return false
	}
	field := func(k int) string {
		if c.col[k] < 0 {
			return ""
		}
		return UnescapeCSVCell(strings.TrimSpace(rec[c.col[k]]))
	}
	// A field that is not text is said once: what else it breaks is not.
	unreadable := map[string]bool{}
	for k := range numCols {
		if !utf8.ValidString(field(k)) {
			c.addError(lineError(line, colNames[k], "%s: not UTF-8 text; save the file as UTF-8", colNames[k]))
			unreadable[colNames[k]] = true
		}
	}
	ok := len(unreadable) == 0
	c.row = CSVRow{Line: line}
	switch status := strings.ToLower(field(colStatus)); status {
	case "", domain.StatusActive:
	case domain.StatusPending, domain.StatusUnsubscribed, domain.StatusBounced, domain.StatusSuppressed, domain.StatusComplained, domain.StatusErased:
		// Not validated further: an erased row may hold no real address,
		// and a former subscriber's choices may name retired topics.
		c.row.Skip = true
		c.row.Email, _ = domain.NormalizeEmail(field(colEmail))
		return ok
	default:
		if !unreadable[colNames[colStatus]] {
			c.addError(lineError(line, colNames[colStatus], "status: %q is not one of %s", status, strings.Join(domain.Statuses, ", ")))
		}
		ok = false
	}
	var email string
	if !unreadable[colNames[colEmail]] {
		var err error
		if email, err = domain.NormalizeEmail(field(colEmail)); err != nil {
			c.addError(fieldError(line, err))
			ok = false
		}
	}
	countries := splitList(field(colCountries))
	all := slices.Contains(countries, domain.AllCountries)
	if all && (len(countries) > 1 || field(colTopics) != "") {
		c.addError(lineError(line, colNames[colCountries], `countries: "*" (all stories) stands alone, with no country or topic beside it`))
		ok = false
		countries = nil
	}
	mode := field(colMode)
	// "all" is the form's "all stories" choice, named as a mode so a
	// list can say it in the one column that says which stories.
	if strings.EqualFold(mode, ModeAllStories) {
		mode = ""
		if len(countries) > 0 && !all || field(colTopics) != "" {
			c.addError(lineError(line, colNames[colMode], `mode: "all" (all stories) takes no countries or topics; leave them empty`))
			ok = false
		}
		all, countries = true, nil
	}
	switch strings.ToLower(mode) {
	case "", domain.ModeAny, domain.ModeNarrow:
	default:
		if !unreadable[colNames[colMode]] {
			c.addError(lineError(line, colNames[colMode], `mode: %q is not one of any (stories about a chosen country or a chosen topic), narrow (a chosen country and a chosen topic) or all (all stories)`, mode))
		}
		ok, mode = false, ""
	}
	topics := splitList(field(colTopics))
	unknownChoice := false // a country or topic not found, reported and left out
	if names, can := c.known.(namedChoices); can {
		var knownCountries, knownTopics bool
		countries, knownCountries = c.byName(line, colCountries, countries, names.LookupCountry, unreadable)
		topics, knownTopics = c.byName(line, colTopics, topics, names.LookupTopic, unreadable)
		unknownChoice = !knownCountries || !knownTopics
		ok = ok && !unknownChoice
	}
	f := domain.Filter{
		All:       all,
		Countries: countries,
		Topics:    topics,
		Language:  field(colLanguage),
		Mode:      mode,
	}
	f.Normalize()
	for _, err := range f.Faults(c.known) {
		le := fieldError(line, err)
		if le.Format == noChoiceFault {
			if unknownChoice {
				continue // what was chosen is unknown, as said
			}
			// The sign-up form's words; a file's row is fixed otherwise.
			le = lineError(line, le.Column, noChoiceInFile)
		}
		if !unreadable[le.Column] {
			c.addError(le)
		}
		ok = false
	}
	c.row.Email, c.row.Filter = email, f
	return ok
}

// namedChoices finds a country or a topic by its code or by its name in
// any language of the catalogue (*taxonomy.Taxonomy): an operator's file
// from another tool names them as people read them.
type namedChoices interface {
	LookupCountry(text string) (string, bool)
	LookupTopic(text string) (string, bool)
}

// The faults a row with nothing chosen is reported by: Filter.Faults'
// words are the sign-up form's.
const (
	noChoiceFault  = "countries, topics: choose all stories, or at least one country or topic"
	noChoiceInFile = `countries, topics: both empty; give a country or a topic, or "*" in countries for all stories`
)

// byName turns the values of column col, countries or topics, into their
// codes, each found by code or by name (lookup); a value it cannot find
// is reported as the file wrote it, and left out. known is false when
// one was not found. "*" (all stories) is kept as it is.
func (c *CSVReader) byName(line, col int, values []string, lookup func(string) (string, bool), unreadable map[string]bool) (codes []string, known bool) {
	known = true
	for _, v := range values {
		if v = strings.TrimSpace(v); v == "" || v == domain.AllCountries {
			codes = append(codes, v)
			continue
		}
		code, found := lookup(v)
		if found {
			codes = append(codes, code)
			continue
		}
		known = false
		if unreadable[colNames[col]] {
			continue
		}
		if col == colCountries {
			c.addError(lineError(line, colNames[col], "countries: unknown country %q; write its code (CR) or its name (Costa Rica)", v))
		} else {
			c.addError(lineError(line, colNames[col], "topics: unknown topic %q; write its code (labour-migration) or its name (Labour migration)", v))
		}
	}
	return codes, known
}

func (c *CSVReader) addError(le LineError) {
	if c.closed {
		return // past MaxCSVErrors
	}
	if len(c.errs) == MaxCSVErrors {
		c.errs = append(c.errs, lineError(le.Line, "", "stopped reading after %d errors", MaxCSVErrors))
		c.closed = true
		return
	}
	c.errs = append(c.errs, le)
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
