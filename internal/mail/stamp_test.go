package mail

import (
	"bytes"
	"strings"
	"testing"
)

// TestStampEachCopy: every copy of a prepared message has its own stamp
// wherever the placeholder stood, in the 8-bit and the quoted-printable
// form alike, and the token only at its offsets.
func TestStampEachCopy(t *testing.T) {
	const ph, tokPH = "STAMPSTAMPSTAMP1", "TOKENPLACEHOLDER"
	n := 0
	values := []string{"aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc", "dddddddddddddddd"}
	html := "<a href=\"https://x.example/r/1/" + ph + "\">story é</a> <a href=\"https://x.example/p/" + tokPH + "\">prefs</a> " + ph
	m := &Message{Subject: "s", HTML: html, Text: "https://x.example/r/1/" + ph + "\n",
		HTMLTokens: []int{strings.Index(html, tokPH)},
		Stamp:      ph, StampValue: func() string { v := values[n]; n++; return v }}
	s := Prepare(m, tokPH)
	for i, eightBit := range []bool{true, true, false} {
		out, _ := s.appendFor(nil, nil, "the-token", eightBit)
		v := values[i]
		if bytes.Contains(out, []byte(ph)) || bytes.Count(out, []byte(v)) != 3 {
			t.Errorf("copy %d (8-bit %v): placeholder left, or stamp %q missing:\n%s", i, eightBit, v, out)
		}
		if !bytes.Contains(out, []byte("/p/the-token")) {
			t.Errorf("copy %d: token not placed", i)
		}
	}
}
