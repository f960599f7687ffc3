package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// MaxFeedBytes bounds a feed document, uploaded or fetched; the same as a
// listing, since a feed carries the same kind of news.
const MaxFeedBytes = MaxListingBytes

// maxContentSummary is how much of an entry's full content becomes its
// summary when the entry has no description: the digest shows a paragraph,
// not the article.
const maxContentSummary = 1000

// FeedEntry is one entry read from a feed, before cleaning and tagging.
type FeedEntry struct {
	Position    int // 1-based place of the entry in the document
	PublishedOn domain.Date
	Title       string
	Summary     string // plain text
	URL         string // absolute http(s), or empty
	Language    string // a language of the catalogue, or empty when the feed does not say
	// Alternates are the entry's versions in other languages that the
	// feed links (hreflang); RSS and Atom only, JSON Feed has no such link.
	Alternates []Alternate
}

// ParseFeed reads an RSS 2.0 (also 0.9x and 1.0), Atom or JSON Feed
// document; the format is detected from the content, not from any media
// type. base, if not empty, resolves relative links (the feed's own URL).
//
// It returns the entries it could read and a LineError, whose Line is the
// entry's position, for each entry with no date or no title; callers
// importing all-or-nothing must write nothing when there are any. The error
// is for a document that cannot be read at all: larger than MaxFeedBytes
// (errs.TooLarge, or the reader's own error such as *http.MaxBytesError)
// or not a feed, or nested deeper than any feed (errs.Invalid).
func ParseFeed(r io.Reader, base string) ([]FeedEntry, []LineError, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxFeedBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read feed: %w", err)
	}
	if len(raw) > MaxFeedBytes {
		return nil, nil, errs.New(errs.TooLarge, "feed: larger than %d MiB", MaxFeedBytes>>20)
	}
	if nestedTooDeep(raw) {
		e := errs.New(errs.Invalid, "feed: elements nested more than %d deep, which no feed is; not read", maxParseDepth)
		e.Details = []LineError{}
		return nil, nil, e
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(raw))
	if err != nil {
		e := errs.New(errs.Invalid, "feed: not an RSS, Atom or JSON Feed document").Because(err)
		if !errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			e = errs.New(errs.Invalid, "feed: cut short or damaged, so not read (%s)", err.Error()).Because(err)
		}
		e.Details = []LineError{}
		return nil, nil, e
	}
	if feed.FeedType == "json" && !strings.Contains(feed.FeedVersion, "jsonfeed.org/version/") {
		// Any JSON object parses; only one naming the format is a feed.
		e := errs.New(errs.Invalid, `feed: a JSON document but not a JSON Feed (no "version": "https://jsonfeed.org/version/1.1")`)
		e.Details = []LineError{}
		return nil, nil, e
	}
	baseURL, _ := url.Parse(base)
	if feed.Link != "" {
		// Entry links are relative to the site more often than to the feed.
		if u, err := resolve(baseURL, feed.Link); err == nil {
			baseURL = u
		}
	}
	lang := feedLanguage(feed.Language)
	var alternates [][]Alternate
	if feed.FeedType == "rss" || feed.FeedType == "atom" {
		if alts, ok := entryAlternates(raw, baseURL); ok && len(alts) == len(feed.Items) {
			alternates = alts
		}
	}
	var entries []FeedEntry
	var lineErrs []LineError
	for i, it := range feed.Items {
		if it == nil {
			continue
		}
		e, problem := feedEntry(i+1, it, baseURL, lang)
		if alternates != nil && problem.Message == "" {
			e.Alternates = withoutURL(alternates[i], e.URL)
		}
		if problem.Message != "" {
			problem.Line = i + 1
			lineErrs = append(lineErrs, problem)
			if len(lineErrs) >= MaxLineErrors {
				break
			}
			continue
		}
		entries = append(entries, e)
	}
	return entries, lineErrs, nil
}

