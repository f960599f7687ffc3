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
	return newRetrain(RetrainTagger{})
}

// RetrainTagger is the retraining task's payload.
type RetrainTagger struct {
	// After, when set, makes the task a retraining that follows the one
	// begun then, under a key of its own: a correction that came in while
	// that one ran was refused as its duplicate. It trains only if a
	// correction was saved since.
	After int64 `json:"after,omitempty"` // Unix nanoseconds
}

// NewRetrainTaggerAfter builds the retraining that follows one begun at
// start, for the corrections made while it ran, if any.
func NewRetrainTaggerAfter(start time.Time) *asynq.Task {
	return newRetrain(RetrainTagger{After: start.UnixNano()})
}

func newRetrain(p RetrainTagger) *asynq.Task {
	return newTask(TypeRetrainTagger, p,
		asynq.Unique(RetrainDelay+5*time.Minute), asynq.ProcessIn(RetrainDelay), asynq.MaxRetry(3), asynq.Timeout(5*time.Minute))
}
