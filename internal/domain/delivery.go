package domain

import "encoding/json"

// Recipient is an active subscriber as the compiler sees them, with the
// digests (edition group ids) of the earlier editions asked about that
// reached them.
type Recipient struct {
	ID       int64
	Filter   Filter
	Received []int64
	// Paused: the subscriber asked for no digests until after the
	// edition's time.
	Paused bool
}

// NewDigestGroup is a digest layout the compiler found: Key identifies its
// content (language and sections), so every subscriber who gets the same
// digest shares one group however their choices were spelled.
type NewDigestGroup struct {
	Key      string
	Language string
	Sections json.RawMessage
}

// DigestGroup is a stored digest layout.
type DigestGroup struct {
	ID       int64
	Language string
	Sections json.RawMessage
	// ViewToken opens this digest on the web and nothing else: the
	// digest's web and story links carry it, never a reader's token.
	ViewToken string
}

// NewDelivery is a delivery row the compiler writes: pending with a group,
// or skipped (GroupID 0) when nothing matched.
type NewDelivery struct {
	SubscriberID int64
	GroupID      int64
	// SkipReason says why a delivery without a group is skipped; empty
	// means nothing matched.
	SkipReason string
}

// IDRange is an inclusive range of delivery ids: one send batch.
type IDRange struct{ First, Last int64 }

// ClaimedDelivery is a delivery taken for sending.
type ClaimedDelivery struct {
	ID      int64
	GroupID int64
	Email   string
	Token   string
	Active  bool // false: the person left after the edition was compiled
	// Frequency and Timezone are the reader's own schedule's
	// (FrequencyDaily…, an IANA name); empty for a reader who follows
	// the desk's.
	Frequency, Timezone string
}

// DeliveryOutcome is how one delivery attempt ended.
type DeliveryOutcome struct {
	ID     int64
	Status DeliveryStatus // sent, failed, skipped, or pending to try again
	Error  string         // the SMTP reply or network error, for failed and pending
	Reason string         // why it was skipped: "left", "cancelled"
	// Failure says how a failed delivery failed: FailureTemporary,
	// FailurePermanent or FailureUncertain.
	Failure    DeliveryFailure
	HardBounce bool // the relay refused the address for good (5xx)
}

// Earlier is what earlier editions sent of an edition's stories: a reader
// who got a story once, in any of its languages, does not get it again.
type Earlier struct {
	// Editions are the earlier editions that sent a version of one of
	// this edition's stories.
	Editions []int64
	// Groups maps each of their digests (edition group ids) that held
	// such a version to the ids of this edition's items of those stories.
	Groups map[int64][]int64
}

// EditionSnapshot is what a batch in progress watches of its edition.
type EditionSnapshot struct {
	Cancelled bool
	// Failed: its compile failed for good; the deliveries not yet sent
	// are skipped, as for a cancel.
	Failed bool
	// Paused: the edition paused itself; the deliveries not yet sent go
	// back, untried.
	Paused bool
	// Stories changes whenever one of the edition's stories is hidden,
	// shown again or corrected: the digests made from them are stale.
	Stories string
}
