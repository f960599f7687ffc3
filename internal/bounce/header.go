package bounce

import (
	"bytes"
	"mime"
	"net/textproto"
	"strings"
	"unicode/utf8"
)

// header is a message's or a report block's fields. Reading is lenient:
// reports come from every kind of MTA, and a line that is not a field is
// skipped rather than failing the whole report.
type header map[string][]string

// get returns the first value of a field, "" if absent.
func (h header) get(name string) string {
	if v := h[textproto.CanonicalMIMEHeaderKey(name)]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// all returns every value of a field.
func (h header) all(name string) []string { return h[textproto.CanonicalMIMEHeaderKey(name)] }

// readHeader reads fields up to the first empty line and returns them with
// the rest of b (the body). Folded lines are unfolded. A leading mbox
// "From " line is skipped. ok is false when b does not start with a field.
func readHeader(b []byte) (h header, body []byte, ok bool) {
	h = header{}
	if bytes.HasPrefix(b, []byte("From ")) {
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	var name string
	var value strings.Builder
	flush := func() {
		if name != "" {
			k := textproto.CanonicalMIMEHeaderKey(name)
			h[k] = append(h[k], strings.TrimSpace(value.String()))
		}
		name = ""
		value.Reset()
	}
	for len(b) > 0 {
		line, rest := nextLine(b)
		b = rest
		if strings.TrimSpace(line) == "" {
			flush()
			return h, b, len(h) > 0
		}
		if line[0] == ' ' || line[0] == '\t' {
			if name != "" {
				value.WriteByte(' ')
				value.WriteString(strings.TrimSpace(line))
			}
			continue
		}
		flush()
		k, v, found := strings.Cut(line, ":")
		if !found || !validFieldName(k) {
			continue
		}
		name = k
		value.WriteString(v)
	}
	flush()
	return h, nil, len(h) > 0
}

// readFieldGroups reads the blocks of a message/delivery-status or
// message/feedback-report body: groups of fields separated by empty lines.
func readFieldGroups(b []byte) []header {
	var groups []header
	for len(b) > 0 {
		// Skip empty lines between groups.
		for len(b) > 0 {
			line, rest := nextLine(b)
			if strings.TrimSpace(line) != "" {
				break
			}
			b = rest
		}
		if len(b) == 0 {
			break
		}
		h, rest, ok := readHeader(b)
		if ok {
			groups = append(groups, h)
		}
		if len(rest) == len(b) { // no progress: a line that is no field
			_, rest = nextLine(b)
		}
		b = rest
	}
	return groups
}

// nextLine returns the first line of b without its line ending, and the
// rest.
func nextLine(b []byte) (string, []byte) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return strings.TrimSuffix(string(b), "\r"), nil
	}
	return strings.TrimSuffix(string(b[:i]), "\r"), b[i+1:]
}

// validFieldName reports whether s is a header field name (RFC 5322:
// printable ASCII but the colon, no space).
func validFieldName(s string) bool {
	if s == "" || len(s) > 76 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// decodeWords decodes RFC 2047 encoded words ("=?UTF-8?Q?...?="), leaving
// the text as it is when it has none or they cannot be decoded.
func decodeWords(s string) string {
	if !strings.Contains(s, "=?") {
		return s
	}
	d, err := wordDecoder.DecodeHeader(s)
	if err != nil {
		return s
	}
	return d
}

// wordDecoder decodes the charsets the standard library knows (UTF-8,
// US-ASCII, ISO-8859-1); words in others are left encoded.
var wordDecoder = &mime.WordDecoder{}

// typedValue strips the type of a DSN or ARF field value: "rfc822;
// user@example.com" gives "user@example.com", "smtp; 550 ..." gives
// "550 ...".
func typedValue(s string) string {
	if t, v, ok := strings.Cut(s, ";"); ok && !strings.ContainsAny(t, " @<") {
		return strings.TrimSpace(v)
	}
	return strings.TrimSpace(s)
}

// toValidUTF8 replaces invalid bytes, so that text from a report in an
// unknown charset can be stored and shown.
func toValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// oneLine collapses runs of white space, so that a folded diagnostic
// reads as one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
