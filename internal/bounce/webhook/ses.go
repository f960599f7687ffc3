package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"newsdigest/internal/bounce"
)

// SESOptions configure the Amazon SES provider.
type SESOptions struct {
	// TopicARNs are the SNS topics whose messages are taken
	// (arn:aws:sns:<region>:<account>:<name>). Required: SNS signs every
	// topic's messages alike, so anyone could otherwise point a topic of
	// their own at this endpoint.
	TopicARNs []string
	// HTTPClient fetches signing certificates and confirms subscriptions;
	// default a client with a 10-second timeout.
	HTTPClient *http.Client
	// Certs gives signing certificates; default FetchedCerts over
	// HTTPClient. Tests put their own here.
	Certs CertSource
	// MaxAge is how old a message may be and still be taken; default 24
	// hours, past any SNS delivery retry policy. Message ids are
	// remembered as long, so a replay in the window is ignored.
	MaxAge time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Logger; default slog.Default().
	Logger *slog.Logger
}

// SES takes Amazon SES bounce and complaint notifications delivered by
// SNS to an HTTPS subscription.
//
// Every message is checked before use: its topic must be one of
// TopicARNs, its SigningCertURL https on sns.<region>.amazonaws.com, its
// signature (SignatureVersion 1, SHA1withRSA, or 2, SHA256withRSA, over
// the fields AWS lists for its type) valid under that certificate, and its
// Timestamp within MaxAge.
//
// A SubscriptionConfirmation for one of TopicARNs is confirmed by fetching
// its SubscribeURL, once that too is checked to be https on an SNS host:
// subscribing the endpoint in the AWS console is then all an operator has
// to do. An UnsubscribeConfirmation is verified and logged, nothing more.
//
// The delivery of a notification is the one named, in this order, by
// mail.source (the envelope sender the message was given to SES with: the
// VERP address), mail.commonHeaders.returnPath, and the Return-Path and
// bounce.DeliveryHeader fields of mail.headers (present when the identity
// includes original headers in notifications).
type SES struct {
	verp   *bounce.VERP
	topics map[string]bool
	client *http.Client
	certs  CertSource
	maxAge time.Duration
	now    func() time.Time
	log    *slog.Logger
}

// NewSES returns the SES provider.
func NewSES(v *bounce.VERP, opts SESOptions) (*SES, error) {
	if v == nil {
		return nil, errors.New("webhook: NewSES needs a VERP")
	}
	p := &SES{verp: v, topics: map[string]bool{}, client: opts.HTTPClient, certs: opts.Certs,
		maxAge: opts.MaxAge, now: opts.Now, log: opts.Logger}
	for _, arn := range opts.TopicARNs {
		arn = strings.TrimSpace(arn)
		if err := CheckTopicARN(arn); err != nil {
			return nil, err
		}
		p.topics[arn] = true
	}
	if len(p.topics) == 0 {
		return nil, errors.New("webhook: SES needs at least one SNS topic ARN")
	}
	if p.client == nil {
		p.client = &http.Client{Timeout: certTimeout}
	}
	if p.certs == nil {
		p.certs = NewFetchedCerts(p.client)
	}
	if p.maxAge <= 0 {
		p.maxAge = 24 * time.Hour
	}
	if p.now == nil {
		p.now = time.Now
	}
	if p.log == nil {
		p.log = slog.Default()
	}
	return p, nil
}

// CheckTopicARN reports what is wrong with an SNS topic ARN, if anything:
// arn:<partition>:sns:<region>:<12-digit account>:<topic name>.
func CheckTopicARN(arn string) error {
	parts := strings.Split(arn, ":")
	if len(parts) != 6 || parts[0] != "arn" || !strings.HasPrefix(parts[1], "aws") || parts[2] != "sns" ||
		parts[3] == "" || len(parts[4]) != 12 || strings.Trim(parts[4], "0123456789") != "" || parts[5] == "" {
		return fmt.Errorf("SNS topic ARN %q: want arn:aws:sns:<region>:<12-digit account>:<topic>", arn)
	}
	return nil
}

// Name implements Provider.
func (p *SES) Name() string { return "ses" }

