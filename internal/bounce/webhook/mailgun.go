package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"newsdigest/internal/bounce"
)

// MailgunVariable is the custom variable (X-Mailgun-Variables) that may
// carry bounce.VERP.Token of a message's delivery; Mailgun returns it in
// each event's user-variables.
const MailgunVariable = "newsdigest_delivery"

// MailgunOptions configure the Mailgun provider.
type MailgunOptions struct {
	// SigningKey is the account's HTTP webhook signing key
	// (MAILGUN_WEBHOOK_SIGNING_KEY). Required.
	SigningKey string
	// MaxAge is how old a signature's timestamp may be; default 9 hours.
	// Mailgun retries a POST that failed for up to 8 hours, and does not
	// promise a fresh signature for each try. Every token is remembered as
	// long, so a signature is never taken twice.
	MaxAge time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Mailgun takes Mailgun's webhooks (the JSON "event-data" kind).
//
// A request is taken only if signature.signature, or
// signature.parent-signature for a subaccount's event signed with the
// parent account's key, is the hex HMAC-SHA256 of signature.timestamp
// followed by signature.token, keyed with the signing key, as Mailgun
// documents. The signature covers the timestamp and token only, not the
// event, so each token is taken once (the Handler's ReplayGuard) and only
// within MaxAge of its timestamp.
//
// Events: "failed" with severity permanent is read through
// bounce.Classify on its delivery-status (Mailgun says "permanent" for
// policy refusals too), except that a send Mailgun dropped because the
// address bounced before is hard and one dropped because it complained
// before is a complaint; "failed" with severity temporary counts only when
// Mailgun gave up (reason "old"), as soft, since Mailgun retries the rest;
// "complained" is a complaint. Others record nothing.
//
// The delivery is the one envelope.sender (the VERP envelope sender the
// message was handed over with) names, or else user-variables'
// MailgunVariable.
type Mailgun struct {
	verp   *bounce.VERP
	key    []byte
	maxAge time.Duration
	now    func() time.Time
}

// NewMailgun returns the Mailgun provider.
func NewMailgun(v *bounce.VERP, opts MailgunOptions) (*Mailgun, error) {
	if v == nil {
		return nil, errors.New("webhook: NewMailgun needs a VERP")
	}
	key := strings.TrimSpace(opts.SigningKey)
	if key == "" {
		return nil, errors.New("webhook: Mailgun needs its webhook signing key")
	}
	p := &Mailgun{verp: v, key: []byte(key), maxAge: opts.MaxAge, now: opts.Now}
	if p.maxAge <= 0 {
		p.maxAge = 9 * time.Hour
	}
	if p.now == nil {
		p.now = time.Now
	}
	return p, nil
}

// Name implements Provider.
func (p *Mailgun) Name() string { return "mailgun" }

type mailgunBody struct {
	Signature *struct {
		Timestamp       string `json:"timestamp"`
		Token           string `json:"token"`
		Signature       string `json:"signature"`
		ParentSignature string `json:"parent-signature"`
	} `json:"signature"`
	EventData *mailgunEvent `json:"event-data"`
}

type mailgunEvent struct {
	ID             string  `json:"id"`
	Event          string  `json:"event"`
	Severity       string  `json:"severity"`
	Reason         string  `json:"reason"`
	Recipient      string  `json:"recipient"`
	Timestamp      float64 `json:"timestamp"`
	DeliveryStatus struct {
		Code         int    `json:"code"`
		EnhancedCode string `json:"enhanced-code"`
		Message      string `json:"message"`
		Description  string `json:"description"`
	} `json:"delivery-status"`
	Envelope struct {
		Sender string `json:"sender"`
	} `json:"envelope"`
	Message struct {
		Headers struct {
			MessageID string `json:"message-id"`
		} `json:"headers"`
	} `json:"message"`
	UserVariables map[string]any `json:"user-variables"`
}

// maxTokenLen bounds the token: Mailgun's are 50 characters.
const maxTokenLen = 256

// Receive implements Provider.
func (p *Mailgun) Receive(_ context.Context, _ http.Header, body []byte) (*Notice, error) {
	var b mailgunBody
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, fmt.Errorf("%w: not a Mailgun webhook: %v", ErrBadPayload, err)
	}
	s := b.Signature
	switch {
	case s == nil:
		return nil, fmt.Errorf("%w: no signature object", ErrBadSignature)
	case s.Timestamp == "" || s.Token == "" || s.Signature == "":
		return nil, fmt.Errorf("%w: signature needs timestamp, token and signature", ErrBadSignature)
	case len(s.Token) > maxTokenLen:
		return nil, fmt.Errorf("%w: signature.token longer than %d", ErrBadSignature, maxTokenLen)
	}
	if !p.signed(s.Timestamp, s.Token, s.Signature) && (s.ParentSignature == "" || !p.signed(s.Timestamp, s.Token, s.ParentSignature)) {
		return nil, fmt.Errorf("%w: Mailgun signature", ErrBadSignature)
	}
	sec, err := strconv.ParseInt(s.Timestamp, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%w: signature.timestamp %q is not a number", ErrBadSignature, s.Timestamp)
	}
	now := p.now()
	if at := time.Unix(sec, 0); at.Before(now.Add(-p.maxAge)) || at.After(now.Add(5*time.Minute)) {
		return nil, fmt.Errorf("%w: signature.timestamp is outside the %s window", ErrBadSignature, p.maxAge)
	}
	n := &Notice{ReplayKey: "mailgun:" + s.Token, ReplayTTL: p.maxAge + 5*time.Minute}
	if b.EventData == nil {
		return nil, fmt.Errorf("%w: no event-data", ErrBadPayload)
	}
	if e, ok := p.event(b.EventData); ok {
		n.Events = []bounce.Event{e}
	}
	return n, nil
}

