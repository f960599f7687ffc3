package subscribers

import (
	"context"

	"github.com/hibiken/asynq"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/reqid"
	"newsdigest/internal/tasks"
	"newsdigest/internal/token"
)

// FormVersion is recorded with every consent, so that what a person agreed
// to can be traced to the form they saw.
const FormVersion = "subscribe-v1"

// Limiter caps how often one address may be signed up. Subscribe asks it
// about every valid request, whatever the address's status, so that being
// refused says nothing about whether the address is subscribed.
type Limiter interface {
	AllowAddress(ctx context.Context, email string) error
}

// Request is what a person sends from the form or the API.
type Request struct {
	Email string `json:"email"`
	domain.Filter
	// Schedule is when the digest is to arrive, kept with the sign-up
	// while the address waits for confirmation (domain.SignupSchedule:
	// Own nil follows the desk's schedule; Keep, when the request gave no
	// schedule field, leaves a pending address's as it is). The caller
	// resolves it (editions.Service.ResolveSchedule), so it is not read
	// from the request's JSON.
	Schedule domain.SignupSchedule `json:"-"`
}

// Subscribe validates a request and, if it is new, pending or
// unsubscribed, stores it with its schedule in one commit
// (domain.SubscriberSignUp) and queues the confirmation mail when one is
// due; an active address is queued a notice with its preferences link
// instead. Its answer never says
// whether the address was known. limit, when not nil, is asked about
// every valid request before it is stored; its error is returned as it is.
func (s *Service) Subscribe(ctx context.Context, req Request, c domain.Consent, limit Limiter) error {
	known, err := s.tax.Taxonomy(ctx)
	if err != nil {
		return err
	}
	email, err := domain.NormalizeEmail(req.Email)
	if err != nil {
		return err
	}
	f := req.Filter
	f.Normalize()
	if err := f.Validate(known); err != nil {
		return err
	}
	if limit != nil {
		if err := limit.AllowAddress(ctx, email); err != nil {
			return err
		}
	}
	c.FormVersion = FormVersion
	id, mail, err := s.store.Subscribe(ctx, email, f, req.Schedule, c, domain.SignupTokens{Token: token.New(), Confirm: token.New()})
	if err != nil {
		return err
	}
	var t *asynq.Task
	switch mail {
	case domain.MailConfirmation:
		t = tasks.NewConfirmationMail(id, reqid.From(ctx))
	case domain.MailKnown:
		t = tasks.NewNotice(id, domain.NoticeKnown)
	default:
		return nil
	}
	// The same answer whichever mail it is: a failure to queue says
	// nothing about the address either.
	if _, err := s.queue.EnqueueContext(ctx, t); err != nil && !tasks.IsDuplicate(err) {
		return errs.Wrap(errs.Unavailable, err, "the confirmation mail could not be queued; please try again shortly")
	}
	return nil
}

// ByConfirmToken finds the sign-up a confirmation link belongs to, with
// its choices and schedule, while it may still be confirmed.
func (s *Service) ByConfirmToken(ctx context.Context, confirmToken string) (domain.PendingSignup, error) {
	return s.store.SignupByConfirmToken(ctx, confirmToken)
}

// ByUsedConfirmToken finds the active subscriber whose confirmation link,
// already used, this is; anything else is errs.NotFound.
func (s *Service) ByUsedConfirmToken(ctx context.Context, confirmToken string) (domain.Subscriber, error) {
	return s.store.SubscriberByUsedConfirmToken(ctx, confirmToken)
}

// Confirm activates the subscriber a confirmation link belongs to
// (domain.SubscriberConfirm), with a new token of their own, and queues
// their welcome notice (were the queue down, the reconciler queues it
// later). shown, when not empty, is the signature of the choices and
// schedule the confirmation page showed
// (domain.PendingSignup.ChoicesSignature): if a sign-up has changed them
// since, nothing is confirmed and the answer is errs.Conflict.
func (s *Service) Confirm(ctx context.Context, confirmToken, shown string, c domain.Consent) (domain.Subscriber, error) {
	sub, err := s.store.Confirm(ctx, confirmToken, shown, c, token.New())
	if err != nil {
		return sub, err
	}
	if _, err := s.queue.EnqueueContext(ctx, tasks.NewNotice(sub.ID, domain.NoticeWelcome)); err != nil && !tasks.IsDuplicate(err) {
		s.log.Warn("queue welcome mail; the reconciler will", "subscriber", sub.ID, "err", err)
	}
	return sub, nil
}

// Estimate says how many recent stories a choice matches (Estimator).
// f must be normalised and its values known.
func (s *Service) Estimate(ctx context.Context, f domain.Filter) (Estimate, error) {
	return s.forecast.Estimate(ctx, f)
}
