package ingest

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// Limits on a listing. A year of a busy desk's news is well under a
// megabyte; the limits keep one upload from holding a worker's memory.
const (
	MaxListingBytes = 5 << 20 // whole listing, before decoding
	MaxLineBytes    = 64 << 10
	MaxLineErrors   = 100 // past this the listing is clearly not a listing
	// MaxListingTitleLen is the longest title line read as a title: well
	// over a headline (the fixture's longest is 151 characters, a Spanish
	// or French one runs a fifth longer), under a summary paragraph. A
	// feed's title or an editor's may be up to domain.MaxTitleLen.
	MaxListingTitleLen = 250
)

// ParsedItem is one item read from a listing, before cleaning and tagging.
type ParsedItem struct {
	Line        int // 1-based line number of the item's date line
	PublishedOn domain.Date
	Title       string
	Summary     string
	URL         string
}

// LineError names a line of a listing that could not be read, so the
// editor can fix the file; imports are all-or-nothing on these.
type LineError struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
	// Code names the fault ("date_ambiguous") and Arg the text or figure
	// it is about, so that a page can say it in its reader's language;
	// the API answers with Message alone.
	Code string `json:"-"`
	Arg  string `json:"-"`
}

// Error formats the error as "line 7: unreadable date \"32 Foo, 2020\"".
func (e LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Message) }

// ParseListing reads a plain-text listing: blocks separated by blank lines,
// each item a date line, a title line and an optional one-paragraph summary
// (a line holding only an http(s) URL gives the item's link). It returns the
// items it could read and a LineError for every line it could not (a date
// that cannot be read or has no year, a date with no title after it, each
// paragraph before the first date, a second summary paragraph, a bad URL, a
// line holding only a link that is not http(s), a title line that is a
// paragraph (over MaxListingTitleLen, or sentences ending in a full
// stop), a summary over the domain limit, at most MaxLineErrors in all);
// callers importing all-or-nothing must write nothing when there are any. The
// error is only for failing to read r or for a listing over MaxListingBytes
// (of kind errs.TooLarge).
//
// The reader is forgiving about what editors' tools produce: CRLF, a BOM,
// UTF-16, Windows-1252, no-break and trailing spaces, several blank lines,
// odd apostrophes, numeric dates that cannot be misread (and the others
// when WithDateOrder says how to read them).
func ParseListing(r io.Reader, opts ...ListingOption) ([]ParsedItem, []LineError, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxListingBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read listing: %w", err)
	}
	if len(raw) > MaxListingBytes {
		return nil, nil, fmt.Errorf("parse listing: %w",
			errs.New(errs.TooLarge, "listing: larger than %d MiB", MaxListingBytes>>20))
	}
	text, err := decodeListing(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("parse listing: %w",
			errs.New(errs.Invalid, "listing: not readable text").Because(err))
	}
	p := &listingParser{}
	for _, o := range opts {
		o(p)
	}
	lines := splitLines(text)
	if first, n := nulLines(lines); n > 1 {
		// A binary file (a PDF, a spreadsheet, a picture) read as text:
		// one fault says what it is, rather than one per garbled line.
		p.fail(first, "not_text", fmt.Sprint(n), fmt.Sprintf("not a plain-text listing: %d lines hold NUL bytes "+
			"(a binary file such as a PDF or a spreadsheet, or UTF-16 without a byte-order mark); save it as plain text", n))
		return nil, p.errs, nil
	}
	for i, line := range lines {
		if !p.line(i+1, line) {
			break
		}
	}
	p.finish()
	return p.items, p.errs, nil
}

// decodeListing returns the listing as UTF-8. Spreadsheet and Notepad
// exports arrive as UTF-16 with a BOM or as Windows-1252; both are decoded
// rather than refused, since the editor cannot easily see the difference.
func decodeListing(raw []byte) (string, error) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}), bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		b, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(raw)
		return string(b), err
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		raw = raw[3:]
	}
	if utf8.Valid(raw) {
		return string(raw), nil
	}
	if hasUTF8Sequence(raw) {
		// UTF-8 with a few damaged bytes: decoding all of it as
		// Windows-1252 would garble every accent that is fine.
		return strings.ToValidUTF8(string(raw), "\uFFFD"), nil
	}
	b, err := charmap.Windows1252.NewDecoder().Bytes(raw)
	return string(b), err
}

// hasUTF8Sequence reports whether raw holds at least one valid multi-byte
// UTF-8 character, which Windows-1252 text practically never does.
func hasUTF8Sequence(raw []byte) bool {
	for len(raw) > 0 {
		r, size := utf8.DecodeRune(raw)
		if size > 1 && r != utf8.RuneError {
			return true
		}
		raw = raw[size:]
	}
	return false
}

