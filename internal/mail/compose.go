package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"mime"
	"mime/quotedprintable"
	"sort"
	"strings"
)

// Shared is a message composed once for many recipients: a digest goes to
// everyone in its group alike but for the recipient and the token in its
// links. Sending it costs a copy and a few splices, not a MIME composition.
type Shared struct {
	src         Message
	placeholder string
	// segments are the composed headers and body, 8-bit, split where the
	// placeholder stood; nil when a line is too long for 8-bit.
	segments [][]byte
}

// Prepare composes m for sending to many: each send puts its recipient's
// token where placeholder stands, in the headers and bodies alike. m.To is
// not used. An empty placeholder prepares a message without a token.
func Prepare(m *Message, placeholder string) *Shared {
	s := &Shared{src: *m, placeholder: placeholder}
	if fitsEightBit(m.HTML) && fitsEightBit(m.Text) {
		whole := compose(m, false)
		if placeholder == "" {
			s.segments = [][]byte{whole}
		} else {
			s.segments = bytes.Split(whole, []byte(placeholder))
		}
	}
	return s
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
	if eightBit && s.segments != nil {
		for i, seg := range s.segments {
			if i > 0 {
				b = append(b, token...)
			}
			b = append(b, seg...)
		}
		return b, true
	}
	m := s.src
	if s.placeholder != "" {
		r := strings.NewReplacer(s.placeholder, token)
		m.Subject, m.HTML, m.Text = r.Replace(m.Subject), r.Replace(m.HTML), r.Replace(m.Text)
		headers := make(map[string]string, len(m.Headers))
		for k, v := range m.Headers {
			headers[k] = r.Replace(v)
		}
		m.Headers = headers
	}
	return append(b, compose(&m, true)...), false
}

// compose writes every header of m but the per-recipient ones (From, To,
// Date, Message-ID), then its body: plain text and, if there is one, HTML
// as multipart/alternative. Lines end in CRLF.
func compose(m *Message, quoted bool) []byte {
	var b bytes.Buffer
	// CRLF line ends add a byte a line: room for them, headers and MIME.
	n := len(m.HTML) + len(m.Text)
	b.Grow(n + n/16 + 2048)
	writeHeader(&b, "Subject", encodeWords(m.Subject))
	b.WriteString("MIME-Version: 1.0\r\n")
	if m.Language != "" {
		writeHeader(&b, "Content-Language", m.Language)
	}
	names := make([]string, 0, len(m.Headers))
	for k := range m.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		writeHeader(&b, k, m.Headers[k])
	}
	if m.HTML == "" {
		writePart(&b, "text/plain", m.Text, quoted)
		return b.Bytes()
	}
	boundary := newBoundary()
	b.WriteString("Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n\r\n")
	b.WriteString("--" + boundary + "\r\n")
	writePart(&b, "text/plain", m.Text, quoted)
	b.WriteString("\r\n--" + boundary + "\r\n")
	writePart(&b, "text/html", m.HTML, quoted)
	b.WriteString("\r\n--" + boundary + "--\r\n")
	return b.Bytes()
}

// writePart writes a part's own headers and its text, with CRLF line ends.
func writePart(b *bytes.Buffer, contentType, text string, quoted bool) {
	b.WriteString("Content-Type: " + contentType + "; charset=UTF-8\r\n")
	if quoted {
		b.WriteString("Content-Transfer-Encoding: quoted-printable\r\n\r\n")
		w := quotedprintable.NewWriter(b)
		w.Write([]byte(text))
		w.Close()
		return
	}
	b.WriteString("Content-Transfer-Encoding: 8bit\r\n\r\n")
	writeCRLF(b, text)
}

// writeCRLF writes s with every line ending (LF, CRLF or a lone CR) as CRLF:
// SMTP forbids bare line feeds, and templates are written with LF.
func writeCRLF(b *bytes.Buffer, s string) {
	if strings.IndexByte(s, '\r') < 0 {
		// The common case, and much the faster to scan for.
		for {
			i := strings.IndexByte(s, '\n')
			if i < 0 {
				b.WriteString(s)
				return
			}
			b.WriteString(s[:i])
			b.WriteString("\r\n")
			s = s[i+1:]
		}
	}
	for len(s) > 0 {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			b.WriteString(s)
			return
		}
		b.WriteString(s[:i])
		b.WriteString("\r\n")
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
		s = s[i+1:]
	}
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
