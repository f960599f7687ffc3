package domain

import "time"

// FilterCount is how many active subscribers share one set of choices.
type FilterCount struct {
	Filter Filter
	Count  int
}

// Retried is what retrying an edition's failures did (EditionRetry,
// DeliveryRetry).
type Retried struct {
	Retried int // failed deliveries put back to pending
	Skipped int // failed deliveries to people no longer active, skipped
	// Again: none was left to retry, and the edition is sending a retry
	// round that began less than RetryRepeat ago: the same retry asked
	// again (a double click, a retried call), which changes nothing.
	Again bool
}

// RetryRepeat is how soon after a retry round began a retry that finds
// nothing to retry is that retry asked again, rather than a mistake.
const RetryRepeat = time.Minute

// FailedDelivery is a delivery that failed, with the relay's reply.
type FailedDelivery struct {
	ID           int64
	SubscriberID int64
	Email        string
	Failure      DeliveryFailure
	Error        string // the SMTP reply or network error
	Attempts     int
	UpdatedAt    time.Time
}

// SkipReason is how many of an edition's deliveries were skipped for one
// reason.
type SkipReason struct {
	Reason string
	Count  int
}

// NewEdition asks for an edition. With a published range it holds the
// items published in it; otherwise it holds the items first ingested since
// the previous such edition's cut-off. ScheduledFor is the cron tick that
// asked, if any.
type NewEdition struct {
	ScheduledFor  *time.Time
	PublishedFrom *Date
	PublishedTo   *Date
	// MaxAge bounds an edition of new stories (no published range): a
	// story ingested in its window joins only if it was published no
	// earlier than MaxAge before the window opened, unless an editor
	// picked it. 0: no bound (STORY_MAX_AGE=0).
	MaxAge time.Duration
	// RequireStories refuses (errs.Invalid, ErrNoStories) an edition that
	// would hold no story, and makes none: an editor's "send now".
	RequireStories bool
}

// ErrNoStories is the message of an edition refused for holding no story.
const ErrNoStories = "no story: the edition would hold nothing to send"

// TestSendToken stands for a reader's token in the links of a test send,
// which has no reader: the web pages answer it by saying so.
const TestSendToken = "test-send"

// TestSend is an editor's test send waiting for the worker.
type TestSend struct {
	ID        int64
	EditionID int64 // 0: the latest stories
	// SubscriberID, when set, asks for the very digest that subscriber
	// has of the edition (the console's preview "as a subscriber").
	SubscriberID int64
	Filter       Filter
	Recipient    string
	// Key is the one-time key of the console form that asked for it:
	// the same form sent twice (a double click) sends one test.
	Key string
}

// How a test send went (TestSendResult.Outcome); "" while it waits for
// the worker.
const (
	TestSendSent    = "sent"    // the relay took it
	TestSendRefused = "refused" // the relay refused it for good
	TestSendFailed  = "failed"  // not sent: the relay did not take it after every try, or it could not be made
)

// TestSendResult is how an editor's test send went, as the console lists
// it: the address is forgotten once it is done.
type TestSendResult struct {
	ID         int64
	EditionID  int64
	CreatedAt  time.Time
	FinishedAt *time.Time
	Outcome    string
	// Failure sums up why it was refused or failed (mail.Summary: the
	// relay's codes, no address).
	Failure string
}

// FirstWindow is how far back the very first scheduled edition reaches.
const FirstWindow = 7 * 24 * time.Hour

// ReasonEditionFailed is why the deliveries of an edition whose compile
// failed are skipped.
const ReasonEditionFailed = "edition failed"

// ReasonReceivedSince is why a retried delivery is skipped when its reader
// has since had every story of its digest, from another edition.
const ReasonReceivedSince = "received since"
