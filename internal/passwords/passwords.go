// Package passwords judges how hard a password or a secret is to guess,
// with zxcvbn's estimator (the dictionaries, keyboard walks, sequences,
// repeats, dates and l33t substitutions people use) and a list of
// passwords leaked in breaches, rather than with rules written by hand.
//
// The list, breached.txt, holds the passwords of at least 12 characters
// (the shortest any setting accepts) among the million most common in
// the "10 million passwords" list of SecLists (Daniel Miessler, MIT
// licence, breached.LICENSE), lower-cased and sorted.
package passwords

import (
	_ "embed"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/trustelem/zxcvbn"
)

//go:embed breached.txt
var breachedText string

// breachedList is breachedText split once, on first use.
var breachedList = sync.OnceValue(func() []string {
	return strings.Split(strings.TrimSpace(breachedText), "\n")
})

// Breached reports whether s, in any letter case, is a password known
// from breaches.
func Breached(s string) bool {
	_, found := slices.BinarySearch(breachedList(), strings.ToLower(s))
	return found
}

// maxJudged bounds the characters the estimator reads (its matching is
// quadratic in the length); what follows them only adds strength.
const maxJudged = 100

// GuessBits estimates how many guesses, as a power of two, an attacker
// who knows how people choose passwords needs for s. hints are words the
// attacker would try first (the site's name, the user's address).
func GuessBits(s string, hints ...string) float64 {
	if r := []rune(s); len(r) > maxJudged {
		s = string(r[:maxJudged])
	}
	return math.Log2(zxcvbn.PasswordStrength(s, hints).Guesses)
}

// StrongPasswordBits is the least GuessBits a person's password must
// have: zxcvbn's "very unguessable" (10^10 guesses, its top score). Its
// "safely unguessable" score (10^8) lets any three common words through,
// the account's own address among them, and the console holds every
// subscriber's address.
var StrongPasswordBits = math.Log2(1e10)

// Weakness says why a password will not do.
type Weakness int

// The weaknesses Check finds.
const (
	Strong    Weakness = iota // nothing wrong
	Leaked                    // in the list of breached passwords
	Guessable                 // a pattern the estimator guesses quickly
)

// Check judges a person's password (the console owner's, an editor's):
// it must not be a breached one, and must take at least
// StrongPasswordBits to guess.
func Check(pw string, hints ...string) Weakness {
	if Breached(pw) {
		return Leaked
	}
	if GuessBits(pw, hints...) < StrongPasswordBits {
		return Guessable
	}
	return Strong
}

// Hints are the words an attacker would try first for a password at
// this site: its name and the parts of the account's address.
func Hints(account string) []string {
	h := []string{"newsdigest", "news", "digest", "admin", "editor", "console"}
	if account == "" {
		return h
	}
	local, domain, _ := strings.Cut(strings.ToLower(account), "@")
	h = append(h, local, domain)
	notLetter := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
	h = append(h, strings.FieldsFunc(local, notLetter)...)
	return append(h, strings.FieldsFunc(domain, notLetter)...)
}