// signed reports whether sig is the hex HMAC-SHA256 of timestamp+token.
func (p *Mailgun) signed(timestamp, token, sig string) bool {
	got, err := hex.DecodeString(sig)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte(timestamp))
	m.Write([]byte(token))
	return hmac.Equal(m.Sum(nil), got)
}

// event reads the event to record, if any.
func (p *Mailgun) event(ev *mailgunEvent) (bounce.Event, bool) {
	e := bounce.Event{Source: bounce.SourceMailgun, Recipient: cut(ev.Recipient, 320), ReportID: cut(ev.ID, 250),
		MessageKey: bounce.MessageKey(ev.Message.Headers.MessageID)}
	if ev.Timestamp > 0 && ev.Timestamp < math.MaxInt32*4 {
		sec, frac := math.Modf(ev.Timestamp)
		e.At = time.Unix(int64(sec), int64(frac*1e9)).UTC()
	}
	ds := ev.DeliveryStatus
	diagnostic := strings.TrimSpace(strings.Join(nonEmpty(codeText(ds.Code), ds.Message, ds.Description), " "))
	switch {
	case ev.Event == "complained":
		e.Kind, e.FeedbackType = bounce.Complaint, "abuse"
	case ev.Event != "failed":
		return e, false
	case ev.Reason == "suppress-complaint":
		e.Kind, e.FeedbackType = bounce.Complaint, "abuse"
	case ev.Reason == "suppress-bounce":
		e.Kind = bounce.Hard
	case ev.Reason == "suppress-unsubscribe":
		return e, false // Mailgun's own unsubscribe list: not a bounce
	case ev.Severity == "permanent":
		e.Kind, e.Status = bounce.Classify("failed", ds.EnhancedCode, diagnostic)
	case ev.Reason == "old":
		_, e.Status = bounce.Classify("failed", ds.EnhancedCode, diagnostic)
		e.Kind = bounce.Soft
	default:
		return e, false // temporary: Mailgun tries again
	}
	if e.Kind != bounce.Complaint {
		e.Diagnostic = cut(diagnostic, bounce.DiagnosticMax)
	}
	candidates := []string{ev.Envelope.Sender}
	if tok, ok := ev.UserVariables[MailgunVariable].(string); ok {
		candidates = append(candidates, tok)
	}
	id, ok := resolve(p.verp, candidates)
	if !ok {
		return e, false
	}
	e.DeliveryID = id
	return e, true
}

func codeText(code int) string {
	if code == 0 {
		return ""
	}
	return strconv.Itoa(code)
}

func nonEmpty(s ...string) []string {
	out := s[:0]
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			out = append(out, strings.TrimSpace(v))
		}
	}
	return out
}
