package domain

import "fmt"

// Why an edition paused itself (EditionPauseNote.Cause).
const (
	PauseBounces    = "bounces"
	PauseComplaints = "complaints"
)

// PauseLimits are when a sending edition pauses itself: providers start
// refusing or throttling a sender whose bounces pass about 5% of what it
// sends, or whose complaints pass 0.1% (Gmail's and Yahoo's published
// figure is 0.3%, so 0.1% leaves room to act).
type PauseLimits struct {
	// BounceRate and ComplaintRate are fractions (0.05 is 5%); 0 turns
	// that check off.
	BounceRate, ComplaintRate float64
	// MinSent is how many messages must have been tried before a rate
	// means anything: one bounce among the first three is not a trend.
	MinSent int
}

// Default pause limits (EDITION_PAUSE_BOUNCE_RATE,
// EDITION_PAUSE_COMPLAINT_RATE, EDITION_PAUSE_MIN_SENT).
const (
	DefaultPauseBounceRate    = 0.05
	DefaultPauseComplaintRate = 0.001
	DefaultPauseMinSent       = 100
)

// EditionHealth is what came back of an edition so far.
type EditionHealth struct {
	// Tried is how many of its messages were handed to the relay, or
	// refused by it for good: sent, or failed permanently.
	Tried int
	// Bounces are its deliveries refused for good at the send (a 5xx) or
	// bounced after it (a DSN, a relay's notice), each counted once.
	Bounces int
	// Complaints are its deliveries whose reader reported it as spam.
	Complaints int
}

// PauseCause says whether an edition with health h must pause under
// limits l, and why (PauseBounces or PauseComplaints; "" keeps sending).
// Complaints come first: they hurt a sender's reputation more.
func PauseCause(h EditionHealth, l PauseLimits) string {
	if h.Tried <= 0 || h.Tried < l.MinSent {
		return ""
	}
	switch {
	case l.ComplaintRate > 0 && float64(h.Complaints) > l.ComplaintRate*float64(h.Tried):
		return PauseComplaints
	case l.BounceRate > 0 && float64(h.Bounces) > l.BounceRate*float64(h.Tried):
		return PauseBounces
	}
	return ""
}

// EditionPauseNote is why an edition paused, as recorded.
type EditionPauseNote struct {
	Cause string `json:"cause"` // PauseBounces or PauseComplaints
	Count int    `json:"count"` // bounces or complaints when it paused
	Of    int    `json:"of"`    // messages tried when it paused
}

// Percent is Count as a percentage of Of.
func (n EditionPauseNote) Percent() string {
	if n.Of == 0 {
		return "0%"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n.Count)/float64(n.Of))
}
