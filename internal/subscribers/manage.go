package subscribers

import (
	"context"
	"time"

	"newsdigest/internal/domain"
)

// ByToken finds the subscriber a preferences or unsubscribe link belongs
// to; an erased person's token, like an unknown one, is errs.NotFound.
func (s *Service) ByToken(ctx context.Context, tok string) (domain.Subscriber, error) {
	return s.store.SubscriberByToken(ctx, tok)
}

// ByUnsubscribeToken finds the subscriber an unsubscribe link is of: by
// their token, or by one a confirmed sign-up of theirs replaced, which
// the mails of before carry and which only unsubscribes.
func (s *Service) ByUnsubscribeToken(ctx context.Context, tok string) (domain.Subscriber, error) {
	return s.store.SubscriberByUnsubscribeToken(ctx, tok)
}

// UpdatePreferences changes a subscriber's choices
// (domain.SubscriberChange), validated against the taxonomy.
func (s *Service) UpdatePreferences(ctx context.Context, tok string, f domain.Filter, c domain.Consent) (domain.Subscriber, error) {
	return s.store.UpdatePreferences(ctx, tok, f, c)
}

// Unsubscribe stops all mail to the subscriber a token belongs to
// (domain.SubscriberLeave); doing it twice is no error.
func (s *Service) Unsubscribe(ctx context.Context, tok string, c domain.Consent) error {
	return s.store.Unsubscribe(ctx, tok, c)
}

// Pause stops an active subscriber's digests until a time
// (domain.SubscriberPause): editions made before it skip them.
func (s *Service) Pause(ctx context.Context, tok string, until time.Time, c domain.Consent) (domain.Subscriber, error) {
	return s.store.Pause(ctx, tok, until, c)
}

// Resume ends a pause at once.
func (s *Service) Resume(ctx context.Context, tok string, c domain.Consent) (domain.Subscriber, error) {
	return s.store.Resume(ctx, tok, c)
}
