package subscribers

import (
	"context"
	"errors"
	"slices"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// A story in a digest links to "fewer like this": a page of the reader's
// preferences, reached by their preferences token (docs/privacy.md),
// that drops the country or topic of the story's section from their
// choices with one button.

// Kinds of choice a reader can drop.
const (
	DropCountry = "country"
	DropTopic   = "topic"
)

// Why a choice cannot be dropped.
var (
	// ErrLastChoice: the digest would have nothing left to match (no
	// choice at all, or a narrow digest without a country or a topic).
	ErrLastChoice = errors.New("that is the last choice the digest needs")
	// ErrAllStories: the reader gets every story and has no country or
	// topic to drop.
	ErrAllStories = errors.New("the reader gets all stories")
)

// Without returns f without the country or topic key. A choice f does
// not hold leaves it as it is (dropped already: the link was followed
// twice). It is ErrAllStories for a reader of all stories and
// ErrLastChoice when the filter would match nothing; an unknown kind is
// errs.NotFound.
func Without(f domain.Filter, kind, key string) (domain.Filter, error) {
	if kind != DropCountry && kind != DropTopic {
		return f, errs.New(errs.NotFound, "choice not found")
	}
	if f.All {
		return f, ErrAllStories
	}
	out := f
	out.Countries, out.Topics = slices.Clone(f.Countries), slices.Clone(f.Topics)
	if kind == DropCountry {
		out.Countries = slices.DeleteFunc(out.Countries, func(c string) bool { return c == key })
	} else {
		out.Topics = slices.DeleteFunc(out.Topics, func(t string) bool { return t == key })
	}
	if len(out.Countries) == 0 && len(out.Topics) == 0 ||
		out.Mode == domain.ModeNarrow && (len(out.Countries) == 0 || len(out.Topics) == 0) {
		return f, ErrLastChoice
	}
	return out, nil
}

// Holds reports whether f has the country or topic key among its choices.
func Holds(f domain.Filter, kind, key string) bool {
	switch kind {
	case DropCountry:
		return slices.Contains(f.Countries, key)
	case DropTopic:
		return slices.Contains(f.Topics, key)
	}
	return false
}

// DropChoice drops a country or topic from the choices of the active
// reader tok belongs to, recorded as their change of preferences
// (consent "preferences"). Without's errors say why it cannot.
func (s *Service) DropChoice(ctx context.Context, tok, kind, key string, c domain.Consent) (domain.Subscriber, error) {
	sub, err := s.store.SubscriberByToken(ctx, tok)
	if err != nil {
		return sub, err
	}
	if sub.Status != domain.StatusActive && sub.Status != domain.StatusPending {
		return sub, errs.New(errs.Conflict, "the subscription is %s", sub.Status)
	}
	f, err := Without(sub.Filter, kind, key)
	if err != nil || !Holds(sub.Filter, kind, key) {
		return sub, err
	}
	return s.store.UpdatePreferences(ctx, tok, f, c)
}