// Receive implements Provider.
func (p *SES) Receive(ctx context.Context, header http.Header, body []byte) (*Notice, error) {
	m, err := parseSNS(header, body)
	if err != nil {
		return nil, err
	}
	if !p.topics[m.TopicArn] {
		return nil, fmt.Errorf("%w: SNS topic %q is not one of the configured topics", ErrForbidden, m.TopicArn)
	}
	now := p.now()
	if err := m.verify(ctx, p.certs, now); err != nil {
		return nil, err
	}
	ts, err := time.Parse(time.RFC3339Nano, m.Timestamp)
	if err != nil {
		return nil, fmt.Errorf("%w: Timestamp %q is not RFC 3339", ErrBadPayload, m.Timestamp)
	}
	if ts.Before(now.Add(-p.maxAge)) || ts.After(now.Add(5*time.Minute)) {
		return nil, fmt.Errorf("%w: Timestamp %s is outside the %s window", ErrBadSignature, m.Timestamp, p.maxAge)
	}
	switch m.Type {
	case snsSubscription:
		return &Notice{}, p.confirm(ctx, m)
	case snsUnsubscription:
		p.log.Warn("SNS says this endpoint was unsubscribed from a topic; SES notices will stop coming",
			"topic", m.TopicArn)
		return &Notice{}, nil
	}
	events, err := p.events(m.Message)
	if err != nil {
		return nil, err
	}
	return &Notice{Events: events, ReplayKey: "ses:" + m.MessageID, ReplayTTL: p.maxAge + 5*time.Minute}, nil
}

// confirm fetches a verified SubscriptionConfirmation's SubscribeURL.
func (p *SES) confirm(ctx context.Context, m *snsMessage) error {
	if err := checkSNSURL("SubscribeURL", m.SubscribeURL, false); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, certTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.SubscribeURL, nil)
	if err != nil {
		return fmt.Errorf("webhook: confirming the SNS subscription: %w", err)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook: confirming the SNS subscription: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("webhook: confirming the SNS subscription: SNS answered %s", resp.Status)
	}
	p.log.Info("SNS subscription confirmed", "topic", m.TopicArn)
	return nil
}

