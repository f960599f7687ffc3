package worker

import (
	"context"
	"time"

	"github.com/hibiken/asynq"

	"newsdigest/internal/digest"
	"newsdigest/internal/errs"
	"newsdigest/internal/render"
	"newsdigest/internal/tasks"
	"newsdigest/internal/token"
)

// exportLink mails a person the link to a copy of their data, if one is
// due. The claim in Postgres decides, as for the notices, and makes the
// link: a fresh token whose hash alone is stored, so the link exists only
// in this mail.
func (h *handlers) exportLink(ctx context.Context, t *asynq.Task) error {
	var p tasks.ExportLink
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	claim, err := h.db.ClaimExport(ctx, p.SubscriberID, token.New())
	if errs.Is(err, errs.NotFound) {
		return nil // sent already, or the person is gone or not to be mailed
	}
	if err != nil {
		return err
	}
	sub := claim.Subscriber
	msg, err := h.renderer.Export(render.Export{
		Language:       sub.Language,
		ListName:       digest.MastheadOf(h.cfg).ListName,
		DownloadURL:    h.cfg.URL("/export/" + claim.Token),
		ValidFor:       time.Until(claim.ExpiresAt).Round(time.Minute),
		PreferencesURL: h.cfg.URL("/preferences/" + sub.Token),
		UnsubscribeURL: h.cfg.URL("/unsubscribe/" + sub.Token),
		PostalAddress:  h.cfg.OrgPostalAddress,
	})
	return h.sendClaimed(ctx, "data export link", sub, msg, err,
		func(ctx context.Context) error { return h.db.FinishExport(ctx, claim) },
		func(ctx context.Context) error { return h.db.ReleaseExport(ctx, claim) })
}

// requeueExports asks again for export link mails that are due and that
// no task seems to hold; the claim sends each once.
func (h *handlers) requeueExports(ctx context.Context) error {
	ids, err := h.db.UnsentExports(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := h.queue.EnqueueContext(ctx, tasks.NewExportLink(id)); err != nil && !tasks.IsDuplicate(err) {
			return err
		}
	}
	return nil
}