// nulLines counts the lines that hold a NUL byte, which no text file
// has, and gives the first one's number.
func nulLines(lines []string) (first, n int) {
	for i, l := range lines {
		if strings.IndexByte(l, 0) >= 0 {
			if n == 0 {
				first = i + 1
			}
			n++
		}
	}
	return first, n
}

// splitLines splits on LF, CRLF or a lone CR, so line numbers match what
// the editor's text editor shows whatever the file's origin.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}

type parseState int

const (
	stBeforeFirst parseState = iota // no date seen yet
	stTitle                         // after a date line, waiting for the title
	stBody                          // after the title: summary, URL or next date
	stSkip                          // after a bad date: ignore until the next date
)

// listingParser is a line-at-a-time state machine; cur is the item being
// read while state is stTitle or stBody.
type listingParser struct {
	order       DateOrder // how to read 05/09/2018
	state       parseState
	cur         ParsedItem
	summary     []string
	summaryDone bool // a blank line closed the summary paragraph
	blankBefore bool // the previous line was blank (or there was none)
	items       []ParsedItem
	errs        []LineError
}

// line handles one line; it returns false when parsing should stop.
func (p *listingParser) line(n int, raw string) bool {
	if len(raw) > MaxLineBytes {
		p.fail(n, "line_too_long", fmt.Sprint(MaxLineBytes), fmt.Sprintf("line longer than %d bytes", MaxLineBytes))
	}
	if strings.IndexByte(raw, 0) >= 0 {
		// No text file holds a NUL: this is not what it claims to be.
		p.fail(n, "nul_byte", "", "holds a NUL byte: not a plain-text listing (UTF-16 without a byte-order mark, or not text at all)")
	}
	s := CleanText(raw)
	if s == "" {
		if p.state == stBody && len(p.summary) > 0 {
			p.summaryDone = true
		}
		p.blankBefore = true
		return len(p.errs) < MaxLineErrors
	}
	paragraphStart := p.blankBefore || n == 1
	p.blankBefore = false

	if looksLikeDate(s) {
		d, problem := parseDate(s, p.order)
		// Right after a date, a line that only looks like one may be a
		// short title such as "100 Days"; a date read, or one whose
		// fault is its order or its year ("05/09/2020", "16/12/20"), is
		// not: taken as a title it would publish a date as a headline.
		if p.state != stTitle || problem != dateUnreadable && problem != dateNoYear {
			p.startItem(n, s, d, problem)
			return len(p.errs) < MaxLineErrors
		}
	}
	switch p.state {
	case stBeforeFirst:
		if paragraphStart {
			p.fail(n, "text_before_date", clip(s), fmt.Sprintf("text before the first date: %q", clip(s)))
		}
	case stTitle:
		if isURLLine(s) {
			p.setURL(n, s)
			break
		}
		if isOtherLink(s) {
			p.failLink(n, s)
			break
		}
		p.cur.Title = s
		p.checkTitle(n, s)
		p.state = stBody
	case stBody:
		switch {
		case isURLLine(s):
			p.setURL(n, s)
		case isOtherLink(s):
			// Folded into the summary it would reach the digest as text
			// that looks like a link the desk meant to give.
			p.failLink(n, s)
		case p.summaryDone:
			// A second paragraph is most often a date typed so badly that it
			// was not recognised, followed by its title: reading it as more
			// summary would silently merge two items.
			p.fail(n, "expected_date", clip(s), fmt.Sprintf("expected a date line to start the next item, found %q (a summary is one paragraph)", clip(s)))
			p.endItem()
			p.state = stSkip
		default:
			p.summary = append(p.summary, s)
		}
	}
	return len(p.errs) < MaxLineErrors
}

// startItem ends the item in progress and starts one at a date line.
func (p *listingParser) startItem(n int, s string, d domain.Date, problem dateProblem) {
	p.endItem()
	switch problem {
	case dateNoYear:
		p.fail(n, "date_no_year", s, fmt.Sprintf("date without a year %q", s))
		p.state = stSkip
	case dateUnreadable:
		p.fail(n, "date_unreadable", s, fmt.Sprintf("unreadable date %q", s))
		p.state = stSkip
	case dateAmbiguous:
		p.fail(n, "date_ambiguous", s, fmt.Sprintf("ambiguous date %q: day and month could be either way round "+
			"(write the month in words, or give the listing's date order: mdy or dmy)", s))
		p.state = stSkip
	case dateOrderMismatch:
		p.fail(n, "date_order_mismatch", s, fmt.Sprintf("date %q cannot be read in the date order given (%s)", s, p.order))
		p.state = stSkip
	case dateShortYear:
		p.fail(n, "date_short_year", s, fmt.Sprintf("date with a two-digit year %q: write the year in full", s))
		p.state = stSkip
	default:
		p.cur = ParsedItem{Line: n, PublishedOn: d}
		p.state = stTitle
	}
}

