package mail

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"newsdigest/internal/config"
)

// signer signs whole messages with one or two keys of one domain:
// relaxed headers, simple body (RFC 6376 §3.4). go-msgauth's signer reads
// the message through a pipe and hashes the body once per key; with an RSA
// and an Ed25519 key that is every 55 KB digest hashed twice, plus a
// goroutine and a copy per key. Here the body is hashed once, the signed
// header fields are canonicalised once, and each key only hashes the
// header block with its own DKIM-Signature field and signs: the key
// operations and one body hash are the whole cost (BenchmarkDKIMSign).
// go-msgauth's verifier checks what this writes (TestPoolSignsWithDKIM).
//
// Relaxed headers: relays refold them and change their blanks. Simple
// body: newsdigest writes it with CRLF, lines well under 998 bytes and no
// trailing blanks (the views flatten what stories bring), and relays pass
// it on as it is. Relaxed body canonicalisation would cost about four
// times as much CPU for each of the thousands of signatures
// (docs/performance.md). Amazon SES signs relaxed/simple too.
type signer struct {
	domain string
	keys   []signingKey
	now    func() time.Time
}

type signingKey struct {
	selector string
	algo     string // the a= tag
	key      crypto.Signer
	opts     crypto.SignerOpts // SHA-256 for RSA; none for Ed25519, which hashes on its own
}

func newSigner(d *config.DKIM) *signer {
	s := &signer{domain: d.Domain, now: time.Now}
	for _, k := range d.Keys {
		sk := signingKey{selector: k.Selector, key: k.Signer}
		switch k.Signer.Public().(type) {
		case ed25519.PublicKey:
			sk.algo, sk.opts = "ed25519-sha256", crypto.Hash(0)
		default: // config accepts RSA and Ed25519 keys only
			sk.algo, sk.opts = "rsa-sha256", crypto.SHA256
		}
		s.keys = append(s.keys, sk)
	}
	return s
}

// appendSigned appends msg, a whole message with CRLF line ends, to dst
// with one DKIM-Signature field per key in front of it.
func (s *signer) appendSigned(dst, msg []byte) ([]byte, error) {
	head, body := splitMessage(msg)
	bh := bodyHashSimple(body)
	signed := canonicalHeaders(head, signedHeaders)
	t := strconv.FormatInt(s.now().Unix(), 10)
	h := strings.Join(signedHeaders, ":")
	for _, k := range s.keys {
		// The field as sent, b= empty: the signature covers it so (§3.7).
		field := formatSignature([][2]string{
			{"a", k.algo}, {"bh", bh}, {"c", "relaxed/simple"}, {"d", s.domain},
			{"h", h}, {"s", k.selector}, {"t", t}, {"v", "1"},
		})
		hash := sha256.New()
		hash.Write(signed)
		hash.Write([]byte(strings.TrimSuffix(relaxedHeader(field+" b="), "\r\n")))
		// Both algorithms sign the SHA-256 of the headers; Ed25519 takes
		// it as its message (RFC 8463 §3).
		sig, err := k.key.Sign(rand.Reader, hash.Sum(nil), k.opts)
		if err != nil {
			return dst, fmt.Errorf("DKIM sign with %s: %w", k.selector, err)
		}
		dst = append(dst, field...)
		dst = appendFoldedB(dst, base64.StdEncoding.EncodeToString(sig))
	}
	return append(dst, msg...), nil
}

// splitMessage cuts msg at the blank line: the header fields, each with
// its CRLF, and the body. A message without one is all header.
func splitMessage(msg []byte) (head, body []byte) {
	if bytes.HasPrefix(msg, []byte("\r\n")) {
		return nil, msg[2:]
	}
	if i := bytes.Index(msg, []byte("\r\n\r\n")); i >= 0 {
		return msg[:i+2], msg[i+4:]
	}
	return msg, nil
}

// bodyHashSimple is bh= for the simple body canonicalisation: the body
// with its trailing empty lines removed and one CRLF at the end (an empty
// body is one CRLF). A lone LF counts as a line end, as go-msgauth's
// verifier reads it.
func bodyHashSimple(body []byte) string {
	if bytes.Count(body, []byte("\n")) != bytes.Count(body, []byte("\r\n")) {
		body = fixLoneLF(body)
	}
	for bytes.HasSuffix(body, []byte("\r\n")) {
		body = body[:len(body)-2]
	}
	h := sha256.New()
	h.Write(body)
	h.Write([]byte("\r\n"))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

func fixLoneLF(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/32)
	for i, c := range b {
		if c == '\n' && (i == 0 || b[i-1] != '\r') {
			out = append(out, '\r')
		}
		out = append(out, c)
	}
	return out
}

// canonicalHeaders is the relaxed form of the fields keys name, in the
// order of keys, each name taking the next instance from the bottom
// (§5.4.2); a name listed more often than the message holds it adds
// nothing, which signs the absence.
func canonicalHeaders(head []byte, keys []string) []byte {
	var fields [][]byte
	for len(head) > 0 {
		end := 0
		for {
			i := bytes.Index(head[end:], []byte("\r\n"))
			if i < 0 {
				end = len(head)
				break
			}
			end += i + 2
			if end >= len(head) || (head[end] != ' ' && head[end] != '\t') {
				break
			}
		}
		fields = append(fields, head[:end])
		head = head[end:]
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		name, _, _ := bytes.Cut(f, []byte(":"))
		names[i] = strings.ToLower(strings.TrimSpace(string(name)))
	}
	picked := map[string]int{}
	var out []byte
	for _, k := range keys {
		k = strings.ToLower(k)
		skip := picked[k]
		for i := len(fields) - 1; i >= 0; i-- {
			if names[i] != k {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			picked[k]++
			out = append(out, relaxedHeader(string(fields[i]))...)
			break
		}
	}
	return out
}

// relaxedHeader is a field in the relaxed header canonicalisation: the
// name in lower case, the value unfolded with every run of blanks one
// space and none at either end.
func relaxedHeader(f string) string {
	k, v, ok := strings.Cut(f, ":")
	if !ok {
		return strings.ToLower(strings.TrimSpace(f)) + ":\r\n"
	}
	v = strings.Join(strings.FieldsFunc(v, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r'
	}), " ")
	return strings.ToLower(strings.TrimSpace(k)) + ":" + v + "\r\n"
}

// formatSignature writes the DKIM-Signature field up to its b= tag,
// folded between tags so that no line passes 78 characters where it can
// help it; the caller appends b=.
func formatSignature(tags [][2]string) string {
	var sb strings.Builder
	sb.WriteString("DKIM-Signature:")
	line := len("DKIM-Signature:")
	for _, t := range tags {
		tag := " " + t[0] + "=" + t[1] + ";"
		if line+len(tag) > 78 {
			sb.WriteString("\r\n")
			line = 0
		}
		sb.WriteString(tag)
		line += len(tag)
	}
	sb.WriteString("\r\n")
	return sb.String()
}

// appendFoldedB appends the b= tag on lines of its own and the field's
// final CRLF; the blanks folded into it are no part of the value (§3.5).
func appendFoldedB(dst []byte, b string) []byte {
	dst = append(dst, " b="...)
	const width = 72
	for len(b) > width {
		dst = append(dst, b[:width]...)
		dst = append(dst, "\r\n "...)
		b = b[width:]
	}
	dst = append(dst, b...)
	return append(dst, "\r\n"...)
}
