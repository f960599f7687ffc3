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
	compiler *digest.Compiler
	sender   *digest.Sender
	renderer *render.Renderer
	mailer   digest.Mailer
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
	mux.HandleFunc(tasks.TypeTestSend, h.testSend)           // test_send.go
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
			h.log.Warn(what+" refused", "subscriber", sub.ID, "failure", sendFailure(err))
			return errors.Join(fmt.Errorf("%s refused (%s): %w", what, sendFailure(err), asynq.SkipRetry), finish(record))
		}
		return errors.Join(fmt.Errorf("%s: %s", what, sendFailure(err)), release(record))
	}
	return finish(record)
}

func (h *handlers) scheduleEdition(ctx context.Context, t *asynq.Task) error {
	var p tasks.ScheduleEdition
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	e, created, err := h.db.CreateEdition(ctx, postgres.NewEdition{ScheduledFor: &p.ScheduledFor})
	if err != nil {
		return err
	}
	if created {
		h.log.Info("scheduled edition created", "edition", e.ID, "tick", p.ScheduledFor, "items", e.Items)
	}
	return h.enqueueCompile(ctx, e)
}

// enqueueCompile asks for an edition's compile unless one is waiting or
// running; a compile task that used up its retries without moving the
// edition on is replaced.
func (h *handlers) enqueueCompile(ctx context.Context, e domain.Edition) error {
	if e.Status != domain.EditionQueued && e.Status != domain.EditionCompiling {
		return nil
	}
	_, err := tasks.EnqueueAgain(ctx, h.queue, h.inspect, tasks.NewCompileEdition(e.ID), tasks.QueueDefault, tasks.CompileEditionID(e.ID))
	return err
}

func (h *handlers) compileEdition(ctx context.Context, t *asynq.Task) error {
	var p tasks.CompileEdition
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	err := h.compiler.Compile(ctx, p.EditionID)
	if err != nil && lastAttempt(ctx) {
		h.log.Error("edition failed", "edition", p.EditionID, "err", err)
		if _, ferr := h.db.FailEdition(context.WithoutCancel(ctx), p.EditionID, "compile failed: "+err.Error()); ferr != nil {
			return errors.Join(err, ferr)
		}
	}
	return err
}

func (h *handlers) sendBatch(ctx context.Context, t *asynq.Task) error {
	var p tasks.SendBatch
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	return h.sender.SendBatch(ctx, p.EditionID, postgres.IDRange{First: p.First, Last: p.Last}, lastAttempt(ctx))
}

// reconcile re-queues what Postgres says is unfinished and Redis may have
// lost: editions waiting to compile, and send batches with deliveries that
// no worker holds. It also deletes sign-ups never confirmed within
// postgres.PendingKeptFor (docs/privacy.md).
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
	editions, err := h.db.UnfinishedEditions(ctx)
	if err != nil {
		return err
	}
	var failed error
	for _, e := range editions {
		if err := h.reconcileEdition(ctx, e); err != nil {
			h.log.Warn("reconcile: edition", "edition", e.ID, "err", err)
			failed = errors.Join(failed, err)
		}
	}
	return failed
}

// reconcileEdition asks again for what an unfinished edition needs next.
func (h *handlers) reconcileEdition(ctx context.Context, e domain.Edition) error {
	switch e.Status {
	case domain.EditionQueued, domain.EditionCompiling:
		return h.enqueueCompile(ctx, e)
	case domain.EditionSending:
		n, err := digest.EnqueueBatches(ctx, h.db, h.queue, h.inspect, e.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			h.log.Info("reconciler re-queued send batches", "edition", e.ID, "batches", n)
		}
		_, err = h.db.FinishEditionIfComplete(ctx, e.ID)
		return err
	}
	return nil
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