// sesNotice is the part of an SES notification this package reads.
type sesNotice struct {
	NotificationType string `json:"notificationType"`
	EventType        string `json:"eventType"` // the same, when sent by event publishing
	Mail             struct {
		Source string `json:"source"`
		// MessageID is the id SES gave the message, which names it in
		// the Message-ID SES sent it with (bounce.MessageKey).
		MessageID     string `json:"messageId"`
		CommonHeaders struct {
			ReturnPath string `json:"returnPath"`
		} `json:"commonHeaders"`
		Headers []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"headers"`
	} `json:"mail"`
	Bounce *struct {
		BounceType        string `json:"bounceType"`
		BounceSubType     string `json:"bounceSubType"`
		BouncedRecipients []struct {
			EmailAddress   string `json:"emailAddress"`
			Status         string `json:"status"`
			DiagnosticCode string `json:"diagnosticCode"`
		} `json:"bouncedRecipients"`
		Timestamp  string `json:"timestamp"`
		FeedbackID string `json:"feedbackId"`
	} `json:"bounce"`
	Complaint *struct {
		ComplainedRecipients []struct {
			EmailAddress string `json:"emailAddress"`
		} `json:"complainedRecipients"`
		ComplaintFeedbackType string `json:"complaintFeedbackType"`
		Timestamp             string `json:"timestamp"`
		FeedbackID            string `json:"feedbackId"`
	} `json:"complaint"`
}

// events reads an SES notification. Bounces are of the kind sesKind
// says. A complaint counts when its feedback type is
// abuse or absent (some receivers send none, and SES passes the
// complaint on all the same); not-spam, virus, fraud and the rest do not.
// Other notifications (Delivery, Send, Open…) carry nothing to record.
func (p *SES) events(message string) ([]bounce.Event, error) {
	var n sesNotice
	if err := json.Unmarshal([]byte(message), &n); err != nil {
		return nil, fmt.Errorf("%w: SNS Message is not an SES notification: %v", ErrBadPayload, err)
	}
	typ := n.NotificationType
	if typ == "" {
		typ = n.EventType
	}
	e := bounce.Event{Source: bounce.SourceSES}
	switch {
	case typ == "Bounce" && n.Bounce != nil:
		if r := n.Bounce.BouncedRecipients; len(r) > 0 {
			e.Recipient, e.Status = r[0].EmailAddress, r[0].Status
			e.Diagnostic = strings.TrimSpace(strings.TrimPrefix(r[0].DiagnosticCode, "smtp;"))
		}
		e.Kind = sesKind(n.Bounce.BounceType, n.Bounce.BounceSubType, e.Status, e.Diagnostic)
		if e.Diagnostic == "" {
			e.Diagnostic = n.Bounce.BounceType + "/" + n.Bounce.BounceSubType
		}
		e.ReportID, e.At = n.Bounce.FeedbackID, parseTime(n.Bounce.Timestamp)
	case typ == "Complaint" && n.Complaint != nil:
		ft := strings.ToLower(n.Complaint.ComplaintFeedbackType)
		if ft != "" && ft != "abuse" {
			p.log.Info("SES complaint not counted", "feedback_type", ft)
			return nil, nil
		}
		e.Kind, e.FeedbackType = bounce.Complaint, ft
		if r := n.Complaint.ComplainedRecipients; len(r) > 0 {
			e.Recipient = r[0].EmailAddress
		}
		e.ReportID, e.At = n.Complaint.FeedbackID, parseTime(n.Complaint.Timestamp)
	default:
		return nil, nil
	}
	candidates := []string{n.Mail.Source, n.Mail.CommonHeaders.ReturnPath}
	for _, h := range n.Mail.Headers {
		if strings.EqualFold(h.Name, "Return-Path") || strings.EqualFold(h.Name, bounce.DeliveryHeader) {
			candidates = append(candidates, h.Value)
		}
	}
	id, ok := resolve(p.verp, candidates)
	if !ok {
		p.log.Info("SES notification names no delivery of ours", "type", typ)
		return nil, nil
	}
	e.DeliveryID = id
	// Not commonHeaders.messageId: that is the Message-ID newsdigest
	// wrote, which SES replaced with its own on the way out, so that a
	// bounce of the message as it was sent, which SES forwards to the
	// envelope sender, does not carry it.
	e.MessageKey = bounce.MessageKey(n.Mail.MessageID)
	e.Diagnostic = cut(e.Diagnostic, bounce.DiagnosticMax)
	e.Recipient, e.ReportID = cut(e.Recipient, 320), cut(e.ReportID, 250)
	return []bounce.Event{e}, nil
}

// resolve returns the delivery the first verifying candidate names: a
// VERP address, or a token.
func resolve(v *bounce.VERP, candidates []string) (int64, bool) {
	for _, c := range candidates {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		if strings.Contains(c, "@") {
			if id, err := v.Verify(c); err == nil {
				return id, true
			}
		} else if id, err := v.VerifyToken(c); err == nil {
			return id, true
		}
	}
	return 0, false
}

// parseTime reads an RFC 3339 time; zero if it does not parse.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// cut bounds s to n bytes at a character boundary, valid UTF-8.
func cut(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// sesKind is what an SES bounce means for the address. SES calls
// Permanent whatever the receiving server refused for good, a block of
// the sender included ("550 5.7.1 ... blocked using Spamhaus"), so the
// status and the server's words are read as a DSN's would be: a
// refusal of the sender is blocked, whatever SES calls it. A content
// rejection is a refusal of the message. Otherwise Permanent bounces are
// hard (SES's advice: remove the address), Transient and Undetermined
// ones soft.
func sesKind(typ, subType, status, diagnostic string) bounce.Kind {
	if subType == "ContentRejected" {
		return bounce.Blocked
	}
	if k, _ := bounce.Classify("failed", status, diagnostic); k == bounce.Blocked {
		return bounce.Blocked
	}
	if typ == "Permanent" {
		return bounce.Hard
	}
	return bounce.Soft
}
