package config

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode"
)

// Secrets must be hard to guess. A value copied from an example file, or
// typed by hand ("aaaa…", "0123456789…", "password123…"), is long enough
// to pass a length check and still guessable, so start refuses it.

// The least estimated entropy, in bits, of each secret: SECRET_KEY signs
// cookies and CSRF tokens; ADMIN_TOKEN is compared on every admin call.
// They sit below what the shortest accepted random values score (32 hex
// characters score 113 to 128 bits, 16 score 52 to 64), so no random value
// is refused.
const (
	minKeyBits   = 100
	minTokenBits = 48
)

var errPlaceholder = errors.New("is a placeholder from an example; set a random value (openssl rand -hex 32)")

// placeholderWords are the words example files and tutorials put where a
// secret belongs.
var placeholderWords = []string{
	"change-me", "changeme", "change_me", "replace-me", "replaceme", "replace_me",
	"your-secret", "yoursecret", "your_secret", "insert", "placeholder", "example",
	"secret-key", "secretkey", "secret_key", "password", "passw0rd", "letmein",
	"xxxxxx", "todo", "fixme",
}

// isPlaceholder reports whether v looks like a value from an example.
func isPlaceholder(v string) bool {
	l := strings.ToLower(v)
	for _, w := range placeholderWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// checkSecret refuses placeholders and values whose estimated entropy is
// under minBits.
func checkSecret(v string, minBits float64) error {
	if isPlaceholder(v) {
		return errPlaceholder
	}
	if bits := entropyBits(v); bits < minBits {
		return fmt.Errorf("too easy to guess (about %.0f bits of randomness, want %.0f); set a random value (openssl rand -hex 32)", bits, minBits)
	}
	return nil
}

// entropyBits estimates the randomness of v conservatively: each character
// is worth log2 of the alphabet its classes span, except that one carrying
// on a run (the third of "aaa", "abc" or "321") or ending a stretch that
// occurred earlier in the value is worth a bit. So hex from /dev/urandom
// scores about four bits a character, and "0123456789abcdef" or
// "abcabcabc" almost nothing.
func entropyBits(v string) float64 {
	r := []rune(v)
	if len(r) == 0 {
		return 0
	}
	alphabet := 0
	var lower, upper, digit, other bool
	for _, c := range r {
		switch {
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case unicode.IsDigit(c):
			digit = true
		default:
			other = true
		}
	}
	if lower {
		alphabet += 26
	}
	if upper {
		alphabet += 26
	}
	if digit {
		alphabet += 10
	}
	if other {
		alphabet += 33
	}
	// Hex, the usual form of a generated secret, is a 16-letter alphabet
	// whatever classes it touches.
	if isHex(v) {
		alphabet = 16
	}
	perChar := math.Log2(float64(alphabet))
	bits := perChar
	for i := 1; i < len(r); i++ {
		d := r[i] - r[i-1]
		switch {
		case i >= 2 && d >= -1 && d <= 1 && d == r[i-1]-r[i-2]:
			bits++
		case repeatsEarlier(r, i):
			bits++
		default:
			bits += perChar
		}
	}
	return bits
}

// repeatsEarlier reports whether the three characters ending at i occur
// earlier in r: a pattern typed again.
func repeatsEarlier(r []rune, i int) bool {
	if i < 3 {
		return false
	}
	tri := string(r[i-2 : i+1])
	return strings.Contains(string(r[:i]), tri)
}

func isHex(v string) bool {
	for _, c := range v {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
