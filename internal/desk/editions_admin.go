package desk

import (
	"context"
	"fmt"
	"math"
	"net/mail"
	"strings"

	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/postgres"
	"newsdigest/internal/render"
	"newsdigest/internal/tasks"
)

// EditionPlan is what an edition made now would hold, for the editor to
// confirm before it is sent.
type EditionPlan struct {
	Stories     int // items in the window
	Subscribers int // active subscribers: one delivery each
	// NonEmpty is how many of them would get a digest with at least one
	// story. It leaves out what they received in earlier editions, which
	// matters only for a published range overlapping an earlier one.
	NonEmpty int
}

// PlanEdition counts, without writing anything, what CreateEdition with
// the same range would make now.
func (d *Desk) PlanEdition(ctx context.Context, from, to *domain.Date) (EditionPlan, error) {
	var p EditionPlan
	if from != nil && to != nil && to.Before(from.Time) {
		return p, errs.New(errs.Invalid, "published_to: before published_from")
	}
	items, err := d.DB.WindowItems(ctx, from, to)
	if err != nil {
		return p, err
	}
	filters, err := d.DB.ActiveFilters(ctx)
	if err != nil {
		return p, err
	}
	tax, err := d.Taxonomy(ctx)
	if err != nil {
		return p, err
	}
	p.Stories = len(items)
	regions := digest.RegionMembers{}
	for _, r := range tax.Regions {
		regions[r.Code] = r.Countries
	}
	byLanguage := map[string][]domain.Item{}
	for _, fc := range filters {
		p.Subscribers += fc.Count
		if len(items) == 0 {
			continue
		}
		if _, ok := byLanguage[fc.Filter.Language]; !ok {
			byLanguage[fc.Filter.Language] = domain.PickLanguage(items, fc.Filter.Language)
		}
		if len(digest.Match(fc.Filter, byLanguage[fc.Filter.Language], regions, nil)) > 0 {
			p.NonEmpty += fc.Count
		}
	}
	return p, nil
}

// EditionProgress is an edition with what its progress bar shows.
type EditionProgress struct {
	domain.Edition
	Done      int `json:"done"`      // sent + failed + skipped
	Remaining int `json:"remaining"` // total - done
	// SecondsLeft at the current rate; -1 when unknown (nothing sent yet).
	SecondsLeft int  `json:"seconds_left"`
	Finished    bool `json:"finished"` // done or failed: nothing will change
	Cancelled   bool `json:"cancelled"`
}

// Progress returns an edition's figures as GET /api/v1/editions/{id}
// has them, with the remaining count and time worked out.
func (d *Desk) Progress(ctx context.Context, id int64) (EditionProgress, error) {
	e, err := d.DB.Edition(ctx, id)
	if err != nil {
		return EditionProgress{}, err
	}
	p := EditionProgress{Edition: e, Done: e.Sent + e.Failed + e.Skipped, SecondsLeft: -1,
		Finished:  e.Status == domain.EditionDone || e.Status == domain.EditionFailed,
		Cancelled: e.Reason == postgres.ReasonCancelled}
	p.Remaining = max(0, e.Total-p.Done)
	switch {
	case p.Finished || (e.Status == domain.EditionSending && p.Remaining == 0):
		p.SecondsLeft = 0
	case e.Status == domain.EditionSending && e.Rate > 0:
		p.SecondsLeft = int(math.Ceil(float64(p.Remaining) / e.Rate))
	}
	return p, nil
}

// CancelEdition stops an edition that is still queued, compiling or
// sending (see postgres.CancelEdition).
func (d *Desk) CancelEdition(ctx context.Context, actor string, id int64) (domain.Edition, error) {
	e, err := d.DB.CancelEdition(ctx, id)
	if err != nil {
		return e, err
	}
	d.Audit(ctx, actor, "edition.cancel", "edition", id, "cancelled while %s: %d sent, %d skipped of %d", e.Status, e.Sent, e.Skipped, e.Total)
	return e, nil
}

