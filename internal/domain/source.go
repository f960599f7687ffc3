package domain

import (
	"net/url"
	"strings"
	"time"

	"newsdigest/internal/errs"
)

// Kinds of source.
const (
	SourceFeed    = "feed"    // RSS 2.0, Atom or JSON Feed, detected
	SourceListing = "listing" // a plain-text listing, as uploaded to /imports
)

// Limits on how often a source is polled: more often than a minute is
// unkind to the publisher, less often than weekly misses editions.
const (
	DefaultSourceInterval = time.Hour
	MinSourceInterval     = time.Minute
	MaxSourceInterval     = 7 * 24 * time.Hour
	// MaxPollBackoff bounds the wait after failed polls in a row, which
	// doubles with each (an interval, two, four…): a source that is down
	// is asked a few times a day, not every interval for weeks, and is
	// found again within hours once it is back. A source whose interval
	// is longer waits its interval. A server's Retry-After is followed
	// even when longer, up to ingest.MaxRetryAfter.
	MaxPollBackoff = 6 * time.Hour
)

// Source is a URL the worker polls for items.
type Source struct {
	ID       int64
	URL      string
	Kind     string
	Interval time.Duration

	CreatedAt     time.Time
	NextPollAt    time.Time
	LastPolledAt  *time.Time
	LastSuccessAt *time.Time
	// LastError is the most recent failure; it stays after a later
	// success, so compare LastErrorAt with LastSuccessAt.
	LastError   string
	LastErrorAt *time.Time
	// LastProblem is LastError in parts, for the console.
	LastProblem PollProblem
	// FailuresInRow counts the polls that failed since the last good
	// one: each doubles the wait before the next (MaxPollBackoff).
	FailuresInRow int
	// ItemCount is how many stored items this source has delivered.
	ItemCount int

	// ETag and LastModified are the validators of the last good fetch.
	ETag         string
	LastModified string
}

// NewSource is an editor's request to poll a URL.
type NewSource struct {
	URL      string
	Kind     string
	Interval time.Duration
}

// Normalize fills the defaults and writes the URL in one form, so the same
// feed typed twice is recognised: scheme and host lower-case, no fragment.
func (n *NewSource) Normalize() {
	n.URL = strings.TrimSpace(n.URL)
	n.Kind = strings.ToLower(strings.TrimSpace(n.Kind))
	if n.Kind == "" {
		n.Kind = SourceFeed
	}
	if n.Interval == 0 {
		n.Interval = DefaultSourceInterval
	}
	if u, err := url.Parse(n.URL); err == nil && u.Host != "" {
		u.Scheme = strings.ToLower(u.Scheme)
		u.Host = strings.ToLower(u.Host)
		u.Fragment, u.RawFragment = "", ""
		n.URL = u.String()
	}
}

// Validate checks the request; errors name the field.
func (n *NewSource) Validate() error {
	u, err := url.Parse(n.URL)
	switch {
	case n.URL == "":
		return errs.New(errs.Invalid, "url: required")
	case len(n.URL) > MaxURLLen:
		return errs.New(errs.Invalid, "url: longer than %d characters", MaxURLLen)
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return errs.New(errs.Invalid, "url: must be an absolute http or https URL")
	case u.User != nil:
		// It would be stored and shown in the source list.
		return errs.New(errs.Invalid, "url: must not contain a user name or password")
	case n.Kind != SourceFeed && n.Kind != SourceListing:
		return errs.New(errs.Invalid, "kind: must be %q or %q", SourceFeed, SourceListing)
	case n.Interval < MinSourceInterval:
		return errs.New(errs.Invalid, "interval: at least %s", FormatInterval(MinSourceInterval))
	case n.Interval > MaxSourceInterval:
		return errs.New(errs.Invalid, "interval: at most %s", FormatInterval(MaxSourceInterval))
	case n.Interval%time.Second != 0:
		return errs.New(errs.Invalid, "interval: whole seconds only")
	}
	return nil
}

// FormatInterval writes a duration as Go does, without the zero units it
// trails: "1h", "1h30m", "2m30s" rather than "1h0m0s".
func FormatInterval(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
