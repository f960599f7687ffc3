package bounce

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kind is what a report means for the address it is about.
type Kind string

// The kinds of event worth recording. A report that is none of them (a
// delay warning, a success notice, an auto-reply, a feedback report of a
// type other than abuse) yields no event.
const (
	// Hard is a permanent failure of the address itself (the mailbox or
	// its domain does not exist, or is disabled): suppress it at once.
	Hard Kind = "hard"
	// Soft is a failure that may pass, or whose cause is not known to be
	// the sender (mailbox full, message too large, refused by the
	// recipient's own rules, gave up after retrying): it counts toward the
	// bounce limit.
	Soft Kind = "soft"
	// Blocked is a refusal of the sender or of the message, not of the
	// address: the sending IP or domain on a block list or of poor
	// reputation, authentication (SPF, DKIM, DMARC) failed, the message
	// taken for spam. It says nothing against the reader, so it does not
	// count toward the bounce limit (a block lasting a few editions would
	// otherwise mark every reader of that provider bounced); it counts
	// toward the edition's pause, which is the sender's cue to act.
	Blocked Kind = "blocked"
	// Complaint is a reader marking the message as spam (an ARF report of
	// Feedback-Type abuse, or a relay's complaint notification):
	// unsubscribe at once.
	Complaint Kind = "complaint"
)

// Valid reports whether k is one of the kinds above.
func (k Kind) Valid() bool { return k == Hard || k == Soft || k == Blocked || k == Complaint }

// Where an event came from.
const (
	SourceSMTP    = "smtp"    // a report mailed to the inbound listener
	SourceSES     = "ses"     // an Amazon SES notification through SNS
	SourceMailgun = "mailgun" // a Mailgun webhook
)

// Event is one bounce or complaint tied to the delivery it is about.
type Event struct {
	// DeliveryID is the delivery the report is about, taken from a signed
	// VERP address or token, never from anything a sender could forge.
	// A negative one is a one-off mail to a subscriber (a confirmation, a
	// notice; NoticeSubscriber).
	DeliveryID int64
	Kind       Kind
	// Source is one of the Source constants.
	Source string
	// Recipient is the address the report names ("" when the reporter
	// redacted it, as feedback loops often do). It is the reader's address:
	// log it only at debug level.
	Recipient string
	// Status is the enhanced status code (RFC 3463) the classification
	// used, such as "5.1.1"; "" for complaints.
	Status string
	// Diagnostic is the remote server's own words (the DSN's
	// Diagnostic-Code, the relay's description), at most DiagnosticMax
	// bytes of valid UTF-8.
	Diagnostic string
	// FeedbackType is the ARF Feedback-Type of a complaint ("abuse").
	FeedbackType string
	// ReportID identifies the report at its source (the report message's
	// Message-ID, or a digest of its content when it has none; SES's
	// feedbackId, Mailgun's event id), so storage can keep one event per
	// report when a report comes twice. May be "".
	ReportID string
	// MessageKey names the message the report is about, alike on every
	// channel that reports it (MessageKey): from the Message-ID in the
	// header a bounce or complaint returns, SES's mail.messageId,
	// Mailgun's message-id. "" when the report does not say. A one-off
	// mail's VERP address names its subscriber, not the message: storage
	// tells by this key a second report of a failure from another one.
	MessageKey string
	// At is when the receiving side reported the failure or complaint;
	// zero when the report does not say.
	At time.Time
}

// MessageKey is the key of the message whose Message-ID is messageID
// (angle brackets and all): the Message-ID itself, but for one Amazon SES
// gave. SES puts a Message-ID of its own on every message it sends,
// <id@email.amazonses.com> or <id@region.amazonses.com>, whatever the
// sender wrote, so that is the one a bounce SES forwards returns; its id
// is the mail.messageId of SES's notices, and the key of such a
// Message-ID is that id alone. "" when messageID is empty.
func MessageKey(messageID string) string {
	id := strings.Trim(strings.TrimSpace(messageID), "<> \t")
	if at := strings.LastIndexByte(id, '@'); at > 0 {
		domain := strings.ToLower(id[at+1:])
		if domain == "amazonses.com" || strings.HasSuffix(domain, ".amazonses.com") {
			id = id[:at]
		}
	}
	return truncate(id, 250)
}

// DiagnosticMax bounds Event.Diagnostic: a diagnostic longer than this is
// cut (at a character boundary), as remote servers can say a lot.
const DiagnosticMax = 1000

// Validate reports what is wrong with e, naming the field.
func (e Event) Validate() error {
	switch {
	case e.DeliveryID == 0:
		return fmt.Errorf("bounce event: DeliveryID %d: want a delivery id, or a notice's (NoticeID)", e.DeliveryID)
	case !e.Kind.Valid():
		return fmt.Errorf("bounce event: Kind %q: want hard, soft, blocked or complaint", e.Kind)
	case e.Source != SourceSMTP && e.Source != SourceSES && e.Source != SourceMailgun:
		return fmt.Errorf("bounce event: Source %q: want smtp, ses or mailgun", e.Source)
	case len(e.Diagnostic) > DiagnosticMax:
		return fmt.Errorf("bounce event: Diagnostic: longer than %d bytes", DiagnosticMax)
	}
	return nil
}

// Recorder stores events; the storage layer implements it. Record must be
// safe for concurrent use. It returns ErrUnknownDelivery (possibly
// wrapped) when the delivery no longer exists; any other error is taken
// as temporary, and the report is refused so that its sender tries again
// later (an SMTP 451, an HTTP 503). A report may come more than once (a
// retry after a lost reply): storage should count an event with the same
// DeliveryID, Kind and ReportID once. The same failure may also come by
// two channels (with SES, its notice and the bounce it forwards), each
// with a ReportID of its own: storage should count one failure per
// delivery, and per MessageKey of a one-off mail.
type Recorder interface {
	Record(ctx context.Context, e Event) error
}

// ErrUnknownDelivery is what a Recorder returns for an event whose
// delivery is not (or no longer) stored, such as one whose reader has
// since been erased. The report is accepted and dropped: nobody gains by
// its sender retrying.
var ErrUnknownDelivery = errors.New("bounce: no such delivery")

// truncate cuts s to at most n bytes without splitting a character, and
// makes it valid UTF-8.
func truncate(s string, n int) string {
	s = toValidUTF8(s)
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !startsRune(s[cut]) {
		cut--
	}
	return s[:cut]
}

// startsRune reports whether b can begin a UTF-8 sequence.
func startsRune(b byte) bool { return b&0xC0 != 0x80 }
