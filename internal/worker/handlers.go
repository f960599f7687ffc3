package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/hibiken/asynq"

	"newsdigest/internal/config"
	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/errs"
	"newsdigest/internal/mail"
	"newsdigest/internal/postgres"
	"newsdigest/internal/render"
	"newsdigest/internal/tagging"
	"newsdigest/internal/tasks"
)

// handlers holds what the task handlers need.
type handlers struct {
	cfg      *config.Config
	db       *postgres.DB
	queue    *asynq.Client
	inspect  *asynq.Inspector // to replace tasks that used up their retries
	editions *editions.Service
	renderer *render.Renderer
	mailer   editions.Mailer
	log      *slog.Logger
	// tagger tags polled items; models keeps it on the newest tag model.
	tagger *tagging.Tagger
	models *tagging.Follower
}

func (h *handlers) register(mux *asynq.ServeMux) {
	mux.HandleFunc(tasks.TypeConfirmationMail, h.confirmationMail)
	mux.HandleFunc(tasks.TypeNotice, h.notice)         // notices.go
	mux.HandleFunc(tasks.TypeExportLink, h.exportLink) // export.go
	mux.HandleFunc(tasks.TypeScheduleEdition, h.scheduleEdition)
	mux.HandleFunc(tasks.TypeCompileEdition, h.compileEdition)
	mux.HandleFunc(tasks.TypeSendBatch, h.sendBatch)
	mux.HandleFunc(tasks.TypeReconcile, h.reconcile)
	mux.HandleFunc(tasks.TypeTestSend, h.testSend)
	mux.Handle(tasks.TypePollSource, newPoller(h))           // poll.go
	mux.HandleFunc(tasks.TypeRetrainTagger, h.retrainTagger) // tagging.go
}

// lastAttempt reports whether the queue will not retry this task again.
func lastAttempt(ctx context.Context) bool {
	n, ok1 := asynq.GetRetryCount(ctx)
	max, ok2 := asynq.GetMaxRetry(ctx)
	return ok1 && ok2 && n >= max
}

// confirmationMail sends the double opt-in mail if one is due. The claim
// in Postgres, not the task, decides: however many tasks ask for one
// address, one mail goes out per window. A temporary failure gives the
// claim back before the task is retried; a permanent one ends the request.
func (h *handlers) confirmationMail(ctx context.Context, t *asynq.Task) error {
	var p tasks.ConfirmationMail
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	claim, err := h.db.ClaimConfirmation(ctx, p.SubscriberID)
	if errs.Is(err, errs.NotFound) {
		return nil // sent or being sent already, confirmed, left or expired
	}
	if err != nil {
		return err
	}
	sub := claim.Subscriber
	msg, err := h.renderer.Confirmation(render.Confirmation{
		Language:      sub.Language,
		ListName:      digest.MastheadOf(h.cfg).ListName,
		ConfirmURL:    h.cfg.URL("/confirm/" + claim.ConfirmToken),
		PostalAddress: h.cfg.OrgPostalAddress,
	})
	return h.sendClaimed(ctx, "confirmation mail", sub, msg, err,
		func(ctx context.Context) error { return h.db.FinishConfirmation(ctx, claim) },
		func(ctx context.Context) error { return h.db.ReleaseConfirmation(ctx, claim) })
}

