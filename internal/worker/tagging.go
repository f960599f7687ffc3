package worker

import (
	"context"
	"time"

	"github.com/hibiken/asynq"

	"newsdigest/internal/tagging"
	"newsdigest/internal/tasks"
)

// modelCheckEvery is how often the worker looks for a newer tag model
// (another worker may have trained it): before every feed poll, since
// looking is one indexed query for the newest model's id, and the model
// itself is read only when that changed.
const modelCheckEvery = 0

// retrainTagger trains the tagger's model again from the labelled items
// and the desk's corrections, stores it for the web app and the other
// workers, tags with it from now on, and looks again at the stories not
// yet sent: where it would now tag them differently, it leaves a
// suggestion for an editor.
func (h *handlers) retrainTagger(ctx context.Context, _ *asynq.Task) error {
	start := time.Now()
	m, id, err := tagging.Retrain(ctx, h.db, h.tagger, start)
	if err != nil {
		return err
	}
	h.models.Adopt(id)
	trained := time.Since(start)
	suggested, err := tagging.RefreshSuggestions(ctx, h.db, h.tagger, id)
	if err != nil {
		return err
	}
	h.log.Info("tagger retrained", "model", id, "examples", m.Examples, "desk_examples", m.DeskExamples,
		"took", trained, "suggestions", suggested)
	// A correction saved while this ran may not be in what it read, and
	// its request to retrain was refused as this task's duplicate: ask
	// again. The margin covers an editor's transaction that began, and
	// stamped its row, a little before this one read.
	changed, err := h.db.TagExamplesChangedSince(ctx, start.Add(-retrainMargin))
	if err != nil || !changed {
		return err
	}
	if _, err := h.queue.EnqueueContext(ctx, tasks.NewRetrainTaggerAfter(start)); err != nil && !tasks.IsDuplicate(err) {
		return err
	}
	return nil
}

// retrainMargin is how long before a retraining began a correction may be
// stamped and still be missed by it.
const retrainMargin = 5 * time.Second

// retrainIfNoModel asks for a retraining when no model is stored (a new
// installation, or one whose stored models a migration dropped), so that
// one is stored for every process and the stories not yet sent are
// looked at again with the tagger as it now is, without waiting for an
// editor's correction.
func (w *Worker) retrainIfNoModel(ctx context.Context, queue tasks.Enqueuer) {
	id, err := w.db.LatestTagModelID(ctx)
	if err != nil || id != 0 {
		return
	}
	if _, err := queue.EnqueueContext(ctx, tasks.NewRetrainTagger()); err != nil && !tasks.IsDuplicate(err) {
		w.log.Warn("first tagger retraining not queued", "err", err)
	}
}
