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
// listings) into one ASCII space, and trims the ends. Apostrophes typed in
// odd ways (´ from a Spanish keyboard's dead key, ’ and ‘ from word
// processors, ʼ, and ` or ′ between letters) become ASCII ', so "IOM´s"
// and "IOM's" are the same text when an editor searches or a story
// arrives again. Letters, double quotes and other punctuation are kept as
// written: they are the publisher's text.
func CleanText(s string) string {
	if isPlainASCII(s) && !strings.Contains(s, "`") {
		// The common case needs no rune-by-rune work.
		return strings.Join(strings.Fields(s), " ")
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	prevLetter := false
	for i, r := range s {
		switch {
		case r == utf8.RuneError || isInvisible(r):
			continue
		case unicode.IsSpace(r) || unicode.Is(unicode.Zs, r):
			space = b.Len() > 0
			prevLetter = false
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if isApostrophe(r, prevLetter, s[i+utf8.RuneLen(r):]) {
			r = '\''
		}
		prevLetter = unicode.IsLetter(r)
		b.WriteRune(r)
	}
	return b.String()
}

// isApostrophe reports whether r, after a letter or not and followed by
// rest, stands for an apostrophe. The grave accent and the prime are
// apostrophes only between letters ("d`Ivoire"); elsewhere they may be
// meant (a prime in "12′").
func isApostrophe(r rune, afterLetter bool, rest string) bool {
	switch r {
	case '\u00B4', '\u2019', '\u2018', '\u02BC':
		return true
	case '`', '\u2032':
		next, _ := utf8.DecodeRuneInString(rest)
		return afterLetter && unicode.IsLetter(next)
	}
	return false
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
