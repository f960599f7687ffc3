// Package tasks names the background jobs and builds them, so the web app
// and the worker agree on types, payloads and task ids.
package tasks

import (
	"context"
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
	TypeTestSend         = "edition:test_send"
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
// RequestID is the sign-up request's id (package reqid), so that the
// worker's log line for the mail carries the same id as the request's.
type ConfirmationMail struct {
	SubscriberID int64  `json:"subscriber_id"`
	RequestID    string `json:"request_id,omitempty"`
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

// TestSend asks to mail one sample digest to the address an editor gave:
// the test send stored under ID (domain.TestSend), which holds the
// address, so that the task, which may stay in Redis for weeks, holds none.
type TestSend struct {
	ID int64 `json:"test_send"`
}

// NewTestSend builds the task; an editor waits for it, so it goes first.
func NewTestSend(id int64) *asynq.Task {
	return newTask(TypeTestSend, TestSend{id}, asynq.Queue(QueueCritical), asynq.MaxRetry(3), asynq.Timeout(2*time.Minute))
}

// NewConfirmationMail builds the task, for the request requestID ("" when
// no request asked for it: the reconciler). Unique keeps a task asked for
// again from queueing twice; two requests (a double-clicked form) make
// two tasks, and the confirmation's claim in storage mails once.
func NewConfirmationMail(id int64, requestID string) *asynq.Task {
	return newTask(TypeConfirmationMail, ConfirmationMail{id, requestID},
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
		asynq.TaskID(CompileEditionID(id)), asynq.MaxRetry(10), asynq.Timeout(30*time.Minute))
}

// CompileEditionID is the task id of an edition's compile, on QueueDefault.
func CompileEditionID(id int64) string { return fmt.Sprintf("compile-%d", id) }

// NewSendBatch builds the task; its id is the batch, so enqueueing a batch
// that is still queued or retrying is a no-op.
func NewSendBatch(edition, first, last int64) *asynq.Task {
	return newTask(TypeSendBatch, SendBatch{edition, first, last},
		asynq.TaskID(SendBatchID(edition, first, last)), asynq.MaxRetry(12), asynq.Timeout(15*time.Minute))
}

// SendBatchID is the task id of a send batch, on QueueDefault.
func SendBatchID(edition, first, last int64) string {
	return fmt.Sprintf("send-%d-%d-%d", edition, first, last)
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

// Enqueuer puts tasks on the queue (an *asynq.Client).
type Enqueuer interface {
	EnqueueContext(ctx context.Context, t *asynq.Task, opts ...asynq.Option) (*asynq.TaskInfo, error)
}

// Inspector is what EnqueueAgain needs of an *asynq.Inspector.
type Inspector interface {
	GetTaskInfo(queue, id string) (*asynq.TaskInfo, error)
	DeleteTask(queue, id string) error
}

// EnqueueAgain enqueues t, whose id is id on queue, for work that the
// database says is unfinished. A task of that id that the queue keeps only
// as a record (archived after its last retry, or kept as completed) would
// refuse it as a duplicate for ever, so that record is deleted first. A
// task still waiting, retrying or running is left to do the work: the
// answer is false then, true when t was enqueued.
func EnqueueAgain(ctx context.Context, q Enqueuer, insp Inspector, t *asynq.Task, queue, id string) (bool, error) {
	_, err := q.EnqueueContext(ctx, t)
	if err == nil {
		return true, nil
	}
	if !IsDuplicate(err) {
		return false, err
	}
	info, err := insp.GetTaskInfo(queue, id)
	switch {
	case errors.Is(err, asynq.ErrTaskNotFound):
		// Gone since the refusal: finished, or deleted by another worker
		// doing the same.
	case err != nil:
		return false, fmt.Errorf("inspect task %s: %w", id, err)
	case info.State != asynq.TaskStateArchived && info.State != asynq.TaskStateCompleted:
		return false, nil
	default:
		if err := insp.DeleteTask(queue, id); err != nil && !errors.Is(err, asynq.ErrTaskNotFound) {
			// Another worker replaced it first and it is running now (an
			// active task cannot be deleted), or Redis faltered: either way
			// the next reconcile looks again.
			return false, nil
		}
	}
	_, err = q.EnqueueContext(ctx, t)
	switch {
	case err == nil:
		return true, nil
	case IsDuplicate(err):
		return false, nil // another worker enqueued it in between
	}
	return false, err
}

// Decode reads a task payload; an undecodable one is never retried.
func Decode(t *asynq.Task, v any) error {
	if err := json.Unmarshal(t.Payload(), v); err != nil {
		return fmt.Errorf("%s: bad payload: %v: %w", t.Type(), err, asynq.SkipRetry)
	}
	return nil
}

// SkipRetry, wrapped in the error of a task's work, says that trying
// again cannot help (asynq.SkipRetry): a mail the relay refused for good,
// a message that does not render. The services wrap it; the worker hands
// the error to the queue as it is.
var SkipRetry = asynq.SkipRetry
