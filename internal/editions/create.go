package editions

import (
	"context"
	"math"
	"slices"
	"time"

	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/tasks"
)

// Create makes an edition now, at an editor's word, and queues its
// compile: with a published range, of the items published in it;
// without, of everything new since the last edition. If the queue is down
// the edition still exists, and the worker's reconciler queues it when it
// can. Asked again while the edition it made is on its way (a retried
// call, a second click), it returns that edition with made false, and
// makes, queues and records nothing: the same range, or new stories when
// none has come in since.
func (s *Service) Create(ctx context.Context, actor string, from, to *domain.Date) (e domain.Edition, made bool, err error) {
	if from != nil && to != nil && to.Before(from.Time) {
		return domain.Edition{}, false, errs.New(errs.Invalid, "published_to: before published_from")
	}
	// An editor's edition with no story is refused, and none is made.
	e, made, err = s.store.CreateEdition(ctx, domain.NewEdition{PublishedFrom: from, PublishedTo: to,
		MaxAge: s.cfg.StoryMaxAge, RequireStories: true})
	if err != nil || !made {
		return e, made, err
	}
	if _, err := s.queue.EnqueueContext(ctx, tasks.NewCompileEdition(e.ID)); err != nil && !tasks.IsDuplicate(err) {
		s.log.Warn("edition queued for the reconciler", "edition", e.ID, "err", err)
	}
	if from, to, ok := windowDates(e.Window); ok {
		s.audit.Audit(ctx, actor, "edition.create", "edition", e.ID, "window published %s to %s", from, to)
	} else {
		s.audit.Audit(ctx, actor, "edition.create", "edition", e.ID, "window new since the last edition")
	}
	return e, true, nil
}

// windowDates are the published dates that bound an edition's window
// ("…" for an open end), for the audit log; ok is false for a window of
// the stories new since the last edition.
func windowDates(w domain.Window) (from, to string, ok bool) {
	if w.PublishedFrom == nil && w.PublishedTo == nil {
		return "", "", false
	}
	from, to = "…", "…"
	if w.PublishedFrom != nil {
		from = w.PublishedFrom.Format(domain.DateLayout)
	}
	if w.PublishedTo != nil {
		to = w.PublishedTo.Format(domain.DateLayout)
	}
	return from, to, true
}

// Edition returns an edition with its progress.
func (s *Service) Edition(ctx context.Context, id int64) (domain.Edition, error) {
	return s.store.Edition(ctx, id)
}

// List returns the latest editions, newest first.
func (s *Service) List(ctx context.Context, limit int) ([]domain.Edition, error) {
	return s.store.Editions(ctx, limit)
}

// Watched lists the latest editions (limit) and every one not finished,
// however old, newest first: what the metrics report the progress of.
func (s *Service) Watched(ctx context.Context, limit int) ([]domain.Edition, error) {
	return s.store.EditionsToWatch(ctx, limit)
}

// Plan is what an edition made now would hold, for the editor to confirm
// before it is sent.
type Plan struct {
	Stories     int // items in the window
	Subscribers int // active subscribers: one delivery each
	// NonEmpty is how many of them would get a digest with at least one
	// story: their choices, less what their earlier digests held, as the
	// compile counts it.
	NonEmpty int
	// OwnSchedule is how many active readers keep a schedule of their
	// own: they are not among Subscribers, and get these stories in
	// their own digest, at the time they chose.
	OwnSchedule int
	// Items are the stories, newest first; Far flags those dated far
	// outside the edition's period (picked by an editor, or a date that
	// may be wrong).
	Items []PlanStory
	// Since is where the period begins: the published range's start, or
	// the day the window of new stories opens.
	Since time.Time
}

// PlanStory is one story of a plan.
type PlanStory struct {
	domain.Item
	Far bool
}

// farFuture is how far past today a story's date counts as suspect.
const farFuture = 2 * 24 * time.Hour

// Plan counts, without writing anything, what Create with the same range
// would make now.
func (s *Service) Plan(ctx context.Context, from, to *domain.Date) (Plan, error) {
	var p Plan
	if from != nil && to != nil && to.Before(from.Time) {
		return p, errs.New(errs.Invalid, "published_to: before published_from")
	}
	now := time.Now()
	n, err := s.next(ctx, from, to)
	if err != nil {
		return p, err
	}
	p.Stories = len(n.items)
	// Far: published more than STORY_MAX_AGE (a week when unbounded)
	// before the period began, or after tomorrow.
	age := s.cfg.StoryMaxAge
	if age <= 0 {
		age = 7 * 24 * time.Hour
	}
	switch {
	case from != nil:
		p.Since = from.Time
	case to == nil:
		if p.Since, err = s.store.NextWindowStart(ctx); err != nil {
			return p, err
		}
	}
	for _, it := range n.items {
		far := it.PublishedOn.After(now.Add(farFuture)) ||
			(!p.Since.IsZero() && it.PublishedOn.Before(p.Since.Add(-age-24*time.Hour)))
		p.Items = append(p.Items, PlanStory{Item: it, Far: far})
	}
	slices.SortStableFunc(p.Items, func(a, b PlanStory) int { return b.PublishedOn.Compare(a.PublishedOn.Time) })
	err = s.eachReader(ctx, n, now, func(r domain.Recipient, sections []digest.Section) bool {
		p.Subscribers++
		if len(sections) > 0 {
			p.NonEmpty++
		}
		return true
	})
	if err != nil {
		return p, err
	}
	p.OwnSchedule, err = s.store.OwnScheduleReaders(ctx)
	return p, err
}

// Progress is an edition with what its progress bar shows.
type Progress struct {
	domain.Edition
	Done      int `json:"done"`      // sent + failed + skipped
	Remaining int `json:"remaining"` // total - done
	// SecondsLeft at the current rate; -1 when unknown (nothing sent yet,
	// or only retries wait).
	SecondsLeft int `json:"seconds_left"`
	// WaitingForRetries: what remains all failed temporarily and waits for
	// its batch to be tried again; nothing is being sent meanwhile, so no
	// time at the sending rate says when it ends.
	WaitingForRetries bool `json:"waiting_for_retries"`
	Finished          bool `json:"finished"` // done or failed: nothing will change
	Cancelled         bool `json:"cancelled"`
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
	if e.Status == domain.EditionSending && p.Remaining > 0 {
		untried, err := s.store.HasUntriedDeliveries(ctx, id, []string{notSentPaused})
		if err != nil {
			return p, err
		}
		p.WaitingForRetries = !untried
	}
	switch {
	case p.Finished || (e.Status == domain.EditionSending && p.Remaining == 0):
		p.SecondsLeft = 0
	case p.WaitingForRetries:
	case e.Status == domain.EditionSending && e.Rate > 0:
		p.SecondsLeft = int(math.Ceil(float64(p.Remaining) / e.Rate))
	}
	return p, nil
}
