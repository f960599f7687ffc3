package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// CleanText makes text pasted from web pages and word processors plain:
// it drops byte-order marks and zero-width characters, turns every kind of
// Unicode space or line break (no-break spaces are common in the source
// listings) into one ASCII space, and trims the ends. Letters, quotes and
// punctuation are kept as written: they are the publisher's text.
func CleanText(s string) string {
	if isPlainASCII(s) {
		// The common case needs no rune-by-rune work.
		return strings.Join(strings.Fields(s), " ")
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError || isInvisible(r):
			continue
		case unicode.IsSpace(r) || unicode.Is(unicode.Zs, r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isInvisible reports characters that carry no text but break matching when
// left in: BOM, zero-width spaces and joiners, directional marks, soft hyphen.
func isInvisible(r rune) bool {
	switch r {
	case '\uFEFF', '\u200B', '\u200C', '\u200D', '\u2060', '\u200E', '\u200F', '\u00AD':
		return true
	}
	return unicode.Is(unicode.Cc, r) && r != '\t' && r != '\n' && r != '\r'
}

// word is one word of a text as the matchers see it: folded to lower case
// without accents, so "México", "MEXICO" and "mexico" compare equal, plus how
// it was capitalised, because "Chile" the country and "chile" the pepper
// differ only in that.
type word struct {
	text    string // folded: lower case, no diacritics
	capital bool   // the first letter was upper case
	upper   bool   // every letter was upper case (an acronym: "RCM", "US")
}

// words splits s into folded words. A word is a run of letters and digits;
// everything else (spaces, punctuation, apostrophes, hyphens) separates
// words, so "Guinea-Bissau" is two words and "d’Ivoire" matches "d'Ivoire".
func words(s string) []word {
	// NFD splits "é" into "e" + a combining accent, which is then dropped.
	s = norm.NFD.String(s)
	out := make([]word, 0, len(s)/6)
	var b strings.Builder
	var capital, upper, started bool
	flush := func() {
		if b.Len() > 0 {
			out = append(out, word{text: b.String(), capital: capital, upper: upper})
			b.Reset()
		}
		started = false
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // a diacritic: part of the letter before it
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			isUpper := unicode.IsUpper(r)
			if !started {
				started, capital, upper = true, isUpper, true
			}
			if unicode.IsLetter(r) && !isUpper {
				upper = false
			}
			b.WriteRune(foldRune(r))
		default:
			flush()
		}
	}
	flush()
	return out
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
