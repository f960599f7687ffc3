package bounce

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// LocalPrefix begins the local part of every VERP address.
const LocalPrefix = "bounces+"

// MinSecretLen is the shortest secret NewVERP accepts: the MAC is only as
// hard to forge as the key is to guess.
const MinSecretLen = 16

// macLen is how many bytes of the HMAC an address keeps: 80 bits, 16
// base32 characters. Forging one is a 1-in-2^80 guess per try, and every
// try costs the forger an SMTP transaction the listener can rate-limit.
const macLen = 10

// keyLabel separates the VERP key from other uses of the same secret
// (cookies, CSRF tokens): the secret is never used as a key directly.
const keyLabel = "newsdigest verp v1"

// macEncoding writes MACs in lower-case base32 (a-z, 2-7), which survives
// an MTA that changes the case of the local part.
var macEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Errors Verify returns, wrapped with the detail.
var (
	// ErrOtherDomain: the address is not at the bounce domain.
	ErrOtherDomain = errors.New("bounce: not an address at the bounce domain")
	// ErrNotVERP: the address is at the bounce domain but its local part
	// is not bounces+<id>.<mac>.
	ErrNotVERP = errors.New("bounce: not a VERP address")
	// ErrForged: the address has the shape of a VERP address, but its MAC
	// does not verify under any key.
	ErrForged = errors.New("bounce: VERP signature does not verify")
)

// VERP makes and checks the envelope senders that name a delivery:
// bounces+<delivery-id>.<mac>@<domain>, where mac is a truncated
// HMAC-SHA256 of the id. See the package documentation.
type VERP struct {
	domain string
	keys   [][]byte // keys[0] signs; all verify
}

// NewVERP returns a VERP for domain (BOUNCE_DOMAIN) that signs with a key
// derived from secret. Keys derived from previous secrets still verify, so
// that bounces of mail sent before a secret was changed are still
// recognised; drop them a week or so after the change.
func NewVERP(domain string, secret []byte, previous ...[]byte) (*VERP, error) {
	d := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(domain)), ".")
	if err := checkDomain(d); err != nil {
		return nil, fmt.Errorf("bounce domain %q: %w", domain, err)
	}
	v := &VERP{domain: d}
	for i, s := range append([][]byte{secret}, previous...) {
		if len(s) < MinSecretLen {
			if i == 0 {
				return nil, fmt.Errorf("bounce secret: shorter than %d bytes", MinSecretLen)
			}
			return nil, fmt.Errorf("previous bounce secret %d: shorter than %d bytes", i, MinSecretLen)
		}
		m := hmac.New(sha256.New, s)
		m.Write([]byte(keyLabel))
		v.keys = append(v.keys, m.Sum(nil))
	}
	return v, nil
}

// checkDomain accepts a host name of at least two labels: letters, digits
// and hyphens, no label starting or ending with a hyphen.
func checkDomain(d string) error {
	if d == "" {
		return errors.New("empty")
	}
	if len(d) > 253 {
		return errors.New("longer than 253 characters")
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return errors.New("want a domain of at least two labels, such as bounce.example.org")
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return fmt.Errorf("label %q is not a host name label", l)
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return fmt.Errorf("label %q: only letters, digits and hyphens", l)
			}
		}
	}
	return nil
}

// Domain is the bounce domain, lower-case.
func (v *VERP) Domain() string { return v.domain }

// Token returns "<id>.<mac>", the part of the address that names the
// delivery. A header or a relay's custom variable may carry it where the
// envelope sender does not survive (see DeliveryHeader).
func (v *VERP) Token(deliveryID int64) string {
	id := strconv.FormatInt(deliveryID, 10)
	return id + "." + mac(v.keys[0], id)
}

// Address returns the envelope sender (Return-Path) for a delivery.
func (v *VERP) Address(deliveryID int64) string {
	return LocalPrefix + v.Token(deliveryID) + "@" + v.domain
}

// The one-off mails to a person (the confirmation, the welcome and other
// notices, an export link) are no delivery of an edition: their envelope
// sender names the subscriber, as bounces+n<subscriber-id>.<mac>@domain,
// the MAC taken over "n<id>" so that it never verifies as a delivery's.
// Verify and VerifyToken return such an address as NoticeID(subscriber),
// a negative number; NoticeSubscriber reads it back.

// noticePrefix begins the token of a notice's address.
const noticePrefix = "n"

// NoticeToken returns "n<id>.<mac>" for the one-off mails to a subscriber.
func (v *VERP) NoticeToken(subscriberID int64) string {
	id := noticePrefix + strconv.FormatInt(subscriberID, 10)
	return id + "." + mac(v.keys[0], id)
}

