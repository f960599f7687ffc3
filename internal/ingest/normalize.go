package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"newsdigest/internal/domain"
)

// CleanText makes text pasted from web pages and word processors plain:
// it drops byte-order marks and zero-width characters, turns every kind of
// Unicode space or line break (no-break spaces are common in the source
// listings) into one ASCII space, and trims the ends. Bidirectional
// controls go too (isInvisible). Apostrophes typed in
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

// isPlainASCII reports printable ASCII, spaces and line breaks: text
// whose only cleaning is the spacing. A control character (a NUL, which
// PostgreSQL cannot store, among them) takes the rune-by-rune path, which
// drops it.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b >= 0x7f || (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\v' && b != '\f') {
			return false
		}
	}
	return true
}

// isInvisible reports characters that carry no text but break matching when
// left in: BOM, zero-width spaces and joiners, soft hyphen; and the
// bidirectional controls (domain.IsBidiControl), which would show a title
// in another order than it is written. CleanText drops them here, at
// ingest, once, so the archive, the feeds, the console and the mail all
// show the text as written.
func isInvisible(r rune) bool {
	switch r {
	case '\uFEFF', '\u200B', '\u200C', '\u200D', '\u2060', '\u00AD':
		return true
	}
	if domain.IsBidiControl(r) {
		return true
	}
	return unicode.Is(unicode.Cc, r) && r != '\t' && r != '\n' && r != '\r'
}
