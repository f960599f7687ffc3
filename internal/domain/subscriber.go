package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"net/netip"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"

	"newsdigest/internal/errs"
	"newsdigest/internal/i18n"
)

// Languages a subscriber may read the digest in, and items may be
// written in: those the catalogue has a file for (internal/i18n/locales),
// English first.
var Languages = i18n.Languages()

// IsLanguage reports whether code is a supported language.
func IsLanguage(code string) bool { return slices.Contains(Languages, code) }

// Match modes: "any" takes items matching any choice; "narrow" takes only
// items matching a chosen country and a chosen topic.
const (
	ModeAny    = "any"
	ModeNarrow = "narrow"
)

// Filter is what a subscriber chose to receive. All takes every story,
// whatever its countries and topics; a filter with All holds no country
// or topic (Normalize clears them), so one choice has one signature.
type Filter struct {
	All       bool     `json:"all"`
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
	if f.All {
		// Every story: the lists and the narrowing mean nothing more.
		f.Countries, f.Topics, f.Mode = []string{}, []string{}, ModeAny
	}
}

// Chosen reports whether f asks for something: all stories, or at least
// one country or topic. A filter that does not is refused, and brings
// no digest to estimate.
func (f Filter) Chosen() bool {
	return f.All || len(f.Countries) > 0 || len(f.Topics) > 0
}

// CanDrop reports whether a reader with filter f may give up one of the
// countries (kind "country") or topics (kind "topic") they chose and
// still have a digest: a reader of all stories chose none, and a
// reader's last choice, or a narrow digest's last country or last topic,
// has to stay. A digest's story offers "fewer like this" only where the
// reader can (package digest); the page behind it refuses the rest.
func (f Filter) CanDrop(kind string) bool {
	if f.All {
		return false
	}
	countries, topics := len(f.Countries), len(f.Topics)
	switch kind {
	case "country":
		countries--
	case "topic":
		topics--
	default:
		return false
	}
	if countries < 0 || topics < 0 {
		return false
	}
	if f.Mode == ModeNarrow {
		return countries > 0 && topics > 0
	}
	return countries+topics > 0
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

// Validate checks a normalised filter against the taxonomy: every value
// is known (CheckValues) and something is chosen. It returns the first of
// its Faults.
func (f *Filter) Validate(known Known) error {
	if faults := f.Faults(known); len(faults) > 0 {
		return faults[0]
	}
	return nil
}

// Faults is every way a normalised filter is wrong, each as Validate
// says it ("field: why"), so that a list of people can be fixed in one
// round rather than one fault at a time.
func (f *Filter) Faults(known Known) []error {
	var out []error
	if !f.Chosen() {
		out = append(out, errs.New(errs.Invalid, "countries, topics: choose all stories, or at least one country or topic"))
	}
	out = append(out, f.valueFaults(known)...)
	if f.Mode == ModeNarrow && (len(f.Countries) == 0 || len(f.Topics) == 0) {
		out = append(out, errs.New(errs.Invalid, "mode: %q needs at least one country and one topic", ModeNarrow))
	}
	return out
}

// CheckValues checks that every value of a normalised filter is one the
// taxonomy and the product know, without asking that the choice be
// complete: a form half filled in is still a question one can answer
// (how many stories it would bring).
func (f *Filter) CheckValues(known Known) error {
	if faults := f.valueFaults(known); len(faults) > 0 {
		return faults[0]
	}
	return nil
}

// valueFaults is each value of a normalised filter that is not known.
func (f *Filter) valueFaults(known Known) []error {
	var out []error
	for _, c := range f.Countries {
		if !known.HasCountry(c) {
			out = append(out, errs.New(errs.Invalid, "countries: unknown country code %q", c))
		}
	}
	for _, t := range f.Topics {
		if !known.HasTopic(t) {
			out = append(out, errs.New(errs.Invalid, "topics: unknown topic %q", t))
		}
	}
	if !IsLanguage(f.Language) {
		out = append(out, errs.New(errs.Invalid, "language: must be one of %s", strings.Join(Languages, ", ")))
	}
	if f.Mode != ModeAny && f.Mode != ModeNarrow {
		out = append(out, errs.New(errs.Invalid, "mode: must be %q or %q", ModeAny, ModeNarrow))
	}
	return out
}

// Signature identifies every filter that yields the same digest body.
// All is written as "*" where the countries go (no country code is one),
// so the signatures of filters without it are what they always were.
func (f Filter) Signature() string {
	h := sha256.New()
	countries := strings.Join(f.Countries, ",")
	if f.All {
		countries = AllCountries
	}
	h.Write([]byte(countries))
	h.Write([]byte{'|'})
	h.Write([]byte(strings.Join(f.Topics, ",")))
	h.Write([]byte{'|'})
	h.Write([]byte(f.Language + "|" + f.Mode))
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// AllCountries stands for "all stories" where a list of countries is
// written: in the subscriber CSV and in a filter's signature.
const AllCountries = "*"

// Subscriber is one person on the list.
type Subscriber struct {
	ID        int64            `json:"id"`
	Email     string           `json:"email"`
	Status    SubscriberStatus `json:"status"`
	Filter                     // all, countries, topics, language, mode
	Token     string           `json:"-"` // for preferences and unsubscribe links
	CreatedAt time.Time        `json:"created_at"`
	// PausedUntil is set while the subscriber has paused their digests:
	// editions before it skip them. It is nil once it has passed.
	PausedUntil *time.Time `json:"paused_until"`
}

// SignupTokens are the tokens a sign-up may give a subscriber: Token for
// their preferences and unsubscribe links (a new address), and Confirm
// for the confirmation link. The subscriber service makes them; storage
// keeps those the sign-up needs.
type SignupTokens struct {
	Token, Confirm string
}

// Consent records how and when a person asked to subscribe. Actor is
// the editor (or APIActor) who attested the consent of people imported
// in a list, whose IP and UserAgent are then that operator's request's;
// it is "" when the person asked themselves.
type Consent struct {
	At          time.Time
	IP          string
	UserAgent   string
	FormVersion string
	Actor       string
}

// Limits of an address (RFC 5321 section 4.5.3.1): the whole path holds
// 256 octets with its angle brackets, a local part 64, a domain 253 and
// each of its labels 63.
const (
	maxEmailLen  = 254
	maxLocalLen  = 64
	maxDomainLen = 253
	maxLabelLen  = 63
)

// FormulaStart are the first characters that make a spreadsheet read a
// cell as a formula (OWASP "CSV injection"), and a line break of either
// kind, which some spreadsheets skip before reading one. An address is
// exported to operators' spreadsheets, so none may begin with one.
const FormulaStart = "=+-@\t\r\n"

// NormalizeEmail validates an address and returns its canonical form: the
// local part as given (in Unicode NFC), the domain lower-cased and, if internationalised,
// in its ASCII (punycode) form, so that one mailbox is one subscriber
// however its domain is written and every relay can deliver to it. It
// rejects display names, anything but one address, IP literals and
// domains that are not public DNS names. Sign-up, import and the admin
// API all go through it.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errs.New(errs.Invalid, "email: required")
	}
	if strings.IndexByte(FormulaStart, s[0]) >= 0 {
		return "", errs.New(errs.Invalid, "email: must not begin with =, +, -, @, a tab or a line break")
	}
	if len(s) > maxEmailLen {
		return "", errs.New(errs.Invalid, "email: longer than %d characters", maxEmailLen)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", errs.New(errs.Invalid, "email: %q is not a valid address", s)
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 {
		return "", errs.New(errs.Invalid, "email: %q is not a valid address", s)
	}
	// One spelling of an accented local part: "josé" typed as one
	// character or as "e" and a combining accent is one mailbox, and must
	// be one subscriber (and one count against the sign-up limit).
	local := norm.NFC.String(s[:at])
	if r, ok := unseen(local); ok {
		return "", errs.New(errs.Invalid, "email: the part before @ holds a character that cannot be seen (U+%04X); type the address again", r)
	}
	if len(local) > maxLocalLen {
		return "", errs.New(errs.Invalid, "email: the part before @ is longer than %d characters", maxLocalLen)
	}
	host, err := normalizeDomain(s[at+1:])
	if err != nil {
		return "", errs.New(errs.Invalid, "email: %q %s", s, err.Error())
	}
	out := local + "@" + host
	if len(out) > maxEmailLen {
		return "", errs.New(errs.Invalid, "email: longer than %d characters once its domain is in ASCII form", maxEmailLen)
	}
	return out, nil
}

// unseen returns the first character of s that shows as nothing, or as
// a space, or turns the text around it (controls, format characters such
// as U+202E or U+200B, separators, private use, characters ignored by
// default): in an address it is a mistake, or a way to make one address
// look like another in the console and its exports.
func unseen(s string) (rune, bool) {
	for _, r := range s {
		if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Z,
			unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector) {
			return r, true
		}
	}
	return 0, false
}

