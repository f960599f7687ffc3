package worker

import (
	"context"
	"log/slog"

	"github.com/hibiken/asynq"

	"newsdigest/internal/domain"
	"newsdigest/internal/tasks"
)

// handlers turns each task into one call of a service: they decode the
// payload, and the service does the work (and says, by tasks.SkipRetry,
// when trying again cannot help).
type handlers struct {
	Services
	log *slog.Logger
}

func (h *handlers) register(mux *asynq.ServeMux) {
	mux.HandleFunc(tasks.TypeConfirmationMail, h.confirmationMail)
	mux.HandleFunc(tasks.TypeNotice, h.notice)
	mux.HandleFunc(tasks.TypeExportLink, h.exportLink)
	mux.HandleFunc(tasks.TypeScheduleEdition, h.scheduleEdition)
	mux.HandleFunc(tasks.TypeCompileEdition, h.compileEdition)
	mux.HandleFunc(tasks.TypeSendBatch, h.sendBatch)
	mux.HandleFunc(tasks.TypeReconcile, h.reconcile)
	mux.HandleFunc(tasks.TypeTestSend, h.testSend)
	mux.HandleFunc(tasks.TypePollSource, h.pollSource)
	mux.HandleFunc(tasks.TypeRetrainTagger, h.retrainTagger)
}

// lastAttempt reports whether the queue will not retry this task again.
func lastAttempt(ctx context.Context) bool {
	n, ok1 := asynq.GetRetryCount(ctx)
	max, ok2 := asynq.GetMaxRetry(ctx)
	return ok1 && ok2 && n >= max
}

// confirmationMail sends the double opt-in mail if one is due
// (subscribers.Service.SendConfirmation).
func (h *handlers) confirmationMail(ctx context.Context, t *asynq.Task) error {
	var p tasks.ConfirmationMail
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	return h.Subscribers.SendConfirmation(ctx, p.SubscriberID)
}

// notice sends a welcome or known notice if one is due.
func (h *handlers) notice(ctx context.Context, t *asynq.Task) error {
	var p tasks.Notice
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	return h.Subscribers.SendNotice(ctx, p.SubscriberID, p.Kind)
}

// exportLink mails a person the link to a copy of their data, if one is
// due.
func (h *handlers) exportLink(ctx context.Context, t *asynq.Task) error {
	var p tasks.ExportLink
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	return h.Subscribers.SendExportLink(ctx, p.SubscriberID)
}

func (h *handlers) scheduleEdition(ctx context.Context, t *asynq.Task) error {
	var p tasks.ScheduleEdition
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	return h.Editions.MakeScheduled(ctx, p.ScheduledFor)
}

func (h *handlers) compileEdition(ctx context.Context, t *asynq.Task) error {
	var p tasks.CompileEdition
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	return h.Editions.Compile(ctx, p.EditionID, lastAttempt(ctx))
}

func (h *handlers) sendBatch(ctx context.Context, t *asynq.Task) error {
	var p tasks.SendBatch
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	return h.Editions.SendBatch(ctx, p.EditionID, domain.IDRange{First: p.First, Last: p.Last}, lastAttempt(ctx))
}

// testSend mails an editor a sample digest.
func (h *handlers) testSend(ctx context.Context, t *asynq.Task) error {
	var p tasks.TestSend
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	return h.Editions.SendTest(ctx, p.ID, lastAttempt(ctx))
}

// pollSource fetches a source and imports what it holds.
func (h *handlers) pollSource(ctx context.Context, t *asynq.Task) error {
	var p tasks.PollSource
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	return h.Items.PollSource(ctx, p.SourceID, p.Due)
}

// retrainTagger trains the tagger again from the desk's corrections.
func (h *handlers) retrainTagger(ctx context.Context, t *asynq.Task) error {
	var p tasks.RetrainTagger
	if err := tasks.Decode(t, &p); err != nil {
		return err
	}
	return h.Items.Retrain(ctx, p)
}

// reconcile re-queues what Postgres says is unfinished and Redis may have
// lost: due polls, the mails to people no task holds, editions waiting to
// compile and send batches no worker holds; and deletes the sign-ups
// never confirmed in time (docs/privacy.md). Each part is on its own: a
// failure in one (logged, and tried again at the next reconcile) does not
// hold up the others.
func (h *handlers) reconcile(ctx context.Context, _ *asynq.Task) error {
	if err := h.Items.EnqueueDuePolls(ctx); err != nil {
		h.log.Warn("reconcile: queue due polls", "err", err)
	}
	h.Subscribers.Reconcile(ctx)
	return h.Editions.Reconcile(ctx)
}
