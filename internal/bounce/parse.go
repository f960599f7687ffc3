package bounce

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/mail"
	"regexp"
	"strings"
	"time"
)

// ReportType is what kind of message a report is.
type ReportType string

// The report types Parse tells apart.
const (
	// TypeDSN is a delivery status notification: RFC 3464, or one of the
	// plain-text forms older MTAs and some providers send.
	TypeDSN ReportType = "dsn"
	// TypeFeedback is an ARF feedback report (RFC 5965).
	TypeFeedback ReportType = "feedback"
	// TypeAutoReply is an out-of-office or other automatic reply: not a
	// bounce, never counted.
	TypeAutoReply ReportType = "auto-reply"
	// TypeOther is any other message (a person's reply, spam).
	TypeOther ReportType = "other"
)

// DeliveryHeader is a header field the sender may add to each message,
// holding VERP.Token of its delivery. It is the fallback for finding the
// delivery of a complaint or bounce whose report keeps the original
// message's header but lost its Return-Path, and of a relay's webhook that
// reports the message's header fields.
const DeliveryHeader = "X-Newsdigest-Delivery"

// ErrUnreadable is what Parse returns for a message without a header.
var ErrUnreadable = errors.New("bounce: not a message: no header fields")

// Report is what an inbound message says, before it is tied to a
// delivery (VERP.Resolve does that).
type Report struct {
	Type ReportType
	// Kind is the event the report is worth, or "" when it is worth none;
	// Ignored then says why ("delayed", "auto-reply", "feedback type
	// not-spam", ...).
	Kind    Kind
	Ignored string
	// Recipient, Status, Diagnostic and FeedbackType are as in Event.
	Recipient    string
	Status       string
	Diagnostic   string
	FeedbackType string
	// MessageID is the report's own Message-ID, without angle brackets.
	MessageID string
	// OriginalMessageID is the Message-ID of the message the report is
	// about, from the header it returns; "" when it returns none.
	OriginalMessageID string
	// contentID stands for MessageID when the report has none (qmail's
	// bounces): see reportContentID.
	contentID string
	// At is when the failure or complaint happened, if the report says.
	At time.Time
	// Origins are the addresses and tokens in the report that may name
	// the original message's delivery, most trusted first: the ARF
	// Original-Mail-From, the returned message's Return-Path and
	// DeliveryHeader, then any VERP address found in the text. Only those
	// that verify count.
	Origins []string
}

// Parse reads an inbound message: a delivery status notification, a
// feedback report, an auto-reply or anything else. Only a message without
// a header is an error; whatever else arrives is read as well as it can
// be, and a message that is not a report comes back as TypeOther.
func Parse(raw []byte) (*Report, error) {
	h, body, ok := readHeader(raw)
	if !ok {
		return nil, ErrUnreadable
	}
	var p parts
	p.walk(h, body, 0)
	rep := &Report{
		MessageID: strings.Trim(h.get("Message-Id"), "<> \t"),
		At:        parseDate(h.get("Date")),
	}
	if rep.MessageID == "" {
		rep.contentID = reportContentID(h, body)
	}
	var feedback header
	switch {
	case p.feedback != nil || p.reportType == "feedback-report":
		feedback = parseFeedback(rep, &p)
	case p.deliveryStatus != nil && parseDSN(rep, p.deliveryStatus):
		if rep.Kind != "" && rep.Recipient == "" {
			rep.Recipient = failedRecipient(h)
		}
	case looksLikeBounce(h, &p) && !autoReplyByName(h, &p):
		parseText(rep, h, &p)
	case isAutoReply(h):
		rep.Type, rep.Ignored = TypeAutoReply, "auto-reply"
	default:
		rep.Type, rep.Ignored = TypeOther, "not a bounce or a complaint"
	}
	rep.Diagnostic = truncate(oneLine(rep.Diagnostic), DiagnosticMax)
	rep.Recipient = truncate(bareAddress(rep.Recipient), 320)
	rep.Origins = origins(feedback, &p, raw)
	for _, oh := range p.originals {
		if id := oh.get("Message-Id"); id != "" {
			rep.OriginalMessageID = strings.Trim(id, "<> \t")
			break
		}
	}
	return rep, nil
}

// Event is the event the report is worth for a delivery, from source.
// Call it only when r.Kind is not "".
func (r *Report) Event(deliveryID int64, source string) Event {
	return Event{
		DeliveryID:   deliveryID,
		Kind:         r.Kind,
		Source:       source,
		Recipient:    r.Recipient,
		Status:       r.Status,
		Diagnostic:   r.Diagnostic,
		FeedbackType: r.FeedbackType,
		ReportID:     truncate(cmp.Or(r.MessageID, r.contentID), 250),
		MessageKey:   MessageKey(r.OriginalMessageID),
		At:           r.At,
	}
}