// normalizeDomain returns a mail domain in lower-case ASCII (IDNA
// A-labels), or says what is wrong with it.
func normalizeDomain(d string) (string, error) {
	if strings.HasPrefix(d, "[") {
		return "", errors.New("has an IP address for a domain; a domain name is needed")
	}
	if _, err := netip.ParseAddr(d); err == nil {
		return "", errors.New("has an IP address for a domain; a domain name is needed")
	}
	// The lookup profile maps case and width (BÜCHER, ｅｘ) the way a
	// resolver does, checks each label, and turns Unicode labels into
	// xn-- ones (and checks those that already are).
	ascii, err := idna.Lookup.ToASCII(d)
	if err != nil {
		return "", errors.New("has no valid domain name")
	}
	ascii = strings.ToLower(ascii)
	if len(ascii) > maxDomainLen {
		return "", fmt.Errorf("has a domain longer than %d characters", maxDomainLen)
	}
	labels := strings.Split(ascii, ".")
	if len(labels) < 2 {
		return "", errors.New("has no valid domain: it needs a dot, as in example.org")
	}
	for _, l := range labels {
		if !validLabel(l) {
			return "", errors.New("has no valid domain name: each part between dots is 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen")
		}
	}
	if strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return "", errors.New("has no valid domain: its last part is a number, not a top-level domain")
	}
	return ascii, nil
}

// validLabel reports whether l is a DNS host name label (RFC 1123):
// letters, digits and hyphens, at most 63, no hyphen at either end.
func validLabel(l string) bool {
	if l == "" || len(l) > maxLabelLen || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Mailbox is the inbox a normalised address reaches, for counting mail
// sent to one person: the address in lower case (mail servers that tell
// local parts apart by case are long gone), without a "+tag" after the
// local part, which providers deliver to the same inbox
// (victim+1@example.org and Victim+2@example.org are one mailbox). Gmail
// also ignores the dots of a local part and takes googlemail.com as
// gmail.com, so v.ictim@gmail.com and victim@googlemail.com are
// victim@gmail.com. Only limits use it; the address is stored and mailed
// as given.
func Mailbox(email string) string {
	email = strings.ToLower(email)
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return email
	}
	local, domain := email[:at], email[at:]
	if plus := strings.IndexByte(local, '+'); plus > 0 {
		local = local[:plus]
	}
	if domain == "@gmail.com" || domain == "@googlemail.com" {
		if undotted := strings.ReplaceAll(local, ".", ""); undotted != "" {
			local, domain = undotted, "@gmail.com"
		}
	}
	return local + domain
}
