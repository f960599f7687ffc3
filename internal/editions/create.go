package editions

import (
	"context"
	"math"

	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/tasks"
)

// Create makes an edition now, at an editor's word, and queues its
// compile: with a published range, of the items published in it;
// without, of everything new since the last edition. If the queue is down
// the edition still exists, and the worker's reconciler queues it when it
// can.
func (s *Service) Create(ctx context.Context, actor string, from, to *domain.Date) (domain.Edition, error) {
	if from != nil && to != nil && to.Before(from.Time) {
		return domain.Edition{}, errs.New(errs.Invalid, "published_to: before published_from")
	}
	e, _, err := s.store.CreateEdition(ctx, domain.NewEdition{PublishedFrom: from, PublishedTo: to})
	if err != nil {
		return e, err
	}
	if _, err := s.queue.EnqueueContext(ctx, tasks.NewCompileEdition(e.ID)); err != nil && !tasks.IsDuplicate(err) {
		s.log.Warn("edition queued for the reconciler", "edition", e.ID, "err", err)
	}
	s.audit.Audit(ctx, actor, "edition.create", "edition", e.ID, "window %s", describeWindow(e.Window))
	return e, nil
}

// describeWindow says in a few words which items an edition holds.
func describeWindow(w domain.Window) string {
	switch {
	case w.PublishedFrom != nil || w.PublishedTo != nil:
		from, to := "…", "…"
		if w.PublishedFrom != nil {
			from = w.PublishedFrom.Format(domain.DateLayout)
		}
		if w.PublishedTo != nil {
			to = w.PublishedTo.Format(domain.DateLayout)
		}
		return "published " + from + " to " + to
	default:
		return "new since the last edition"
	}
}

// Edition returns an edition with its progress.
func (s *Service) Edition(ctx context.Context, id int64) (domain.Edition, error) {
	return s.store.Edition(ctx, id)
}

// List returns the latest editions, newest first.
func (s *Service) List(ctx context.Context, limit int) ([]domain.Edition, error) {
	return s.store.Editions(ctx, limit)
}

// Plan is what an edition made now would hold, for the editor to confirm
// before it is sent.
type Plan struct {
	Stories     int // items in the window
	Subscribers int // active subscribers: one delivery each
	// NonEmpty is how many of them would get a digest with at least one
	// story. It leaves out what they received in earlier editions, which
	// matters only for a published range overlapping an earlier one.
	NonEmpty int
}

// Plan counts, without writing anything, what Create with the same range
// would make now.
func (s *Service) Plan(ctx context.Context, from, to *domain.Date) (Plan, error) {
	var p Plan
	if from != nil && to != nil && to.Before(from.Time) {
		return p, errs.New(errs.Invalid, "published_to: before published_from")
	}
	items, err := s.store.WindowItems(ctx, from, to)
	if err != nil {
		return p, err
	}
	filters, err := s.store.ActiveFilters(ctx)
	if err != nil {
		return p, err
	}
	tax, err := s.tax.Taxonomy(ctx)
	if err != nil {
		return p, err
	}
	p.Stories = len(items)
	regions := digest.RegionsOf(tax)
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

// Progress is an edition with what its progress bar shows.
type Progress struct {
	domain.Edition
	Done      int `json:"done"`      // sent + failed + skipped
	Remaining int `json:"remaining"` // total - done
	// SecondsLeft at the current rate; -1 when unknown (nothing sent yet).
	SecondsLeft int  `json:"seconds_left"`
	Finished    bool `json:"finished"` // done or failed: nothing will change
	Cancelled   bool `json:"cancelled"`
}

// Progress returns an edition's figures as GET /api/v1/editions/{id} has
// them, with the remaining count and time worked out.
func (s *Service) Progress(ctx context.Context, id int64) (Progress, error) {
	e, err := s.store.Edition(ctx, id)
	if err != nil {
		return Progress{}, err
	}
	p := Progress{Edition: e, Done: e.Sent + e.Failed + e.Skipped, SecondsLeft: -1,
		Finished: e.Finished(), Cancelled: e.Cancelled()}
	p.Remaining = max(0, e.Total-p.Done)
	switch {
	case p.Finished || (e.Status == domain.EditionSending && p.Remaining == 0):
		p.SecondsLeft = 0
	case e.Status == domain.EditionSending && e.Rate > 0:
		p.SecondsLeft = int(math.Ceil(float64(p.Remaining) / e.Rate))
	}
	return p, nil
}
