package mail

import (
	"bytes"
	"strings"
)

// A stamp is a value each copy of a shared message has of its own, in
// place of a placeholder, everywhere the bodies hold it: a digest's story
// links carry one so that clicks can be counted once per message without
// naming the reader (package clicks). Unlike the token, it is the same
// wherever it stands and names no one, so a placeholder a story brought
// may take it too.

// stampOffsets returns where placeholder stands in b, every occurrence
// that does not overlap one before it. A stamp is as long as its
// placeholder (Message.StampValue's promise), so each copy's stamp goes
// at these offsets, and nothing moves: the token offsets and the 8-bit
// segments stay right.
func stampOffsets(b []byte, placeholder string) []int {
	var at []int
	p := []byte(placeholder)
	for i := 0; ; {
		j := bytes.Index(b[i:], p)
		if j < 0 {
			return at
		}
		at = append(at, i+j)
		i += j + len(p)
	}
}

// stampValue is the value for one copy of s, or "" when s has no stamp
// (or its maker broke the promise on length, when no stamp is put in).
func (s *Shared) stampValue() string {
	if s.src.Stamp == "" || s.src.StampValue == nil {
		return ""
	}
	v := s.src.StampValue()
	if len(v) != len(s.src.Stamp) {
		return ""
	}
	return v
}

// stampString puts v in place of every placeholder in a body not composed
// yet (the quoted-printable form).
func stampString(text, placeholder, v string) string {
	if v == "" {
		return text
	}
	return strings.ReplaceAll(text, placeholder, v)
}