// reportContentID names a report that has no Message-ID by what it
// says: a digest of its author's fields and its body. Storage keeps one
// event per report id, so without it every such report about the same
// delivery or person would pass for the first, and a second bounce of
// another confirmation would never count. The same report sent again
// (after a reply that was lost) has the same fields and body; the trace
// fields a relay may add in front (Received and the like) are left out.
func reportContentID(h header, body []byte) string {
	sum := sha256.New()
	for _, f := range []string{"Date", "From", "To", "Subject"} {
		sum.Write([]byte(h.get(f)))
		sum.Write([]byte{0})
	}
	sum.Write(body)
	return "sha256:" + hex.EncodeToString(sum.Sum(nil)[:16])
}

// Resolve returns the delivery a report is about: the one rcpt names, if
// rcpt (the envelope recipient the report came to) is a VERP address that
// verifies; else the first of the report's Origins that verifies.
func (v *VERP) Resolve(rcpt string, r *Report) (int64, bool) {
	if id, err := v.Verify(rcpt); err == nil {
		return id, true
	}
	for _, o := range r.Origins {
		if strings.Contains(o, "@") {
			if id, err := v.Verify(o); err == nil {
				return id, true
			}
		} else if id, err := v.VerifyToken(o); err == nil {
			return id, true
		}
	}
	return 0, false
}

// maxOrigins bounds the candidates a report may offer: each costs an HMAC
// to check, and a report about one message names one delivery.
const maxOrigins = 16

// verpAt and headerAt match, in lower-cased text, a VERP address and a
// DeliveryHeader line where a plain search found their start: a regular
// expression run over the whole message costs ten times more.
var (
	verpAt   = regexp.MustCompile(`^bounces\+n?[0-9]{1,19}\.[a-z2-7]{16}@[a-z0-9][a-z0-9.\-]{0,252}[a-z0-9]`)
	headerAt = regexp.MustCompile(`^` + strings.ToLower(DeliveryHeader) + `:[ \t]*(n?[0-9]{1,19}\.[a-z2-7]{16})\b`)
)

// origins lists the report's candidate addresses and tokens, most trusted
// first, without repeats.
func origins(feedback header, p *parts, raw []byte) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if strings.Contains(s, "@") {
			s = bareAddress(s)
		}
		s = strings.TrimSpace(s)
		if s == "" || len(out) >= maxOrigins || seen[strings.ToLower(s)] {
			return
		}
		seen[strings.ToLower(s)] = true
		out = append(out, s)
	}
	if feedback != nil {
		add(typedValue(feedback.get("Original-Mail-From")))
	}
	for _, oh := range p.originals {
		add(oh.get("Return-Path"))
		add(oh.get(DeliveryHeader))
	}
	lower := bytes.ToLower(raw)
	for _, at := range indexAll(lower, LocalPrefix, maxOrigins) {
		if m := verpAt.Find(lower[at:min(at+300, len(lower))]); m != nil {
			add(string(m))
		}
	}
	for _, at := range indexAll(lower, strings.ToLower(DeliveryHeader)+":", maxOrigins) {
		if at > 0 && lower[at-1] != '\n' {
			continue // not at the start of a line
		}
		if m := headerAt.FindSubmatch(lower[at:min(at+100, len(lower))]); m != nil {
			add(string(m[1]))
		}
	}
	return out
}

// indexAll returns where sub starts in b, at most n times.
func indexAll(b []byte, sub string, n int) []int {
	var at []int
	for i := 0; len(at) < n; {
		j := bytes.Index(b[i:], []byte(sub))
		if j < 0 {
			break
		}
		at = append(at, i+j)
		i += j + len(sub)
	}
	return at
}

// bareAddress is "local@domain" of an address written with angle
// brackets, a display name or an address type; s itself when it holds no
// address.
func bareAddress(s string) string {
	if local, domain, ok := splitAddress(s); ok {
		return local + "@" + domain
	}
	return strings.TrimSpace(s)
}

// parseDate reads a date field; zero when it does not parse.
func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	if t, err := mail.ParseDate(s); err == nil {
		return t.UTC()
	}
	// Some MTAs add a zone name after the offset: "+0900 (JST)" parses,
	// "+0900 JST" does not.
	if i := strings.LastIndexAny(s, "+-"); i > 0 && i+5 <= len(s) {
		if t, err := mail.ParseDate(s[:i+5]); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// isAutoReply reports whether a message says it was sent automatically in
// reply (RFC 3834's Auto-Submitted, the older X-Autoreply family, or a
// subject an out-of-office reply uses).
func isAutoReply(h header) bool {
	if as := strings.ToLower(strings.TrimSpace(h.get("Auto-Submitted"))); as != "" && as != "no" {
		return true
	}
	for _, f := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Reply"} {
		if h.get(f) != "" {
			return true
		}
	}
	if p := strings.ToLower(h.get("Precedence")); p == "auto_reply" || p == "auto-reply" {
		return true
	}
	subject := strings.ToLower(decodeWords(h.get("Subject")))
	for _, s := range autoReplySubjects {
		if strings.HasPrefix(subject, s) || strings.Contains(subject, s) && s != "auto:" {
			return true
		}
	}
	return false
}

var autoReplySubjects = []string{
	"auto:", "automatic reply", "autoreply", "auto-reply", "auto reply",
	"out of office", "out of the office", "respuesta automática",
	"réponse automatique", "abwesenheitsnotiz", "resposta automática",
}
