package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"sort"
	"strings"

	tokens "newsdigest/internal/token"
)

// Shared is a message composed once for many recipients: a digest goes to
// everyone in its group alike but for the recipient and the token in its
// links. Sending it costs a copy and a few splices, not a MIME composition.
type Shared struct {
	src         Message
	placeholder string
	// segments are the composed headers and body, 8-bit, split where a
	// token goes (the placeholder left out); nil when a line is too long
	// for 8-bit.
	segments [][]byte
	// stamps are, for each segment, the offsets in it of the stamp's
	// placeholder (Message.Stamp): each copy's stamp goes there, found
	// once rather than searched for in every copy.
	stamps [][]int
}

// Prepare composes m for sending to many: each send puts its recipient's
// token where placeholder stands in a header of m.Headers, and at the
// offsets m.HTMLTokens and m.TextTokens in the bodies. A placeholder
// anywhere else (in the Subject, or in a story the body quotes) is content
// and goes out as it is: a token placed there would go to whoever wrote
// it. m.To is not used. An empty placeholder prepares a message without a
// token.
//
// Prepare panics if an offset does not hold the placeholder: the offsets
// come from the renderer, and a mismatch is a programming error.
func Prepare(m *Message, placeholder string) *Shared {
	checkTokens("HTMLTokens", m.HTML, m.HTMLTokens, placeholder)
	checkTokens("TextTokens", m.Text, m.TextTokens, placeholder)
	s := &Shared{src: *m, placeholder: placeholder}
	// Composed 8-bit unless a line of the bodies is too long for it,
	// which the composing measures as it goes.
	c := composer{placeholder: placeholder}
	c.compose(m, false)
	if c.longest <= maxLine {
		whole := c.Bytes()
		last := 0
		for _, at := range c.tokens {
			s.segments = append(s.segments, whole[last:at])
			last = at + len(placeholder)
		}
		s.segments = append(s.segments, whole[last:])
		if m.Stamp != "" {
			s.stamps = make([][]int, len(s.segments))
			for i, seg := range s.segments {
				s.stamps[i] = stampOffsets(seg, m.Stamp)
			}
		}
	}
	return s
}

// checkTokens panics unless every offset in at holds placeholder in s, in
// increasing order.
func checkTokens(field, s string, at []int, placeholder string) {
	last := 0
	for _, i := range at {
		if i < last || i+len(placeholder) > len(s) || s[i:i+len(placeholder)] != placeholder {
			panic(fmt.Sprintf("mail: Prepare: %s: no placeholder at offset %d", field, i))
		}
		last = i + len(placeholder)
	}
}

// Size is roughly how much memory s holds, for bounding caches of them.
func (s *Shared) Size() int {
	n := len(s.src.HTML) + len(s.src.Text)
	for _, seg := range s.segments {
		n += len(seg)
	}
	return n
}

// appendFor appends the composed message for one recipient after the
// per-recipient header lines in head: 8-bit when eightBit is set and the
// message allows it, quoted-printable otherwise. It reports whether the
// message went 8-bit.
func (s *Shared) appendFor(b []byte, head []byte, token string, eightBit bool) ([]byte, bool) {
	b = append(b, head...)
	stamp := s.stampValue()
	if eightBit && s.segments != nil {
		for i, seg := range s.segments {
			if i > 0 {
				b = append(b, token...)
			}
			at := len(b)
			b = append(b, seg...)
			if stamp != "" {
				for _, o := range s.stamps[i] {
					copy(b[at+o:], stamp)
				}
			}
		}
		return b, true
	}
	// Quoted-printable changes the text around a token, so the token goes
	// in first, at the same places as in the 8-bit form.
	m := s.src
	// Prepare checked the offsets.
	m.HTML, _ = tokens.Splice(m.HTML, m.HTMLTokens, s.placeholder, token)
	m.Text, _ = tokens.Splice(m.Text, m.TextTokens, s.placeholder, token)
	m.HTMLTokens, m.TextTokens = nil, nil
	m.HTML, m.Text = stampString(m.HTML, m.Stamp, stamp), stampString(m.Text, m.Stamp, stamp)
	if s.placeholder != "" {
		headers := make(map[string]string, len(m.Headers))
		for k, v := range m.Headers {
			headers[k] = strings.ReplaceAll(v, s.placeholder, token)
		}
		m.Headers = headers
	}
	c := composer{}
	c.compose(&m, true)
	return append(b, c.Bytes()...), false
}

// composer writes a message and notes where its tokens go.
type composer struct {
	bytes.Buffer
	placeholder string // empty: the message has no tokens
	tokens      []int  // where a placeholder for a token starts, in order
	// The longest line of the 8-bit bodies so far, CRLF aside, and the
	// length of the line the last write left open.
	longest, open int
}

