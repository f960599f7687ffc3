package domain

import "time"

// SubscriberRecord is everything the desk shows about one person: who
// they are, what they chose, and when their status changed.
type SubscriberRecord struct {
	Subscriber
	ConfirmedAt    *time.Time
	UnsubscribedAt *time.Time
	UpdatedAt      time.Time
	HardBounces    int
	// Schedule is the reader's own schedule; nil when they follow the
	// desk's. NextDueAt is when their next digest is due, once the worker
	// has worked it out (nil before, and for the desk's readers).
	Schedule  *ReaderSchedule
	NextDueAt *time.Time
	// DueBeforeChange is the due time a move of the reader's hour or zone
	// replaced, until the worker works out the new one from it
	// (schedule.Moved); nil otherwise.
	DueBeforeChange *time.Time
}

// ConsentEntry is one line of a person's consent record: what was done,
// when, from where, on which form, and by whom when an operator acted.
type ConsentEntry struct {
	Action      string // subscribe, confirm, preferences, unsubscribe, import, suppress, erase
	At          time.Time
	IP          string
	UserAgent   string
	FormVersion string
	Actor       string // "" when the person acted themselves
}

// SubscriberDelivery is one edition's delivery to a person.
type SubscriberDelivery struct {
	EditionID int64
	Status    DeliveryStatus
	Reason    string // why it was skipped
	Error     string // the SMTP reply of a failure
	SentAt    *time.Time
	UpdatedAt time.Time
	// Bounce is what came back about it after it left; nil when nothing
	// did.
	Bounce *BounceRecord
}

// BounceRecord is what came back about a message after it left: a
// bounce or complaint (Kind, one of BounceKinds), its status code, the
// remote server's words and when.
type BounceRecord struct {
	Kind       string
	Code       string
	Diagnostic string
	At         time.Time
}