// feedEntry converts one gofeed item, or says what is missing (a
// LineError without its line): in English, and by a code with the text it
// is about, for a page to say in its reader's language.
func feedEntry(pos int, it *gofeed.Item, base *url.URL, lang string) (FeedEntry, LineError) {
	title := CleanText(HTMLToText(it.Title))
	day, badDate, dateProblem := entryDate(it)
	switch {
	case title == "" && dateProblem != "":
		return FeedEntry{}, LineError{Message: "no title and " + dateProblem, Code: "feed_no_title"}
	case title == "":
		return FeedEntry{}, LineError{Message: "no title", Code: "feed_no_title"}
	case badDate != "":
		return FeedEntry{}, LineError{Message: fmt.Sprintf("%s (title %q)", dateProblem, clip(title)), Code: "feed_date_unreadable", Arg: badDate}
	case dateProblem != "":
		return FeedEntry{}, LineError{Message: fmt.Sprintf("%s (title %q)", dateProblem, clip(title)), Code: "feed_no_date", Arg: clip(title)}
	}
	summary := CleanText(HTMLToText(it.Description))
	limit := domain.MaxSummaryLen
	if summary == "" {
		summary = CleanText(HTMLToText(it.Content))
		limit = maxContentSummary
	}
	return FeedEntry{
		Position:    pos,
		PublishedOn: day,
		// Clipped, not refused: some feeds put a whole post in the title,
		// and the editor cannot fix someone else's feed.
		Title:    clipWords(title, domain.MaxTitleLen),
		Summary:  clipWords(summary, limit),
		URL:      entryLink(it, base),
		Language: lang,
	}, LineError{}
}

// entryDate is the entry's published date, else its updated date, as the
// calendar day in the publisher's own time zone (an item posted late on
// the 16th in Mexico City is news of the 16th, not of the 17th in UTC).
// When it has none, problem says so, and bad is the date it could not
// read, if that is why.
func entryDate(it *gofeed.Item) (day domain.Date, bad, problem string) {
	for _, d := range []struct {
		parsed *time.Time
		raw    string
	}{{it.PublishedParsed, it.Published}, {it.UpdatedParsed, it.Updated}} {
		if d.parsed != nil && !d.parsed.IsZero() {
			t := inOwnZone(*d.parsed, d.raw)
			if t.Year() < domain.MinYear || t.Year() > domain.MaxYear {
				// A placeholder or a typo ("0001-01-01T00:00:00Z",
				// "2102"): not a day a story was published.
				return domain.Date{}, clip(d.raw), fmt.Sprintf("date %q: want a year from %d to %d", clip(d.raw), domain.MinYear, domain.MaxYear)
			}
			return domain.NewDate(t.Year(), t.Month(), t.Day()), "", ""
		}
	}
	for _, s := range []string{it.Published, it.Updated} {
		if s = strings.TrimSpace(s); s != "" {
			return domain.Date{}, clip(s), fmt.Sprintf("unreadable date %q", clip(s))
		}
	}
	return domain.Date{}, "", "no date (neither published nor updated)"
}

// zonedLayouts are the common feed date formats that carry an offset.
var zonedLayouts = []string{
	time.RFC1123Z, "Mon, 2 Jan 2006 15:04:05 -0700", "2 Jan 2006 15:04:05 -0700",
	time.RFC3339, time.RFC822Z,
}

// namedZoneLayouts are the feed date formats that name their zone.
var namedZoneLayouts = []string{
	time.RFC1123, "Mon, 2 Jan 2006 15:04:05 MST", "Mon, 2 Jan 2006 15:04 MST",
	"2 Jan 2006 15:04:05 MST", "2 Jan 2006 15:04 MST",
}

// rfc822Zones are the zone names RFC 822 allows in a date, which feeds
// written in the Americas use: time.Parse knows them only where the
// machine's own zone has them, and reads them as UTC elsewhere.
var rfc822Zones = map[string]int{
	"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
}

