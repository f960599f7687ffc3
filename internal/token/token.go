// Package token makes the unguessable tokens that reach a subscriber's
// confirmation, preferences and unsubscribe pages.
package token

import (
	"crypto/rand"
	"encoding/base64"
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