// NoticeAddress returns the envelope sender of a one-off mail to a
// subscriber.
func (v *VERP) NoticeAddress(subscriberID int64) string {
	return LocalPrefix + v.NoticeToken(subscriberID) + "@" + v.domain
}

// NoticeID is what Verify returns for the address of a one-off mail to
// subscriberID: its negation, never a delivery id.
func NoticeID(subscriberID int64) int64 { return -subscriberID }

// NoticeSubscriber reports whether id (from Verify, or an Event's
// DeliveryID) names a one-off mail to a subscriber rather than a
// delivery, and which subscriber.
func NoticeSubscriber(id int64) (int64, bool) {
	if id < 0 {
		return -id, true
	}
	return 0, false
}

// Verify returns the delivery an address names. addr may be in angle
// brackets (as in a Return-Path header), in any case, and tagged by a
// gateway (prvs=<tag>=bounces+…; see tagSchemes). The error wraps
// ErrOtherDomain, ErrNotVERP or ErrForged.
func (v *VERP) Verify(addr string) (int64, error) {
	local, domain, ok := splitAddress(addr)
	if !ok || strings.TrimSuffix(strings.ToLower(domain), ".") != v.domain {
		return 0, ErrOtherDomain
	}
	local = untag(strings.ToLower(local))
	tok, ok := strings.CutPrefix(local, LocalPrefix)
	if !ok {
		return 0, ErrNotVERP
	}
	return v.VerifyToken(tok)
}

// tagSchemes are the bounce address tags (BATV and its kin) an outbound
// gateway may put before the local part of the envelope sender it
// relays: prvs=<tag>=bounces+…, as Cisco's, Sophos's and others' write
// it; msprvs1=<tag>=…, SparkPost's; btv1==<tag>==…, Barracuda's. The
// bounce then comes back to the tagged address; when the bounce domain's
// MX is this listener rather than the gateway, nobody has taken the tag
// off.
var tagSchemes = []struct{ prefix, end string }{
	{"prvs=", "="}, {"msprvs1=", "="}, {"btv1==", "=="},
}

// untag returns a lower-case local part without a gateway's bounce
// address tag, or as it is when it has none. The tag itself is the
// gateway's to check: the MAC that follows decides here.
func untag(local string) string {
	for _, s := range tagSchemes {
		rest, ok := strings.CutPrefix(local, s.prefix)
		if !ok {
			continue
		}
		tag, after, ok := strings.Cut(rest, s.end)
		if ok && tag != "" && !strings.Contains(tag, "=") && strings.HasPrefix(after, LocalPrefix) {
			return after
		}
	}
	return local
}

// VerifyToken returns the delivery a token ("<id>.<mac>", as Token makes
// it) names. The error wraps ErrNotVERP or ErrForged.
func (v *VERP) VerifyToken(tok string) (int64, error) {
	tok = strings.ToLower(strings.TrimSpace(tok))
	id, sum, ok := strings.Cut(tok, ".")
	digits, notice := strings.CutPrefix(id, noticePrefix)
	if !ok || !canonicalID(digits) || len(sum) != macEncoding.EncodedLen(macLen) {
		return 0, fmt.Errorf("%w: want <id>.<mac>", ErrNotVERP)
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%w: delivery id out of range", ErrNotVERP)
	}
	if notice {
		n = NoticeID(n)
	}
	for _, k := range v.keys {
		// hmac.Equal compares in constant time: a forger learns nothing
		// from how long a wrong MAC takes to refuse.
		if hmac.Equal([]byte(mac(k, id)), []byte(sum)) {
			return n, nil
		}
	}
	return 0, ErrForged
}

// canonicalID reports whether s is a decimal number as Token writes one:
// digits only, no sign, no leading zero, at most 19 digits.
func canonicalID(s string) bool {
	if s == "" || len(s) > 19 || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func mac(key []byte, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id))
	return macEncoding.EncodeToString(m.Sum(nil)[:macLen])
}

// splitAddress splits "local@domain", accepting angle brackets, a mailto:
// prefix, an address type ("rfc822;") and surrounding space, as the
// fields of reports write them.
func splitAddress(s string) (local, domain string, ok bool) {
	s = strings.TrimSpace(s)
	if _, after, found := strings.Cut(s, ";"); found && !strings.Contains(s[:len(s)-len(after)], "@") {
		s = strings.TrimSpace(after) // "rfc822; user@example.com"
	}
	if i := strings.IndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 {
			s = s[i+1 : i+j]
		}
	}
	s = strings.TrimPrefix(strings.TrimSpace(s), "mailto:")
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return "", "", false
	}
	return s[:at], s[at+1:], true
}
