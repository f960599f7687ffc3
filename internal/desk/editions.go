package desk

import (
	"context"
	"time"

	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/postgres"
	"newsdigest/internal/render"
	"newsdigest/internal/tasks"
)

// CreateEdition makes an edition now and queues its compile: with a
// published range, of the items published in it; without, of everything
// new since the last edition. If the queue is down the edition still
// exists, and the worker's reconciler queues it when it can.
func (d *Desk) CreateEdition(ctx context.Context, actor string, from, to *domain.Date) (domain.Edition, error) {
	if from != nil && to != nil && to.Before(from.Time) {
		return domain.Edition{}, errs.New(errs.Invalid, "published_to: before published_from")
	}
	e, _, err := d.DB.CreateEdition(ctx, postgres.NewEdition{PublishedFrom: from, PublishedTo: to})
	if err != nil {
		return e, err
	}
	if _, err := d.Queue.EnqueueContext(ctx, tasks.NewCompileEdition(e.ID)); err != nil && !tasks.IsDuplicate(err) {
		d.Log.Warn("edition queued for the reconciler", "edition", e.ID, "err", err)
	}
	d.Audit(ctx, actor, "edition.create", "edition", e.ID, "window %s", describeWindow(e.Window))
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

// Preview renders the digest a filter would receive from the most
// recently published items, as its mail would be, with a placeholder
// where the reader's token goes.
func (d *Desk) Preview(ctx context.Context, f domain.Filter) (render.Message, error) {
	tax, err := d.Taxonomy(ctx)
	if err != nil {
		return render.Message{}, err
	}
	f.Normalize()
	if err := f.Validate(tax); err != nil {
		return render.Message{}, err
	}
	return d.renderSample(ctx, digest.Sample{Filter: f})
}

// renderSample lays a sample out with the masthead of the mail and
// renders it.
func (d *Desk) renderSample(ctx context.Context, s digest.Sample) (render.Message, error) {
	s.Now = time.Now()
	dg, err := digest.MastheadOf(d.Config).Sample(ctx, d.DB, s)
	if err != nil {
		return render.Message{}, err
	}
	return d.Renderer.Digest(dg)
}
