package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"net/mail"
	"slices"
	"strings"
	"time"

	"newsdigest/internal/errs"
)

// Languages a subscriber may read the digest in.
var Languages = []string{"en", "es"}

// IsLanguage reports whether code is a supported language.
func IsLanguage(code string) bool { return slices.Contains(Languages, code) }

// Match modes: "any" takes items matching any choice; "narrow" takes only
// items matching a chosen country and a chosen topic.
const (
	ModeAny    = "any"
	ModeNarrow = "narrow"
)

// Subscriber statuses.
const (
	StatusPending      = "pending"
	StatusActive       = "active"
	StatusUnsubscribed = "unsubscribed"
	StatusBounced      = "bounced"
	StatusErased       = "erased"
)

// Filter is what a subscriber chose to receive.
type Filter struct {
	Countries []string `json:"countries"`
	Topics    []string `json:"topics"`
	Language  string   `json:"language"`
	Mode      string   `json:"mode"`
}

// Normalize sorts and de-duplicates the choices and fills defaults, so two
// filters meaning the same thing compare equal.
func (f *Filter) Normalize() {
	f.Countries = normalizeSet(f.Countries, strings.ToUpper)
	f.Topics = normalizeSet(f.Topics, strings.ToLower)
	f.Language = strings.ToLower(strings.TrimSpace(f.Language))
	if f.Language == "" {
		f.Language = "en"
	}
	f.Mode = strings.ToLower(strings.TrimSpace(f.Mode))
	if f.Mode == "" {
		f.Mode = ModeAny
	}
}

func normalizeSet(in []string, fold func(string) string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s = fold(strings.TrimSpace(s)); s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Known answers whether a country code or topic slug exists.
type Known interface {
	HasCountry(code string) bool
	HasTopic(slug string) bool
}

// Validate checks a normalised filter against the taxonomy.
func (f *Filter) Validate(known Known) error {
	if len(f.Countries) == 0 && len(f.Topics) == 0 {
		return errs.New(errs.Invalid, "countries, topics: choose at least one country or topic")
	}
	for _, c := range f.Countries {
		if !known.HasCountry(c) {
			return errs.New(errs.Invalid, "countries: unknown country code %q", c)
		}
	}
	for _, t := range f.Topics {
		if !known.HasTopic(t) {
			return errs.New(errs.Invalid, "topics: unknown topic %q", t)
		}
	}
	if !IsLanguage(f.Language) {
		return errs.New(errs.Invalid, "language: must be one of %s", strings.Join(Languages, ", "))
	}
	if f.Mode != ModeAny && f.Mode != ModeNarrow {
		return errs.New(errs.Invalid, "mode: must be %q or %q", ModeAny, ModeNarrow)
	}
	if f.Mode == ModeNarrow && (len(f.Countries) == 0 || len(f.Topics) == 0) {
		return errs.New(errs.Invalid, "mode: %q needs at least one country and one topic", ModeNarrow)
	}
	return nil
}

// Signature identifies every filter that yields the same digest body.
func (f Filter) Signature() string {
	h := sha256.New()
	h.Write([]byte(strings.Join(f.Countries, ",")))
	h.Write([]byte{'|'})
	h.Write([]byte(strings.Join(f.Topics, ",")))
	h.Write([]byte{'|'})
	h.Write([]byte(f.Language + "|" + f.Mode))
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// Subscriber is one person on the list.
type Subscriber struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Status    string    `json:"status"`
	Filter              // countries, topics, language, mode
	Token     string    `json:"-"` // for preferences and unsubscribe links
	CreatedAt time.Time `json:"created_at"`
}

// Consent records how and when a person asked to subscribe.
type Consent struct {
	At          time.Time
	IP          string
	UserAgent   string
	FormVersion string
}

// NormalizeEmail validates an address and returns its canonical form (the
// domain lower-cased); it rejects display names and anything but one address.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errs.New(errs.Invalid, "email: required")
	}
	if len(s) > 254 {
		return "", errs.New(errs.Invalid, "email: longer than 254 characters")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", errs.New(errs.Invalid, "email: %q is not a valid address", s)
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || !strings.Contains(s[at+1:], ".") && s[at+1:] != "localhost" {
		return "", errs.New(errs.Invalid, "email: %q has no valid domain", s)
	}
	return s[:at] + "@" + strings.ToLower(s[at+1:]), nil
}
