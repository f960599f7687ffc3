package config

import (
	"errors"
	"fmt"
	"strings"

	"newsdigest/internal/domain"
	"newsdigest/internal/passwords"
)

// Secrets must be hard to guess. A value copied from an example file, or
// typed by hand ("aaaa…", "0123456789…", "qwertyuiop…", "password123…"),
// is long enough to pass a length check and still guessable, so start
// refuses it: the estimate comes from zxcvbn and a list of breached
// passwords (package passwords), not from rules of our own.

// The least estimated strength, in bits (log2 of the guesses zxcvbn
// reckons an attacker needs), of each secret: SECRET_KEY signs cookies
// and CSRF tokens; ADMIN_TOKEN is compared on every admin call. zxcvbn
// counts a random character as about 3.3 bits and lowers a value for
// every word, date or run that happens to be in it, so the shortest
// random values accepted (32 and 16 hex characters) score from about 88
// and 37 bits up: these sit below, so no random value is refused, and far
// above what patterns and words score.
const (
	minKeyBits   = 64
	minTokenBits = 30
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

// checkSecret refuses placeholders, breached passwords and values whose
// estimated strength is under minBits.
func checkSecret(v string, minBits float64) error {
	if isPlaceholder(v) {
		return errPlaceholder
	}
	if passwords.Breached(v) {
		return errors.New("is a password known from breaches; set a random value (openssl rand -hex 32)")
	}
	if bits := passwords.GuessBits(v, passwords.Hints("")...); bits < minBits {
		return fmt.Errorf("too easy to guess (about %.0f bits by zxcvbn's estimate, want %.0f): "+
			"words, keyboard walks, runs and repeats are tried first; set a random value (openssl rand -hex 32)", bits, minBits)
	}
	return nil
}

// checkPassword judges the owner's password, which a person types: it
// must not be an example's or a breached one, and must be strong by
// zxcvbn's estimate (package passwords).
func checkPassword(pw string) error {
	if isPlaceholder(pw) {
		return errPlaceholder
	}
	switch passwords.Check(pw, passwords.Hints(domain.OwnerAccount)...) {
	case passwords.Leaked:
		return errors.New("is a password known from breaches; choose another (a phrase of four or more words is strong and easy to type)")
	case passwords.Guessable:
		return fmt.Errorf("too easy to guess (about %.0f bits by zxcvbn's estimate, want %.0f): "+
			"common words, names, dates, keyboard walks and repeats are tried first; "+
			"use a phrase of four or more words, or openssl rand -base64 18",
			passwords.GuessBits(pw, passwords.Hints(domain.OwnerAccount)...), passwords.StrongPasswordBits)
	}
	return nil
}
