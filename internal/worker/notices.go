package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/postgres"
	"newsdigest/internal/render"
	"newsdigest/internal/schedule"
	"newsdigest/internal/tasks"
	"newsdigest/internal/taxonomy"
)

// notice sends a welcome or known notice if one is due. As for the
// confirmation mail, the claim in Postgres decides, so a retried or
// doubled task sends nothing more; a subscriber who has left since gets
// nothing.
func (h *handlers) notice(ctx context.Context, t *asynq.Task) error {
	var p tasks.Notice
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	if p.Kind != postgres.NoticeWelcome && p.Kind != postgres.NoticeKnown {
		return fmt.Errorf("notice: unknown kind %q: %w", p.Kind, asynq.SkipRetry)
	}
	claim, err := h.db.ClaimNotice(ctx, p.SubscriberID, p.Kind)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	finish := func(ctx context.Context) error { return h.db.FinishNotice(ctx, claim) }
	release := func(ctx context.Context) error { return h.db.ReleaseNotice(ctx, claim) }
	// The welcome names the choices: a failure to read the taxonomy is
	// worth a retry, a failure to render is not.
	tax, err := (&taxonomy.Cache{Source: h.db}).Taxonomy(ctx)
	if err != nil {
		return errors.Join(err, release(context.WithoutCancel(ctx)))
	}
	msg, err := h.renderNotice(claim, tax)
	return h.sendClaimed(ctx, p.Kind+" notice", claim.Subscriber, msg, err, finish, release)
}

// renderNotice makes the claimed notice in the subscriber's language.
func (h *handlers) renderNotice(claim postgres.NoticeClaim, tax *taxonomy.Taxonomy) (render.Message, error) {
	sub := claim.Subscriber
	prefs, unsub := h.cfg.URL("/preferences/"+sub.Token), h.cfg.URL("/unsubscribe/"+sub.Token)
	if claim.Kind == postgres.NoticeKnown {
		return h.renderer.Known(render.Known{Language: sub.Language, ListName: digest.MastheadOf(h.cfg).ListName,
			PreferencesURL: prefs, UnsubscribeURL: unsub, PostalAddress: h.cfg.OrgPostalAddress})
	}
	return h.renderer.Welcome(render.Welcome{
		Language:       sub.Language,
		ListName:       digest.MastheadOf(h.cfg).ListName,
		All:            sub.All,
		Countries:      tax.CountryNames(sub.Language, sub.Countries),
		Topics:         tax.TopicNames(sub.Language, sub.Topics),
		Narrow:         sub.Mode == domain.ModeNarrow,
		DigestLanguage: sub.Language,
		Schedule:       schedule.Describe(h.cfg.DigestCron, h.cfg.DigestTZ, time.Now(), sub.Language),
		PreferencesURL: prefs,
		UnsubscribeURL: unsub,
		PostalAddress:  h.cfg.OrgPostalAddress,
	})
}

// requeueNotices asks again for notices that are due and that no task
// seems to hold; the claim sends each once.
func (h *handlers) requeueNotices(ctx context.Context) error {
	due, err := h.db.UnsentNotices(ctx)
	if err != nil {
		return err
	}
	for _, n := range due {
		if _, err := h.queue.EnqueueContext(ctx, tasks.NewNotice(n.SubscriberID, n.Kind)); err != nil && !tasks.IsDuplicate(err) {
			return err
		}
	}
	return nil
}
