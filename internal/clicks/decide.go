package clicks

import (
	"slices"
	"time"

	"newsdigest/internal/domain"
)

// What is not a reader's click. A mail-security scanner follows a
// message's links as it arrives, often all of them within a second or
// two; a reader opens a message later and a story or two at a time.
const (
	// MinDelay: a click this soon after its message was sent is a
	// scanner's (or a prefetcher's), not a reader's.
	MinDelay = 60 * time.Second
	// BurstClicks clicks on one message within BurstWindow are a
	// scanner's: that message counts nothing, including what it counted.
	BurstClicks = 4
	BurstWindow = 10 * time.Second
	// NonceTTL is how long a message's clicks are remembered; a link older
	// than that counts nothing, so no message can count twice.
	NonceTTL = domain.ClickNonceKeptFor
)

// Decide says what a click on story, at now, does given the clicks its
// message had before: at most one count per story per message, and none
// for a message clicked in a burst (whose earlier counts are taken back).
func Decide(prev domain.ClickNonce, story int64, now time.Time) domain.ClickDecision {
	next := domain.ClickNonce{Burst: prev.Burst, Stories: slices.Clone(prev.Stories)}
	for _, t := range prev.Recent {
		if now.Sub(t) < BurstWindow {
			next.Recent = append(next.Recent, t)
		}
	}
	next.Recent = append(next.Recent, now)
	switch {
	case next.Burst:
		return domain.ClickDecision{Next: next}
	case len(next.Recent) >= BurstClicks:
		next.Burst = true
		uncount := next.Stories
		next.Stories = nil
		return domain.ClickDecision{Next: next, Uncount: uncount}
	case slices.Contains(next.Stories, story):
		return domain.ClickDecision{Next: next}
	}
	next.Stories = append(next.Stories, story)
	return domain.ClickDecision{Next: next, Count: true}
}
