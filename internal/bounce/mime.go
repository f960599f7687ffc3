package bounce

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"regexp"
	"strings"

	"newsdigest/internal/htmltext"
)

// Bounds on the MIME tree a report may have. Real reports are two or three
// levels deep with a handful of parts; anything far past that is not a
// report, and the walk stops there rather than spend on it.
const (
	maxDepth = 8
	maxParts = 100
)

// parts is what a walk through a message's MIME tree finds.
type parts struct {
	reportType     string // report-type of the outermost multipart/report
	deliveryStatus []byte // the first message/delivery-status body
	feedback       []byte // the first message/feedback-report body
	texts          []string
	htmls          []string
	// originals are the headers of the original message(s) a report
	// returns (message/rfc822, text/rfc822-headers parts).
	originals []header
	count     int
}

// walk visits a part (the message itself at depth 0).
func (p *parts) walk(h header, body []byte, depth int) {
	p.count++
	if depth > maxDepth || p.count > maxParts {
		return
	}
	mediaType, params := contentType(h)
	body = decodeTransfer(h.get("Content-Transfer-Encoding"), body)
	switch {
	case strings.HasPrefix(mediaType, "multipart/"):
		if mediaType == "multipart/report" && p.reportType == "" {
			p.reportType = strings.ToLower(params["report-type"])
		}
		p.walkMultipart(params["boundary"], body, depth)
	case mediaType == "message/delivery-status" || mediaType == "message/global-delivery-status":
		if p.deliveryStatus == nil {
			p.deliveryStatus = body
		}
	case mediaType == "message/feedback-report":
		if p.feedback == nil {
			p.feedback = body
		}
	case mediaType == "message/rfc822" || mediaType == "message/global" ||
		mediaType == "text/rfc822-headers" || mediaType == "message/rfc822-headers" ||
		mediaType == "message/global-headers":
		if oh, _, ok := readHeader(body); ok {
			p.originals = append(p.originals, oh)
		}
	case mediaType == "text/html":
		p.htmls = append(p.htmls, string(body))
	case mediaType == "text/plain" || mediaType == "":
		p.texts = append(p.texts, string(body))
	}
}

func (p *parts) walkMultipart(boundary string, body []byte, depth int) {
	if boundary == "" {
		return
	}
	r := multipart.NewReader(bytes.NewReader(body), boundary)
	for p.count <= maxParts {
		part, err := r.NextRawPart()
		if err != nil {
			return // the end, or a part too broken to read: keep what was found
		}
		b, err := io.ReadAll(part)
		if err != nil && len(b) == 0 {
			return
		}
		ph := header{}
		for k, v := range part.Header {
			ph[k] = v
		}
		p.walk(ph, b, depth+1)
	}
}

// boundaryRe finds a boundary parameter that mime.ParseMediaType refused
// (an unquoted boundary with characters that need quotes, say).
var (
	boundaryRe   = regexp.MustCompile(`(?i)boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))`)
	reportTypeRe = regexp.MustCompile(`(?i)report-type\s*=\s*"?([a-z-]+)`)
)

// contentType returns the lower-case media type and its parameters; ""
// when the part has no Content-Type (plain text, by RFC 2045).
func contentType(h header) (string, map[string]string) {
	raw := h.get("Content-Type")
	if raw == "" {
		return "", map[string]string{}
	}
	mediaType, params, err := mime.ParseMediaType(raw)
	if err != nil {
		mediaType = strings.ToLower(strings.TrimSpace(strings.SplitN(raw, ";", 2)[0]))
		params = map[string]string{}
		if m := boundaryRe.FindStringSubmatch(raw); m != nil {
			params["boundary"] = m[1] + m[2]
		}
		if m := reportTypeRe.FindStringSubmatch(raw); m != nil {
			params["report-type"] = m[1]
		}
	}
	return mediaType, params
}

// decodeTransfer undoes a Content-Transfer-Encoding. A body that does not
// decode is kept as it came: its text may still be read.
func decodeTransfer(cte string, body []byte) []byte {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		clean := bytes.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, body)
		out := make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
		n, err := base64.StdEncoding.Decode(out, clean)
		if err != nil && n == 0 {
			return body
		}
		return out[:n]
	case "quoted-printable":
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		if err != nil && len(out) == 0 {
			return body
		}
		return out
	}
	return body
}

// htmlText is the readable text of an HTML part, for reports that come
// with no plain-text part (package htmltext): a line break wherever a
// block or a break ends, since a notice is read line by line, and a space
// at any other tag, so that no code runs into the next word.
func htmlText(s string) string {
	return htmltext.Text(s, '\n', ' ')
}