// endItem closes the item in progress, if any.
func (p *listingParser) endItem() {
	switch p.state {
	case stTitle:
		p.fail(p.cur.Line, "no_title", p.cur.PublishedOn.Format(domain.DateLayout), fmt.Sprintf("no title after the date %q", p.cur.PublishedOn.Format("2 January 2006")))
	case stBody:
		p.cur.Summary = strings.Join(p.summary, " ")
		if utf8.RuneCountInString(p.cur.Summary) > domain.MaxSummaryLen {
			p.fail(p.cur.Line, "summary_too_long", fmt.Sprint(domain.MaxSummaryLen), fmt.Sprintf("summary longer than %d characters", domain.MaxSummaryLen))
		}
		p.items = append(p.items, p.cur)
	}
	p.cur, p.summary, p.summaryDone = ParsedItem{}, nil, false
	p.state = stBeforeFirst
}

// finish closes the last item and puts the errors in line order, since an
// item's own errors (no title, summary too long) are found at its end.
func (p *listingParser) finish() {
	if p.state != stSkip {
		p.endItem()
	}
	slices.SortStableFunc(p.errs, func(a, b LineError) int { return a.Line - b.Line })
}

func (p *listingParser) setURL(n int, s string) {
	u := strings.Trim(s, "<>")
	switch {
	case !domain.IsHTTPURL(u) || len(u) > domain.MaxURLLen:
		p.fail(n, "url_unreadable", clip(s), fmt.Sprintf("unreadable URL %q", clip(s)))
	case p.cur.URL != "":
		p.fail(n, "url_second", "", "second URL for the same item")
	default:
		p.cur.URL = u
	}
}

// checkTitle refuses a title line that is a summary paragraph: what a
// block whose title line is missing gives. A listing's titles are
// headlines (the fixture's run from 83 to 151 characters, with no full
// stop at the end); its summaries are sentences, from 321 characters.
func (p *listingParser) checkTitle(n int, s string) {
	switch {
	case utf8.RuneCountInString(s) > MaxListingTitleLen:
		p.fail(n, "title_too_long", fmt.Sprint(MaxListingTitleLen),
			fmt.Sprintf("title longer than %d characters: a paragraph, not a title (is the title line missing?)", MaxListingTitleLen))
	case isSentences(s):
		p.fail(n, "title_sentences", clip(s),
			fmt.Sprintf("title %q is sentences, not a title (is the title line missing?)", clip(s)))
	}
}

// failLink refuses a line holding only a link that is not http(s).
func (p *listingParser) failLink(n int, s string) {
	p.fail(n, "url_scheme", clip(s), fmt.Sprintf("link %q is not a web address: a link line is http:// or https://", clip(s)))
}

// fail records a line's fault: msg for the API, code and arg (the text
// or figure it names) for a console that says it in the editor's language.
func (p *listingParser) fail(n int, code, arg, msg string) {
	if len(p.errs) == MaxLineErrors-1 {
		msg = fmt.Sprintf("%s; too many errors, stopped reading", msg)
	}
	if len(p.errs) < MaxLineErrors {
		p.errs = append(p.errs, LineError{Line: n, Message: msg, Code: code, Arg: arg})
	}
}

// isURLLine reports a line holding nothing but a web address.
func isURLLine(s string) bool {
	u := strings.ToLower(strings.TrimPrefix(s, "<"))
	return (strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://")) &&
		!strings.ContainsAny(s, " \t")
}

// isOtherLink reports a line holding nothing but an address of a scheme
// other than http(s) ("javascript:alert(1)", "ftp://…", "mailto:…"):
// one word, a scheme as RFC 3986 spells it, a colon and more. An
// isURLLine line is not one.
func isOtherLink(s string) bool {
	u := strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
	if strings.ContainsAny(u, " \t") || isURLLine(u) {
		return false
	}
	scheme, rest, ok := strings.Cut(u, ":")
	return ok && rest != "" && linkScheme.MatchString(scheme)
}

var linkScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*$`)

// sentenceEnd is the end of a sentence followed by the start of another:
// a word of three lowercase letters or more (not "U.S." or "St.") and its
// stop, then a capital, perhaps after an opening mark.
var sentenceEnd = regexp.MustCompile(`\p{Ll}{3,}[.!?]["'”’»)]?\s+["'“‘«¿¡(]?\p{Lu}`)

// isSentences reports a line of more than one sentence that ends with a
// full stop: a summary's shape, which a headline does not have.
func isSentences(s string) bool {
	return strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "..") && sentenceEnd.MatchString(s)
}

// clip shortens quoted text in error messages to something readable.
func clip(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}
