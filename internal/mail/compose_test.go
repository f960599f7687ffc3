package mail

import (
	"bufio"
	"bytes"
	"mime"
	netmail "net/mail"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/testenv"
)

func TestWriteCRLF(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                 "",
		"a":                "a",
		"a\nb\n":           "a\r\nb\r\n",
		"a\r\nb":           "a\r\nb",
		"a\rb\n\nc":        "a\r\nb\r\n\r\nc",
		"\n\r\n\r":         "\r\n\r\n\r\n",
		"línea\nlínea\r\n": "línea\r\nlínea\r\n",
	} {
		var b bytes.Buffer
		writeCRLF(&b, in, 0)
		if b.String() != want {
			t.Errorf("writeCRLF(%q) = %q, want %q", in, b.String(), want)
		}
	}
	// The lines are measured as they are written, the one continued
	// included.
	for _, tt := range []struct {
		in                  string
		open, longest, left int
	}{
		{"", 0, 0, 0},
		{"abc", 2, 5, 5},
		{"ab\nc", 3, 5, 1},
		{"a\nbcd\r\nef", 0, 3, 2},
		{"a\rbcd\n", 7, 8, 0},
		{"\n\n", 4, 4, 0},
	} {
		var b bytes.Buffer
		longest, left := writeCRLF(&b, tt.in, tt.open)
		if longest != tt.longest || left != tt.left {
			t.Errorf("writeCRLF(%q) after %d bytes: longest %d, left %d; want %d, %d", tt.in, tt.open, longest, left, tt.longest, tt.left)
		}
	}
}

func TestWriteDotStuffed(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"a\r\nb\r\n":           "a\r\nb\r\n.\r\n",
		".a\r\n..b\r\nc.d\r\n": "..a\r\n...b\r\nc.d\r\n.\r\n",
		"no line end":          "no line end\r\n.\r\n",
		"end\r\n.":             "end\r\n..\r\n.\r\n",
	} {
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		if err := writeDotStuffed(w, []byte(in)); err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Errorf("writeDotStuffed(%q) = %q, want %q", in, b.String(), want)
		}
	}
}

// TestPrepareTokensOnlyAtOffsets: a body may quote the placeholder (a
// story's link from a public feed); only the offsets the message gives, and
// the headers the code sets, get the recipient's token. Anywhere else, the
// Subject included, the placeholder goes out as written, 8-bit or
// quoted-printable alike.
func TestPrepareTokensOnlyAtOffsets(t *testing.T) {
	t.Parallel()
	const ph, token = "NDTOKENPLACEHOLDER", "tok-Reader_1"
	evil := "https://evil.example/?t=" + ph
	html := `<a href="` + evil + `">Story ` + ph + `</a>` + "\n" +
		`<a href="https://x.example/u/` + ph + `">unsubscribe</a>` + "\n"
	text := "* Story " + ph + "\r\n  " + evil + "\n\nUnsubscribe:\nhttps://x.example/u/" + ph + "\n"
	m := &Message{
		Subject:    "Digest " + ph + " — semana 48",
		HTML:       html,
		Text:       text,
		Language:   "es",
		HTMLTokens: []int{strings.LastIndex(html, ph)},
		TextTokens: []int{strings.LastIndex(text, ph)},
		Headers: map[string]string{
			"List-Unsubscribe": "<https://x.example/u/" + ph + ">",
			"List-Id":          "News <news.example.org>",
		},
	}
	lastAt := func(s string) string {
		i := strings.LastIndex(s, ph)
		return s[:i] + token + s[i+len(ph):]
	}
	crlf := strings.NewReplacer("\r\n", "\r\n", "\n", "\r\n")
	wantHTML, wantText := crlf.Replace(lastAt(html)), crlf.Replace(lastAt(text))

	s := Prepare(m, ph)
	if len(s.segments) != 4 { // the header's token and one in each part
		t.Errorf("%d segments, want 4", len(s.segments))
	}
	for _, eightBit := range []bool{true, false} {
		head := []byte("From: <d@example.org>\r\nTo: <r@example.org>\r\n")
		raw, went := s.appendFor(nil, head, token, eightBit)
		if went != eightBit {
			t.Fatalf("eightBit %v: went 8-bit %v", eightBit, went)
		}
		msg, parts := parseComposed(t, raw)
		if got := msg.Header.Get("List-Unsubscribe"); got != "<https://x.example/u/"+token+">" {
			t.Errorf("eightBit %v: List-Unsubscribe = %q", eightBit, got)
		}
		subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if err != nil || subject != m.Subject {
			t.Errorf("eightBit %v: Subject = %q (%v), want %q", eightBit, subject, err, m.Subject)
		}
		if diff := cmp.Diff(wantHTML, parts["text/html"]); diff != "" {
			t.Errorf("eightBit %v: HTML part (-want +got):\n%s", eightBit, diff)
		}
		if diff := cmp.Diff(wantText, parts["text/plain"]); diff != "" {
			t.Errorf("eightBit %v: text part (-want +got):\n%s", eightBit, diff)
		}
	}
}

// TestPrepareRefusesOffsetsOffThePlaceholder: an offset that does not hold
// the placeholder is a bug in the caller, not something to send.
func TestPrepareRefusesOffsetsOffThePlaceholder(t *testing.T) {
	t.Parallel()
	for name, m := range map[string]*Message{
		"html off":  {HTML: "a PH b", HTMLTokens: []int{1}},
		"text past": {Text: "a PH", TextTokens: []int{3}},
		"backwards": {Text: "PH PH", TextTokens: []int{3, 0}},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Prepare accepted the offsets")
				}
			}()
			Prepare(m, "PH")
		})
	}
}

// parseComposed parses a composed message and returns it with the decoded
// text of each of its parts, by content type.
func parseComposed(t *testing.T, raw []byte) (*netmail.Message, map[string]string) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return msg, testenv.Parts(t, raw)
}

// BenchmarkPrepare composes a digest-sized message with its tokens, as the
// sender does once per group.
func BenchmarkPrepare(b *testing.B) {
	const ph = "NDTOKENPLACEHOLDER"
	line := `<p style="margin:6px 0 0;font-size:15px;line-height:22px;">Officials &amp; partners met to discuss regular pathways.</p>` + "\n"
	html := strings.Repeat(line, 300) + `<a href="https://x.example/p/` + ph + `">prefs</a>` + "\n" + `<a href="https://x.example/u/` + ph + `">unsubscribe</a>` + "\n"
	text := strings.Repeat("  Officials & partners met to discuss regular pathways.\n", 250) + "https://x.example/p/" + ph + "\nhttps://x.example/u/" + ph + "\n"
	m := &Message{
		Subject: "News Digest — 2026-11-30", HTML: html, Text: text, Language: "en",
		Headers:    map[string]string{"List-Unsubscribe": "<https://x.example/u/" + ph + ">", "List-Id": "News <news.example.org>"},
		HTMLTokens: []int{strings.Index(html, ph), strings.LastIndex(html, ph)},
		TextTokens: []int{strings.Index(text, ph), strings.LastIndex(text, ph)},
	}
	b.ReportAllocs()
	for b.Loop() {
		Prepare(m, ph)
	}
}
