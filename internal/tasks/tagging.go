package tasks

import (
	"time"

	"github.com/hibiken/asynq"
)

// TypeRetrainTagger trains the tagger's model again from the labelled
// items and the desk's corrections.
const TypeRetrainTagger = "tagging:retrain"

// RetrainDelay is how long a retraining waits after the correction that
// asked for it, so that an editor's run of corrections makes one.
const RetrainDelay = 30 * time.Second

// NewRetrainTagger builds the task. It is unique while it waits: the
// corrections made meanwhile are all in it, and asking again is refused
// as a duplicate. The lock goes when it is done, or after a few minutes
// if it failed for good, so a later correction can always ask again.
func NewRetrainTagger() *asynq.Task {
	return newTask(TypeRetrainTagger, struct{}{},
		asynq.Unique(RetrainDelay+5*time.Minute), asynq.ProcessIn(RetrainDelay), asynq.MaxRetry(3), asynq.Timeout(5*time.Minute))
}
