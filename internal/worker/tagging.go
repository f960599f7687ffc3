package worker

import (
	"context"
	"time"

	"github.com/hibiken/asynq"

	"newsdigest/internal/tagging"
)

// modelCheckEvery is how often the worker looks for a newer tag model
// (another worker may have trained it).
const modelCheckEvery = 30 * time.Second

// retrainTagger trains the tagger's model again from the labelled items
// and the desk's corrections, stores it for the web app and the other
// workers, and tags with it from now on.
func (h *handlers) retrainTagger(ctx context.Context, _ *asynq.Task) error {
	start := time.Now()
	m, err := tagging.Retrain(ctx, h.db, h.tagger, start)
	if err != nil {
		return err
	}
	h.log.Info("tagger retrained", "examples", m.Examples, "topics", len(m.Topics), "took", time.Since(start))
	return nil
}