// RetryFailed sends an edition's failed deliveries again, and queues the
// send batches that now have work. If the queue is down, the worker's
// reconciler finds the edition sending and queues them.
func (d *Desk) RetryFailed(ctx context.Context, actor string, id int64) (postgres.Retried, error) {
	r, err := d.DB.RetryFailed(ctx, id)
	if err != nil {
		return r, err
	}
	if r.Retried > 0 {
		if _, err := digest.EnqueueBatches(ctx, d.DB, d.Queue, nil, id); err != nil {
			d.Log.Warn("retry left to the reconciler", "edition", id, "err", err)
		}
	}
	d.Audit(ctx, actor, "edition.retry", "edition", id, "%d failed deliveries retried, %d skipped (no longer active)", r.Retried, r.Skipped)
	return r, nil
}

// Sample asks for the digest someone would get: of an edition (EditionID;
// 0 for the latest items, as Preview), for a subscriber (Email) or for a
// filter.
type Sample struct {
	EditionID int64
	Email     string
	Filter    domain.Filter
}

// SampleFilter resolves a sample to the filter it stands for: the
// subscriber's choices when an address is given, else the filter, checked.
func (d *Desk) SampleFilter(ctx context.Context, s Sample) (domain.Filter, error) {
	f, _, err := d.resolveSample(ctx, s)
	return f, err
}

// resolveSample is SampleFilter, with the subscriber's id when an address
// is given.
func (d *Desk) resolveSample(ctx context.Context, s Sample) (domain.Filter, int64, error) {
	f := s.Filter
	var subscriber int64
	if email := strings.TrimSpace(s.Email); email != "" {
		sub, err := d.DB.SubscriberForPreview(ctx, email)
		if err != nil {
			return f, 0, err
		}
		f, subscriber = sub.Filter, sub.ID
	}
	tax, err := d.Taxonomy(ctx)
	if err != nil {
		return f, 0, err
	}
	f.Normalize()
	return f, subscriber, f.Validate(tax)
}

// PreviewSample renders the digest a sample stands for, as the mail
// would show it, with a placeholder where the reader's token goes: for a
// subscriber who has a digest of the edition, that very digest.
func (d *Desk) PreviewSample(ctx context.Context, s Sample) (render.Message, error) {
	f, subscriber, err := d.resolveSample(ctx, s)
	if err != nil {
		return render.Message{}, err
	}
	return d.renderSample(ctx, digest.Sample{EditionID: s.EditionID, SubscriberID: subscriber, Filter: f})
}

// TestSend queues a sample digest to an editor's address; the worker
// sends it (the web process has no SMTP), its subject marked as a test.
func (d *Desk) TestSend(ctx context.Context, actor string, s Sample, to string) error {
	addr, err := mail.ParseAddress(strings.TrimSpace(to))
	if err != nil || addr.Name != "" || !strings.Contains(addr.Address, "@") {
		return errs.New(errs.Invalid, "to: %q is not an email address", to)
	}
	f, subscriber, err := d.resolveSample(ctx, s)
	if err != nil {
		return err
	}
	if s.EditionID != 0 {
		if _, err := d.DB.Edition(ctx, s.EditionID); err != nil {
			return err
		}
	}
	id, err := d.DB.SaveTestSend(ctx, postgres.TestSend{EditionID: s.EditionID, SubscriberID: subscriber, Filter: f, Recipient: addr.Address}, actor)
	if err != nil {
		return err
	}
	if _, err := d.Queue.EnqueueContext(ctx, tasks.NewTestSend(id)); err != nil {
		return errs.New(errs.Unavailable, "the queue is not answering; try again: %v", err)
	}
	// The audit log names people by id only: the subscriber whose digest
	// it was, never the address typed, nor the one it went to.
	what := "filter " + f.Signature()
	if email := strings.TrimSpace(s.Email); email != "" {
		if sub, err := d.DB.SubscriberForPreview(ctx, email); err == nil {
			what = fmt.Sprintf("subscriber %d", sub.ID)
		}
	}
	recipient := "another address"
	if strings.EqualFold(addr.Address, actor) {
		recipient = "the sender's own address"
	}
	d.Audit(ctx, actor, "edition.test_send", "edition", s.EditionID, "test digest of %s sent to %s (test send %d)", what, recipient, id)
	return nil
}
