package domain

import "strings"

// IsBidiControl reports whether r is a bidirectional formatting
// character: an embedding or override (U+202A–U+202E), an isolate
// (U+2066–U+2069) or a mark (U+200E, U+200F, U+061C). In a story's title
// they make text show in another order than it is written ("gnp.exe"
// shown as "exe.png") in the archive, the feeds, the console and the mail
// alike, so stories are stored without them.
func IsBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}

// WithoutBidiControls returns s without its bidirectional formatting
// characters.
func WithoutBidiControls(s string) string {
	if !strings.ContainsFunc(s, IsBidiControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if IsBidiControl(r) {
			return -1
		}
		return r
	}, s)
}
