package tasks

import (
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// TypePollSource fetches a registered source and imports what is new.
const TypePollSource = "source:poll"

// PollSource asks for one poll of a source: the one due at Due, the
// source's next_poll_at when the poll was asked for. A worker polls only
// if that is still the source's next poll, so a slot is polled once.
type PollSource struct {
	SourceID int64     `json:"source_id"`
	Due      time.Time `json:"due"`
}

// NewPollSource builds the task; its id is the source and the slot, so the
// web app and every worker's reconciler asking for the same poll make one
// task. A poll that fails records the error on the source and waits for
// its next slot rather than retrying; only failing to reach the database
// is retried.
func NewPollSource(source int64, due time.Time) *asynq.Task {
	return newTask(TypePollSource, PollSource{source, due},
		asynq.TaskID(PollSourceID(source, due)),
		asynq.MaxRetry(3), asynq.Timeout(2*time.Minute))
}

// PollSourceID is the task id of a source's poll for its slot due, on
// QueueDefault.
func PollSourceID(source int64, due time.Time) string {
	return fmt.Sprintf("poll-%d-%d", source, due.Unix())
}
