// Package domain holds the plain types every part of newsdigest shares:
// items, subscribers and their filters, editions and deliveries.
package domain

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"newsdigest/internal/errs"
)

// DateLayout is how a published date is written in the API (YYYY-MM-DD).
const DateLayout = "2006-01-02"

// Item is one news story.
//
// The first ten JSON fields are the item shape of DESIGN.md and stay as
// they are; the rest are additive: the other language versions of the
// story, why each tag was set, and which fields an editor changed.
type Item struct {
	ID          int64    `json:"id"`
	PublishedOn Date     `json:"published_on"`
	Title       string   `json:"title"`
	Summary     string   `json:"summary"`
	URL         string   `json:"url"`
	Language    string   `json:"language"`
	Countries   []string `json:"countries"`
	Regions     []string `json:"regions"`
	Topics      []string `json:"topics"`
	Hidden      bool     `json:"hidden"`
	// Translations are the ids of the other language versions of the
	// story, in id order; a subscriber gets one of them (PickLanguage).
	Translations []int64 `json:"translations"`
	// TagReasons says what set each tag: a tagger rule or an editor.
	TagReasons TagReasons `json:"tag_reasons"`
	// EditedFields names the fields an editor has set (the Field
	// constants); ingesting the story again never changes them.
	EditedFields []string  `json:"edited_fields"`
	IngestedAt   time.Time `json:"-"`
	// Picked: an editor asked for the story in the next edition of new
	// stories, whatever its date (the pick is spent when one holds it).
	Picked bool `json:"-"`
	// LastPickedAt is when an editor last picked the story, kept after
	// the desk's edition spends the pick and cleared when they leave it
	// out: to a reader on a schedule of their own the story arrives then.
	LastPickedAt *time.Time `json:"-"`
	// Fingerprint recognises the same story when it arrives again.
	Fingerprint string `json:"-"`
	// TitleTokens are the folded words of the title as it first arrived,
	// sorted and unique: a later copy with a slightly edited title is
	// recognised by them (NearDuplicate), even after an editor retitled
	// the stored item.
	TitleTokens []string `json:"-"`
	// TranslationKeys link language versions of one story: items in
	// different languages sharing a key are translations of each other.
	TranslationKeys []string `json:"-"`
	// Alternates are the addresses of the story in other languages, when
	// its source says so (a feed's hreflang links); they become
	// TranslationKeys when the item is imported.
	Alternates []string `json:"-"`
	// TranslationOf is the id of the first stored version of the story
	// when this item is a translation of it, else 0.
	TranslationOf int64 `json:"-"`
	// FeaturedUntil, when set, makes the story lead its section in every
	// edition made before it (an editor's choice: one edition or a week).
	FeaturedUntil *time.Time `json:"featured_until"`
}

// FeaturedAt reports whether the story is featured in an edition made at t.
func (it Item) FeaturedAt(t time.Time) bool {
	return it.FeaturedUntil != nil && t.Before(*it.FeaturedUntil)
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
	// PublishedOn corrects the story's date (an editor's, kept when the
	// story is ingested again).
	PublishedOn *Date `json:"published_on"`
	// Picked puts the story in the next edition of new stories whatever
	// its date, or takes it out again; it is not an edit of the story.
	Picked *bool `json:"picked"`
	// TranslationOf links the item to another version of the same story
	// (any item of its group), or unlinks it when null. The store applies
	// it, since it must check the other item.
	TranslationOf OptionalID `json:"translation_of"`
	// FeaturedUntil makes the story lead its section until then, or stops
	// featuring it (null). Like Picked, it is not an edit of the story;
	// it is here so that one call's changes are stored together or not
	// at all.
	FeaturedUntil OptionalTime `json:"featured_until"`
}

// Apply changes it in place and records every field it sets as edited,
// even to the value it had: an editor who confirms a tag has decided it.
// Tags the editor adds get the reason ReasonEditor; tags kept keep theirs.
func (u ItemUpdate) Apply(it *Item) {
	// An editor's text is stored as ingested text is: without the
	// characters that would reorder what readers see.
	if u.Title != nil {
		it.Title = WithoutBidiControls(*u.Title)
		it.MarkEdited(FieldTitle)
	}
	if u.Summary != nil {
		it.Summary = WithoutBidiControls(*u.Summary)
		it.MarkEdited(FieldSummary)
	}
	if u.URL != nil {
		it.URL = *u.URL
		it.MarkEdited(FieldURL)
	}
	if u.Countries != nil {
		it.TagReasons.Countries = editorReasons(it.TagReasons.Countries, *u.Countries)
		it.Countries = *u.Countries
		it.MarkEdited(FieldCountries)
	}
	if u.Regions != nil {
		it.TagReasons.Regions = editorReasons(it.TagReasons.Regions, *u.Regions)
		it.Regions = *u.Regions
		it.MarkEdited(FieldRegions)
	}
	if u.Topics != nil {
		it.TagReasons.Topics = editorReasons(it.TagReasons.Topics, *u.Topics)
		it.Topics = *u.Topics
		it.MarkEdited(FieldTopics)
	}
	if u.Hidden != nil {
		it.Hidden = *u.Hidden
		it.MarkEdited(FieldHidden)
	}
	if u.TranslationOf.Set {
		it.MarkEdited(FieldTranslations)
	}
	if u.PublishedOn != nil {
		it.PublishedOn = *u.PublishedOn
		it.MarkEdited(FieldPublished)
	}
	if u.Picked != nil {
		it.Picked = *u.Picked
	}
	if u.FeaturedUntil.Set {
		it.FeaturedUntil = u.FeaturedUntil.Time
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

// Years outside this range are typos ("0202", "2102" for 2012), not
// news: a day in them is refused wherever one is read.
const (
	MinYear = 1900
	MaxYear = 2200
)

// ErrNoSuchDay is ParseDate's error for a day written as YYYY-MM-DD that
// the calendar does not have (2026-02-30, 2026-13-01): a form says so
// rather than ask for the form the day is already written in.
var ErrNoSuchDay = errors.New("no such day in the calendar")

// ParseDate reads a YYYY-MM-DD day of a year from MinYear to MaxYear. Its
// error says what was wanted, to follow the field's name.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		if dateShaped(s) {
			return Date{}, ErrNoSuchDay
		}
		return Date{}, errors.New("want YYYY-MM-DD")
	}
	if y := t.Year(); y < MinYear || y > MaxYear {
		return Date{}, fmt.Errorf("want a year from %d to %d", MinYear, MaxYear)
	}
	return Date{t}, nil
}

// dateShaped reports whether s is written as YYYY-MM-DD, digits where
// DateLayout has them, whether or not the calendar has that day.
func dateShaped(s string) bool {
	if len(s) != len(DateLayout) {
		return false
	}
	for i := range len(s) {
		if DateLayout[i] == '-' {
			if s[i] != '-' {
				return false
			}
		} else if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
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
		return errs.New(errs.Invalid, "date %q: %v", s, err)
	}
	*d = p
	return nil
}
