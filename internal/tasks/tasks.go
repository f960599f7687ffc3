// Package tasks names the background jobs and builds them, so the web app
// and the worker agree on types, payloads and task ids.
package tasks

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// Task types.
const (
	TypeConfirmationMail = "subscriber:confirmation_mail"
	TypeScheduleEdition  = "edition:schedule"
	TypeCompileEdition   = "edition:compile"
	TypeSendBatch        = "edition:send_batch"
	TypeReconcile        = "edition:reconcile"
)

// Queues, by priority: a person waiting for a confirmation link comes
// before the weekly send.
const (
	QueueCritical = "critical"
	QueueDefault  = "default"
)

// Queues is the asynq queue priority map for the worker.
var Queues = map[string]int{QueueCritical: 6, QueueDefault: 3}

// ConfirmationMail asks for the double opt-in mail to a pending subscriber.
type ConfirmationMail struct {
	SubscriberID int64 `json:"subscriber_id"`
}

// ScheduleEdition asks for the edition of one cron tick.
type ScheduleEdition struct {
	ScheduledFor time.Time `json:"scheduled_for"`
}

// CompileEdition asks to compile an edition into deliveries.
type CompileEdition struct {
	EditionID int64 `json:"edition_id"`
}

// SendBatch asks to send one batch of an edition's deliveries: the ids
// from First to Last.
type SendBatch struct {
	EditionID int64 `json:"edition_id"`
	First     int64 `json:"first"`
	Last      int64 `json:"last"`
}

// NewConfirmationMail builds the task. Unique keeps a double-clicked form
// from mailing twice.
func NewConfirmationMail(id int64) *asynq.Task {
	return newTask(TypeConfirmationMail, ConfirmationMail{id},
		asynq.Queue(QueueCritical), asynq.MaxRetry(10), asynq.Unique(time.Minute))
}

// NewScheduleEdition builds the task for one tick; its id is the tick, so
// every worker's scheduler asking for the same tick makes one task.
func NewScheduleEdition(tick time.Time) *asynq.Task {
	return newTask(TypeScheduleEdition, ScheduleEdition{tick.UTC()},
		asynq.TaskID(fmt.Sprintf("schedule-%d", tick.Unix())), asynq.Retention(24*time.Hour), asynq.MaxRetry(20))
}

// NewCompileEdition builds the task; one per edition at a time.
func NewCompileEdition(id int64) *asynq.Task {
	return newTask(TypeCompileEdition, CompileEdition{id},
		asynq.TaskID(fmt.Sprintf("compile-%d", id)), asynq.MaxRetry(10), asynq.Timeout(30*time.Minute))
}

// NewSendBatch builds the task; its id is the batch, so enqueueing a batch
// that is still queued or retrying is a no-op.
func NewSendBatch(edition, first, last int64) *asynq.Task {
	return newTask(TypeSendBatch, SendBatch{edition, first, last},
		asynq.TaskID(fmt.Sprintf("send-%d-%d-%d", edition, first, last)), asynq.MaxRetry(12), asynq.Timeout(15*time.Minute))
}

// NewReconcile builds the periodic check for unfinished work; one per
// period however many workers ask.
func NewReconcile(period time.Time) *asynq.Task {
	return newTask(TypeReconcile, struct{}{},
		asynq.TaskID(fmt.Sprintf("reconcile-%d", period.Unix())), asynq.MaxRetry(0), asynq.Retention(10*time.Minute))
}

func newTask(typ string, payload any, opts ...asynq.Option) *asynq.Task {
	b, err := json.Marshal(payload)
	if err != nil {
		panic(fmt.Sprintf("tasks: marshal %s: %v", typ, err)) // payloads are plain structs
	}
	return asynq.NewTask(typ, b, opts...)
}

// IsDuplicate reports whether an enqueue was refused because the same task
// is already on the queue: the work is asked for already.
func IsDuplicate(err error) bool {
	return errors.Is(err, asynq.ErrTaskIDConflict) || errors.Is(err, asynq.ErrDuplicateTask)
}

// Decode reads a task payload; an undecodable one is never retried.
func Decode(t *asynq.Task, v any) error {
	if err := json.Unmarshal(t.Payload(), v); err != nil {
		return fmt.Errorf("%s: bad payload: %v: %w", t.Type(), err, asynq.SkipRetry)
	}
	return nil
}
