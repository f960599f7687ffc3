// Package domain holds the plain types every part of newsdigest shares:
// items, subscribers and their filters, editions and deliveries.
package domain

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"newsdigest/internal/errs"
)

// DateLayout is how a published date is written in the API (YYYY-MM-DD).
const DateLayout = "2006-01-02"

// Item is one news story.
type Item struct {
	ID          int64     `json:"id"`
	PublishedOn Date      `json:"published_on"`
	Title       string    `json:"title"`
	Summary     string    `json:"summary"`
	URL         string    `json:"url"`
	Language    string    `json:"language"`
	Countries   []string  `json:"countries"`
	Regions     []string  `json:"regions"`
	Topics      []string  `json:"topics"`
	Hidden      bool      `json:"hidden"`
	IngestedAt  time.Time `json:"-"`
	// Fingerprint recognises the same story when it arrives again.
	Fingerprint string `json:"-"`
}

// Limits on item fields, generous for real news but bounded so one bad
// import cannot fill the database.
const (
	MaxTitleLen   = 500
	MaxSummaryLen = 10000
	MaxURLLen     = 2000
)

// ItemFilter selects items for listing, newest first.
type ItemFilter struct {
	Country string
	Topic   string
	From    *Date
	To      *Date
	Limit   int
	After   *ItemCursor // continue after this item
}

// ItemCursor is the keyset position of an item in newest-first order.
type ItemCursor struct {
	PublishedOn Date
	ID          int64
}

// ItemUpdate is an editor's change to an item; nil fields stay as they are.
type ItemUpdate struct {
	Title     *string   `json:"title"`
	Summary   *string   `json:"summary"`
	URL       *string   `json:"url"`
	Countries *[]string `json:"countries"`
	Regions   *[]string `json:"regions"`
	Topics    *[]string `json:"topics"`
	Hidden    *bool     `json:"hidden"`
}

// Apply changes it in place.
func (u ItemUpdate) Apply(it *Item) {
	if u.Title != nil {
		it.Title = *u.Title
	}
	if u.Summary != nil {
		it.Summary = *u.Summary
	}
	if u.URL != nil {
		it.URL = *u.URL
	}
	if u.Countries != nil {
		it.Countries = *u.Countries
	}
	if u.Regions != nil {
		it.Regions = *u.Regions
	}
	if u.Topics != nil {
		it.Topics = *u.Topics
	}
	if u.Hidden != nil {
		it.Hidden = *u.Hidden
	}
}

// Validate checks an item before it is stored.
func (it *Item) Validate() error {
	switch {
	case it.PublishedOn.IsZero():
		return errs.New(errs.Invalid, "published_on: required")
	case strings.TrimSpace(it.Title) == "":
		return errs.New(errs.Invalid, "title: required")
	case utf8.RuneCountInString(it.Title) > MaxTitleLen:
		return errs.New(errs.Invalid, "title: longer than %d characters", MaxTitleLen)
	case utf8.RuneCountInString(it.Summary) > MaxSummaryLen:
		return errs.New(errs.Invalid, "summary: longer than %d characters", MaxSummaryLen)
	case len(it.URL) > MaxURLLen:
		return errs.New(errs.Invalid, "url: longer than %d characters", MaxURLLen)
	}
	if it.URL != "" && !IsHTTPURL(it.URL) {
		return errs.New(errs.Invalid, "url: must be an absolute http or https URL")
	}
	if it.Language != "" && !IsLanguage(it.Language) {
		return errs.New(errs.Invalid, "language: must be one of %s", strings.Join(Languages, ", "))
	}
	return nil
}

// IsHTTPURL reports whether s is an absolute http(s) URL with a host; only
// those may become links in an email.
func IsHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Date is a calendar day, written as YYYY-MM-DD in JSON.
type Date struct{ time.Time }

// NewDate returns the day of t (in UTC).
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// ParseDate reads a YYYY-MM-DD day.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, err
	}
	return Date{t}, nil
}

// String returns the day as YYYY-MM-DD.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Format(DateLayout)
}

// MarshalJSON writes the day as "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(s)
	if err != nil {
		return errs.New(errs.Invalid, "date %q: want YYYY-MM-DD", s)
	}
	*d = p
	return nil
}
