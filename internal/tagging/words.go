package tagging

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// word is one word of a text as the matchers see it: folded to lower case
// without accents, so "México", "MEXICO" and "mexico" compare equal, plus how
// it was capitalised, because "Chile" the country and "chile" the pepper
// differ only in that, and where it was, so a tag's reason can quote the
// text as written.
type word struct {
	text       string // folded: lower case, no diacritics
	capital    bool   // the first letter was upper case
	upper      bool   // every letter was upper case (an acronym: "RCM", "US")
	start, end int    // byte offsets of the word in the text
}

// words splits s into folded words. A word is a run of letters and digits;
// everything else (spaces, punctuation, apostrophes, hyphens) separates
// words, so "Guinea-Bissau" is two words and "d’Ivoire" matches "d'Ivoire".
func words(s string) []word {
	sp := splitter{out: make([]word, 0, len(s)/6)}
	var decomposed [16]byte
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			sp.add(rune(c), i)
			i++
			continue
		}
		// NFD splits "é" into "e" + a combining accent, which is then
		// dropped; one rune at a time so the offsets stay those of s.
		_, size := utf8.DecodeRuneInString(s[i:]) // 1 for an invalid byte
		for parts := norm.NFD.AppendString(decomposed[:0], s[i:i+size]); len(parts) > 0; {
			r, n := utf8.DecodeRune(parts)
			sp.add(r, i)
			parts = parts[n:]
		}
		i += size
	}
	sp.flush(len(s))
	return sp.out
}

// splitter is the state of words between runes; a struct rather than
// closures so that splitting, the tagger's hottest loop, stays off the heap.
type splitter struct {
	out []word
	buf []byte // the folded word being read
	cur word   // its case and start
}

func (sp *splitter) add(r rune, at int) {
	var letter, digit, isUpper bool
	if r < utf8.RuneSelf {
		letter = 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
		digit = '0' <= r && r <= '9'
		isUpper = 'A' <= r && r <= 'Z'
	} else {
		if unicode.Is(unicode.Mn, r) {
			return // a diacritic: part of the letter before it
		}
		letter, digit, isUpper = unicode.IsLetter(r), unicode.IsDigit(r), unicode.IsUpper(r)
	}
	if !letter && !digit {
		sp.flush(at)
		return
	}
	if len(sp.buf) == 0 {
		sp.cur = word{capital: isUpper, upper: true, start: at}
	}
	if letter && !isUpper {
		sp.cur.upper = false
	}
	if r < utf8.RuneSelf {
		if isUpper {
			r += 'a' - 'A'
		}
		sp.buf = append(sp.buf, byte(r))
	} else {
		sp.buf = utf8.AppendRune(sp.buf, foldRune(r))
	}
}

func (sp *splitter) flush(end int) {
	if len(sp.buf) > 0 {
		sp.cur.text, sp.cur.end = string(sp.buf), end
		sp.out = append(sp.out, sp.cur)
		sp.buf = sp.buf[:0]
	}
}

// foldRune lower-cases r and maps the few letters NFD does not decompose
// but that writers use interchangeably with a plain one.
func foldRune(r rune) rune {
	r = unicode.ToLower(r)
	switch r {
	case 'ø':
		return 'o'
	case 'ł':
		return 'l'
	case 'đ':
		return 'd'
	case 'ı':
		return 'i'
	}
	return r
}

// fold returns s lower-cased and without diacritics, for comparing a
// single word or a phrase regardless of how it was typed.
func fold(s string) string {
	ws := words(s)
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.text
	}
	return strings.Join(parts, " ")
}

// Fold returns s lower-cased, without diacritics and with punctuation
// turned into single spaces: how the tagger compares words.
func Fold(s string) string { return fold(s) }

// Tokens returns the folded words of s, in order.
func Tokens(s string) []string {
	ws := words(s)
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.text
	}
	return out
}
