package domain

import (
	"strings"
	"time"
)

// Window is the set of items an edition holds: either items first ingested
// in (IngestedAfter, IngestedUntil], or items published in [From, To].
type Window struct {
	IngestedAfter *time.Time `json:"ingested_after,omitempty"`
	IngestedUntil *time.Time `json:"ingested_until,omitempty"`
	PublishedFrom *Date      `json:"published_from,omitempty"`
	PublishedTo   *Date      `json:"published_to,omitempty"`
}

// Edition is one send of the digest to everyone active.
type Edition struct {
	ID      int64         `json:"id"`
	Status  EditionStatus `json:"status"`
	Reason  string        `json:"reason,omitempty"`
	Window  Window        `json:"window"`
	Items   int           `json:"items"`
	Total   int           `json:"total"`
	Sent    int           `json:"sent"`
	Failed  int           `json:"failed"`
	Skipped int           `json:"skipped"`
	// Rate is messages sent per second since sending began (until done;
	// while it is paused, or cancelled while paused, until it paused
	// itself; once resumed, without the time it was paused); after a
	// retry, since the retry began, over what it sent.
	Rate             float64    `json:"rate"`
	SendingStartedAt *time.Time `json:"sending_started_at,omitempty"`
	ScheduledFor     *time.Time `json:"scheduled_for,omitempty"`
	CreatedAt        time.Time  `json:"created_at"`
	FinishedAt       *time.Time `json:"finished_at,omitempty"`
	// SlotAt is the quarter hour a slot serves: an edition of the readers
	// with their own schedule who are due then; nil for the desk's.
	SlotAt *time.Time `json:"slot_at,omitempty"`
	// FirstSend is how the first round went, once a retry sent the
	// edition again; nil before.
	FirstSend *SendRound `json:"first_send,omitempty"`
	// Paused says why a paused edition stopped by itself; nil otherwise.
	Paused *EditionPauseNote `json:"paused,omitempty"`
	// AutoPause is off once an editor resumed the edition: they have
	// seen its figures and chose to go on.
	AutoPause bool `json:"-"`
}

// SendRound is one sending of an edition: its first, before a retry.
type SendRound struct {
	Sent       int       `json:"sent"`
	Rate       float64   `json:"rate"`
	FinishedAt time.Time `json:"finished_at"`
}

// Time is when the edition is for: its cron tick, or when an editor made
// it. A pause is measured against it, so compiling again later (a retry,
// a crash) skips the same people.
func (e Edition) Time() time.Time {
	if e.ScheduledFor != nil {
		return *e.ScheduledFor
	}
	return e.CreatedAt
}

// Cancelled reports whether an editor cancelled the edition.
func (e Edition) Cancelled() bool { return e.Reason == ReasonCancelled }

// SkippedLate reports whether the edition was recorded as skipped because
// its tick had passed longer ago than DIGEST_LATE_LIMIT.
func (e Edition) SkippedLate() bool { return strings.HasPrefix(e.Reason, ReasonSkippedPrefix) }

// Finished reports whether nothing about the edition will change: done or
// failed.
func (e Edition) Finished() bool { return e.Status.Finished() }