// compose writes every header of m but the per-recipient ones (From, To,
// Date, Message-ID), then its body: plain text and, if there is one, HTML
// as multipart/alternative. Lines end in CRLF. Unless quoted, it notes as
// token positions every placeholder in m.Headers and the body offsets of
// m; quoted-printable is written with the tokens already in.
func (c *composer) compose(m *Message, quoted bool) {
	// CRLF line ends add a byte a line: room for them, headers and MIME.
	n := len(m.HTML) + len(m.Text)
	c.Grow(n + n/16 + 2048)
	writeHeader(&c.Buffer, "Subject", encodeWords(m.Subject))
	c.WriteString("MIME-Version: 1.0\r\n")
	if m.Language != "" {
		writeHeader(&c.Buffer, "Content-Language", m.Language)
	}
	names := make([]string, 0, len(m.Headers))
	for k := range m.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		start := c.Len()
		writeHeader(&c.Buffer, k, m.Headers[k])
		c.noteHeaderTokens(start)
	}
	if m.HTML == "" {
		c.writePart("text/plain", m.Text, m.TextTokens, quoted)
		return
	}
	boundary := newBoundary()
	c.WriteString("Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n\r\n")
	c.WriteString("--" + boundary + "\r\n")
	c.writePart("text/plain", m.Text, m.TextTokens, quoted)
	c.WriteString("\r\n--" + boundary + "\r\n")
	c.writePart("text/html", m.HTML, m.HTMLTokens, quoted)
	c.WriteString("\r\n--" + boundary + "--\r\n")
}

// noteHeaderTokens notes every placeholder written since start, which is
// the start of a header line: headers are written by code, never copied
// from content, so each one there is a token.
func (c *composer) noteHeaderTokens(start int) {
	if c.placeholder == "" {
		return
	}
	for {
		i := bytes.Index(c.Bytes()[start:], []byte(c.placeholder))
		if i < 0 {
			return
		}
		c.tokens = append(c.tokens, start+i)
		start += i + len(c.placeholder)
	}
}

// writePart writes a part's own headers and its text, with CRLF line ends,
// noting where the placeholders at the offsets tokens in text go.
func (c *composer) writePart(contentType, text string, tokens []int, quoted bool) {
	c.WriteString("Content-Type: " + contentType + "; charset=UTF-8\r\n")
	if quoted {
		c.WriteString("Content-Transfer-Encoding: quoted-printable\r\n\r\n")
		w := quotedprintable.NewWriter(&c.Buffer)
		w.Write([]byte(text))
		w.Close()
		return
	}
	c.WriteString("Content-Transfer-Encoding: 8bit\r\n\r\n")
	// Written in pieces split at the tokens, so each placeholder stays
	// whole and its place in the output is known without searching for it.
	c.open = 0
	last := 0
	for _, at := range tokens {
		c.writeLines(text[last:at])
		c.tokens = append(c.tokens, c.Len())
		c.WriteString(c.placeholder)
		c.open += len(c.placeholder)
		c.longest = max(c.longest, c.open)
		last = at + len(c.placeholder)
	}
	c.writeLines(text[last:])
}

// writeLines writes s as writeCRLF does, measuring its lines.
func (c *composer) writeLines(s string) {
	var longest int
	longest, c.open = writeCRLF(&c.Buffer, s, c.open)
	c.longest = max(c.longest, longest)
}

// writeCRLF writes s with every line ending (LF, CRLF or a lone CR) as CRLF:
// SMTP forbids bare line feeds, and templates are written with LF. s
// continues a line of which open bytes are written already; writeCRLF
// returns the length of the longest line s ends or leaves open, and of the
// one it leaves open, each counted from its start and without its CRLF.
func writeCRLF(b *bytes.Buffer, s string, open int) (longest, left int) {
	if strings.IndexByte(s, '\r') < 0 {
		// The common case, and much the faster to scan for; the room
		// for the CRs is made once.
		b.Grow(len(s) + strings.Count(s, "\n"))
		for {
			i := strings.IndexByte(s, '\n')
			if i < 0 {
				b.WriteString(s)
				break
			}
			longest = max(longest, open+i)
			open = 0
			b.WriteString(s[:i])
			b.WriteString("\r\n")
			s = s[i+1:]
		}
		open += len(s)
		return max(longest, open), open
	}
	for len(s) > 0 {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			b.WriteString(s)
			open += len(s)
			break
		}
		longest = max(longest, open+i)
		open = 0
		b.WriteString(s[:i])
		b.WriteString("\r\n")
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
		s = s[i+1:]
	}
	return max(longest, open), open
}

// encodeWords makes a header value ASCII (RFC 2047) if it is not already.
func encodeWords(s string) string {
	return mime.QEncoding.Encode("UTF-8", s)
}

// maxHeaderLine is where header lines are folded (RFC 5322 recommends 78).
const maxHeaderLine = 78

// writeHeader writes "Name: value", folded at spaces so that lines stay
// under maxHeaderLine where the words allow. Line breaks in value are
// dropped: a header is one logical line.
func writeHeader(b *bytes.Buffer, name, value string) {
	value = strings.Join(strings.FieldsFunc(value, func(r rune) bool { return r == '\r' || r == '\n' }), " ")
	b.WriteString(name)
	b.WriteString(":")
	width := len(name) + 1
	for i, word := range strings.Split(value, " ") {
		if i > 0 && width+1+len(word) > maxHeaderLine {
			b.WriteString("\r\n")
			width = 0
		}
		b.WriteByte(' ')
		b.WriteString(word)
		width += 1 + len(word)
	}
	b.WriteString("\r\n")
}

func newBoundary() string {
	r := make([]byte, 15)
	rand.Read(r) // never returns an error (crypto/rand)
	return "=_nd" + hex.EncodeToString(r)
}
