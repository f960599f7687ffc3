package domain

import (
	"slices"
	"time"
)

// What came back about a delivery after it left (BounceReport.Kind).
const (
	// BounceHard: the address does not exist or is disabled; the
	// subscriber is bounced at once.
	BounceHard = "hard"
	// BounceSoft: mailbox full, refused by the recipient's own rules,
	// given up after retrying; it counts toward BOUNCE_LIMIT like a
	// refusal at the send.
	BounceSoft = "soft"
	// BounceBlocked: the receiving side refused the sender or the message
	// (a block list, failed authentication, taken for spam), not the
	// address; it does not count toward BOUNCE_LIMIT, and counts toward
	// the edition's pause.
	BounceBlocked = "blocked"
	// BounceComplaint: the reader reported the digest as spam; they are
	// mailed nothing more (StatusComplained).
	BounceComplaint = "complaint"
)

// BounceKinds lists every kind of report.
var BounceKinds = []string{BounceHard, BounceSoft, BounceBlocked, BounceComplaint}

// IsBounceKind reports whether k is one of BounceKinds.
func IsBounceKind(k string) bool { return slices.Contains(BounceKinds, k) }

// BounceReport is one bounce or complaint about a delivery, as storage
// records it. (DeliveryID, Kind, ReportID) identify it: the same report
// twice is recorded once.
type BounceReport struct {
	DeliveryID int64
	Kind       string // one of BounceKinds
	Source     string // smtp, ses, mailgun
	ReportID   string
	// MessageKey names the message the report is about, as each channel
	// that reports it names it (bounce.Event.MessageKey); "" when the
	// report does not say. Storage counts one failure per message of a
	// one-off mail, whose VERP address names only its subscriber; a
	// delivery is one message already.
	MessageKey string
	Code       string // the enhanced status code, "5.1.1"; "" for complaints
	Diagnostic string // the remote server's words
	At         time.Time
}

// BounceOutcome is what recording a report did.
type BounceOutcome struct {
	// Duplicate: the report was recorded before; nothing changed.
	Duplicate bool
	EditionID int64
	// SubscriberID and its status before and after.
	SubscriberID  int64
	Before, After SubscriberStatus
	HardBounces   int // the subscriber's count toward BOUNCE_LIMIT after it
}

// DeliveryReport is a delivery that something came back about, for the
// console's edition page.
type DeliveryReport struct {
	DeliveryID   int64
	SubscriberID int64
	Email        string
	Kind         string
	Code         string
	Diagnostic   string
	Source       string
	At           time.Time
}
