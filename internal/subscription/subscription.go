// Package subscription is the double opt-in: a request to subscribe is
// validated, stored as pending with its consent record, and answered by a
// confirmation mail; the same whether or not the address was known.
package subscription

import (
	"context"

	"github.com/hibiken/asynq"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/postgres"
	"newsdigest/internal/tasks"
	"newsdigest/internal/token"
)

// FormVersion is recorded with every consent, so that what a person agreed
// to can be traced to the form they saw.
const FormVersion = "subscribe-v1"

// Service handles subscription requests.
type Service struct {
	DB    *postgres.DB
	Queue interface {
		EnqueueContext(ctx context.Context, t *asynq.Task, opts ...asynq.Option) (*asynq.TaskInfo, error)
	}
	// Limit, if set, is asked about every valid request before it is
	// stored; its error is returned as it is.
	Limit Limiter
}

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
}

// Subscribe validates a request and, if it is new, pending or
// unsubscribed, stores it and queues the confirmation mail when one is
// due; an active address is queued a notice with its preferences link
// instead (see postgres.DB.Subscribe). Its answer never says whether the
// address was known.
func (s *Service) Subscribe(ctx context.Context, known domain.Known, req Request, c domain.Consent) error {
	email, err := domain.NormalizeEmail(req.Email)
	if err != nil {
		return err
	}
	f := req.Filter
	f.Normalize()
	if err := f.Validate(known); err != nil {
		return err
	}
	if s.Limit != nil {
		if err := s.Limit.AllowAddress(ctx, email); err != nil {
			return err
		}
	}
	c.FormVersion = FormVersion
	id, mail, err := s.DB.Subscribe(ctx, email, f, c, domain.SignupTokens{Token: token.New(), Confirm: token.New()})
	if err != nil {
		return err
	}
	var t *asynq.Task
	switch mail {
	case postgres.MailConfirmation:
		t = tasks.NewConfirmationMail(id)
	case postgres.MailKnown:
		t = tasks.NewNotice(id, postgres.NoticeKnown)
	default:
		return nil
	}
	// The same answer whichever mail it is: a failure to queue says
	// nothing about the address either.
	if _, err := s.Queue.EnqueueContext(ctx, t); err != nil && !tasks.IsDuplicate(err) {
		return errs.Wrap(errs.Unavailable, err, "the confirmation mail could not be queued; please try again shortly")
	}
	return nil
}
