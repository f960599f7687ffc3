package tasks

import (
	"time"

	"github.com/hibiken/asynq"
)

// TypeNotice asks for a one-off mail to an active subscriber: the welcome
// after a confirmation, or the reminder of their preferences link when
// their address is signed up again (domain.NoticeWelcome, NoticeKnown).
const TypeNotice = "subscriber:notice"

// Notice is the payload of TypeNotice.
type Notice struct {
	SubscriberID int64  `json:"subscriber_id"`
	Kind         string `json:"kind"`
}

// NewNotice builds the task. A person is waiting for it, so it goes
// first; the claim in Postgres, not the task, keeps it to one mail.
func NewNotice(id int64, kind string) *asynq.Task {
	return newTask(TypeNotice, Notice{id, kind},
		asynq.Queue(QueueCritical), asynq.MaxRetry(10), asynq.Unique(time.Minute))
}
