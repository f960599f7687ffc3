package tasks

import (
	"time"

	"github.com/hibiken/asynq"
)

// TypeExportLink asks for the mail that brings a person a link to a copy
// of their data, which they asked for on their preferences page.
const TypeExportLink = "subscriber:export_link"

// ExportLink is the payload of TypeExportLink: the subscriber's id, never
// their address.
type ExportLink struct {
	SubscriberID int64 `json:"subscriber_id"`
}

// NewExportLink builds the task. A person is waiting for it, so it goes
// first; the claim in Postgres, not the task, keeps it to one mail.
func NewExportLink(id int64) *asynq.Task {
	return newTask(TypeExportLink, ExportLink{id},
		asynq.Queue(QueueCritical), asynq.MaxRetry(10), asynq.Unique(time.Minute))
}
