// Package token makes the unguessable tokens that reach a subscriber's
// confirmation, preferences and unsubscribe pages, and puts them into
// messages made for many readers.
package token

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
)

// Len is the length of a token: 128 random bits in unpadded base64url.
const Len = 22

// New returns a fresh random token, safe in URLs and HTML without escaping.
func New() string {
	b := make([]byte, 16)
	rand.Read(b) // never returns an error (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Valid reports whether s has the shape of a token, so that obviously
// wrong ones are rejected before any lookup.
func Valid(s string) bool {
	if len(s) != Len {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Splice returns s with tok in place of the placeholder at each offset in
// at (in increasing order): a message made once for many readers becomes
// one reader's, with their token only where the message's maker put one
// (never where a story happens to contain the placeholder's text). It
// reports false, with s as it was, if an offset does not hold the
// placeholder: the offsets were not made for s.
func Splice(s string, at []int, placeholder, tok string) (string, bool) {
	if len(at) == 0 {
		return s, true
	}
	last := 0
	for _, i := range at {
		if i < last || i+len(placeholder) > len(s) || s[i:i+len(placeholder)] != placeholder {
			return s, false
		}
		last = i + len(placeholder)
	}
	var b strings.Builder
	b.Grow(len(s) + len(at)*(len(tok)-len(placeholder)))
	last = 0
	for _, i := range at {
		b.WriteString(s[last:i])
		b.WriteString(tok)
		last = i + len(placeholder)
	}
	b.WriteString(s[last:])
	return b.String(), true
}
