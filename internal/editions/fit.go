package editions

import (
	"context"
	"fmt"

	"newsdigest/internal/clicks"
	"newsdigest/internal/domain"
	"newsdigest/internal/mail"
)

// Gmail clips a message past 102 KB and hides its end, the unsubscribe
// link with it. The mailer measures each message on its final bytes (the
// reader's token put in, signed) and refuses one over its limit
// (mail.Pool.LimitSize) before the relay sees it; the sender then renders
// the group's digest again with fewer stories, dropping the lowest-ranked
// of each section to the web digest's link, until it fits. The readers
// of a group differ only by their address and token, so the smaller
// render that fitted one is where the next starts.

// fittedBody is a group's digest rendered with fewer stories to fit.
type fittedBody struct {
	body  *mail.Shared
	shown int
}

// current is the group's digest to try first: the smallest that fitted.
func (e *cachedBody) current() (*mail.Shared, int) {
	if f := e.fitted.Load(); f != nil {
		return f.body, f.shown
	}
	return e.body, e.shown
}

// sendFitting sends c its group's digest, smaller each time the mailer
// finds it over the limit. A digest that does not fit even with one
// story fails for good: the mailer's permanent refusal is returned.
func (s *Sender) sendFitting(ctx context.Context, ed *editionData, e *cachedBody, c domain.ClaimedDelivery, env mail.Envelope) error {
	body, shown := e.current()
	for {
		err := s.Mailer.SendSharedAs(ctx, body, c.Email, c.Token, env)
		over, ok := mail.AsTooLarge(err)
		if !ok {
			return err
		}
		keep := fewerStories(shown, over.Size, over.Limit)
		if keep < 1 {
			return err
		}
		smaller, n, rerr := s.renderSafely(ed, e.group, e.key, keep)
		if rerr != nil {
			return fmt.Errorf("render digest of %d stories to fit %d bytes: %w", keep, over.Limit, rerr)
		}
		f := &fittedBody{body: smaller, shown: n}
		for {
			old := e.fitted.Load()
			if old != nil && old.shown <= n || e.fitted.CompareAndSwap(old, f) {
				break
			}
		}
		body, shown = smaller, n
	}
}

// renderSafely is renderGroup with a panic (a bug) turned into an error,
// as body does for the first render, so it fails the delivery and not
// the worker.
func (s *Sender) renderSafely(ed *editionData, g domain.DigestGroup, key bodyKey, max int) (body *mail.Shared, shown int, err error) {
	defer func() {
		if v := recover(); v != nil {
			body, shown, err = nil, 0, fmt.Errorf("render group %d: panic: %v", g.ID, v)
		}
	}()
	return s.renderGroup(ed, g, key, max)
}

// fewerStories is how many of shown stories to try next when a message
// of size bytes passed limit: the stories' share of the bytes scaled down
// to the limit (the masthead and footer do not shrink, so this may take
// a few steps), and always at least one fewer.
func fewerStories(shown, size, limit int) int {
	keep := shown * limit / size
	return min(keep, shown-1)
}

// stampPlaceholder is what the mailer replaces with each message's click
// stamp: nothing when clicks are not counted.
func (s *Sender) stampPlaceholder() string {
	if s.Stamp == nil {
		return ""
	}
	return clicks.StampPlaceholder
}