// inOwnZone returns t in the offset its text was written with: gofeed
// gives RSS dates in UTC, which can move the day.
func inOwnZone(t time.Time, raw string) time.Time {
	raw = strings.TrimSpace(raw)
	for _, layout := range zonedLayouts {
		if z, err := time.Parse(layout, raw); err == nil && z.Equal(t) {
			return z
		}
	}
	for _, layout := range namedZoneLayouts {
		z, err := time.Parse(layout, raw)
		if err != nil {
			continue
		}
		name, _ := z.Zone()
		if hours, ok := rfc822Zones[name]; ok {
			zone := time.FixedZone(name, hours*3600)
			if z = time.Date(z.Year(), z.Month(), z.Day(), z.Hour(), z.Minute(), z.Second(), 0, zone); z.Equal(t) {
				return z
			}
		}
	}
	return t
}

// entryLink is the entry's link made absolute; a link that is not http(s)
// or is too long is dropped rather than failing the import, since the
// editor cannot fix someone else's feed and the item is still news.
func entryLink(it *gofeed.Item, base *url.URL) string {
	links := append([]string{it.Link}, it.Links...)
	for _, l := range links {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		u, err := resolve(base, l)
		if err != nil {
			continue
		}
		s := u.String()
		if domain.IsHTTPURL(s) && len(s) <= domain.MaxURLLen {
			return s
		}
	}
	return ""
}

func resolve(base *url.URL, ref string) (*url.URL, error) {
	u, err := url.Parse(ref)
	if err != nil {
		return nil, err
	}
	if base != nil && !u.IsAbs() {
		u = base.ResolveReference(u)
	}
	u.Fragment = ""
	return u, nil
}

// feedLanguage maps a feed's declared language ("es-MX", "en_us") to one
// the digest is written in; anything else is left for detection.
func feedLanguage(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	if domain.IsLanguage(s) {
		return s
	}
	return ""
}

// clipWords shortens s to at most n characters, at a word boundary, with
// an ellipsis.
func clipWords(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	end, space, runes := len(s), 0, 0
	for i := range s {
		if runes == n-1 { // room for the ellipsis
			end = i
			break
		}
		if s[i] == ' ' {
			space = i
		}
		runes++
	}
	if space == 0 {
		space = end // one very long word
	}
	return strings.TrimRight(s[:space], " ,;:") + "…"
}

// ImportFeed reads a feed document and stores its entries: all of them,
// or none with a LineError (Line = entry position) for each entry that
// could not be used. An empty feed imports nothing and is not an error: a
// new site has one. base resolves relative links ("" for an upload).
func (im *Importer) ImportFeed(ctx context.Context, r io.Reader, base string) (Result, error) {
	items, positions, err := im.readFeed(r, base)
	if err != nil || len(items) == 0 {
		return Result{}, err
	}
	return im.ImportItems(ctx, items, positions)
}

// readFeed is the reading half of ImportFeed, shared with PreviewFeed:
// the feed's entries as tagged items, and each one's position.
func (im *Importer) readFeed(r io.Reader, base string) ([]domain.Item, []int, error) {
	entries, lineErrs, err := ParseFeed(r, base)
	if err != nil {
		return nil, nil, err
	}
	if len(lineErrs) > 0 {
		e := errs.New(errs.Invalid, counted(len(lineErrs), "the feed has %d unusable entry; nothing was imported",
			"the feed has %d unusable entries; nothing was imported"), len(lineErrs))
		e.Details = lineErrs
		return nil, nil, e
	}
	items := make([]domain.Item, len(entries))
	positions := make([]int, len(entries))
	for i, e := range entries {
		items[i] = im.Item(e.PublishedOn, e.Title, e.Summary, e.URL, e.Language)
		items[i].Alternates = otherLanguages(e.Alternates, items[i].Language)
		positions[i] = e.Position
	}
	return items, positions, nil
}