// sendClaimed sends a one-off mail to sub whose claim Postgres holds, msg
// as rendered (renderErr its rendering's error). finish ends the claim
// once the mail went out, or can never go (it would not render, or the
// relay refused it for good); release gives it back after a temporary
// failure, so the retry claims it again. Were the release lost, the claim
// would lapse after its window and the reconciler ask again.
func (h *handlers) sendClaimed(ctx context.Context, what string, sub domain.Subscriber, msg render.Message, renderErr error,
	finish, release func(context.Context) error) error {
	// The outcome is recorded even if the worker is shutting down.
	record := context.WithoutCancel(ctx)
	if renderErr != nil {
		return errors.Join(fmt.Errorf("render %s: %v: %w", what, renderErr, asynq.SkipRetry), finish(record))
	}
	err := h.mailer.Send(ctx, &mail.Message{
		To: sub.Email, Subject: msg.Subject, HTML: msg.HTML, Text: msg.Text, Language: sub.Language,
		Headers: map[string]string{"Auto-Submitted": "auto-generated"},
	})
	if err != nil {
		// The relay's words often quote the address: neither the log nor
		// the queue, which keeps a failed task for weeks beyond the reach
		// of an erasure, gets more than sendFailure's summary.
		if mail.ClassOf(err) != mail.Temporary {
			h.log.Warn(what+" refused", "subscriber", sub.ID, "failure", mail.Summary(err))
			return errors.Join(fmt.Errorf("%s refused (%s): %w", what, mail.Summary(err), asynq.SkipRetry), finish(record))
		}
		return errors.Join(fmt.Errorf("%s: %s", what, mail.Summary(err)), release(record))
	}
	return finish(record)
}

func (h *handlers) scheduleEdition(ctx context.Context, t *asynq.Task) error {
	var p tasks.ScheduleEdition
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	return h.editions.MakeScheduled(ctx, p.ScheduledFor)
}

func (h *handlers) compileEdition(ctx context.Context, t *asynq.Task) error {
	var p tasks.CompileEdition
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	return h.editions.Compile(ctx, p.EditionID, lastAttempt(ctx))
}

func (h *handlers) sendBatch(ctx context.Context, t *asynq.Task) error {
	var p tasks.SendBatch
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	return h.editions.SendBatch(ctx, p.EditionID, domain.IDRange{First: p.First, Last: p.Last}, lastAttempt(ctx))
}

// testSend mails an editor a sample digest (editions.Service.SendTest).
func (h *handlers) testSend(ctx context.Context, t *asynq.Task) error {
	var p tasks.TestSend
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	return h.editions.SendTest(ctx, p.ID)
}

// reconcile re-queues what Postgres says is unfinished and Redis may have
// lost: editions waiting to compile, and send batches with deliveries that
// no worker holds. It also deletes sign-ups never confirmed within
// domain.PendingKeptFor (docs/privacy.md).
func (h *handlers) reconcile(ctx context.Context, _ *asynq.Task) error {
	// Each part is on its own: a failure in one (logged, and tried again
	// at the next reconcile) must not hold up the others, nor one edition
	// another.
	if err := h.enqueueDuePolls(ctx); err != nil { // feed polling (poll.go)
		h.log.Warn("reconcile: queue due polls", "err", err)
	}
	if err := h.requeueConfirmations(ctx); err != nil {
		h.log.Warn("reconcile: re-queue confirmation mails", "err", err)
	}
	if err := h.requeueNotices(ctx); err != nil { // notices.go
		h.log.Warn("reconcile: re-queue notices", "err", err)
	}
	if err := h.requeueExports(ctx); err != nil { // export.go
		h.log.Warn("reconcile: re-queue export links", "err", err)
	}
	if n, err := h.db.PurgeUnconfirmed(ctx); err != nil {
		h.log.Warn("reconcile: purge unconfirmed sign-ups", "err", err)
	} else if n > 0 {
		h.log.Info("purged unconfirmed sign-ups", "count", n)
	}
	return h.editions.Reconcile(ctx)
}

// requeueConfirmations asks again for confirmation mails that are due and
// that no task seems to hold (lost with Redis, out of retries, or held by
// a worker that died). A task too many is harmless: the claim in
// confirmationMail sends each due mail once.
func (h *handlers) requeueConfirmations(ctx context.Context) error {
	ids, err := h.db.UnsentConfirmations(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := h.queue.EnqueueContext(ctx, tasks.NewConfirmationMail(id)); err != nil && !tasks.IsDuplicate(err) {
			return err
		}
	}
	return nil
}
