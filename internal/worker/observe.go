package worker

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/textproto"
	"time"

	"github.com/hibiken/asynq"

	"newsdigest/internal/editions"
	"newsdigest/internal/mail"
	"newsdigest/internal/metrics"
	"newsdigest/internal/reqid"
	"newsdigest/internal/tasks"
)

// errStopped ends a task the worker gave up because it was told to stop:
// the queue runs it again, and does not count it as a failure
// (asynq.Config.IsFailure) nor against its retries.
var errStopped = errors.New("the worker is stopping")

// taskTypes are the types the worker handles, whose series show from the
// start.
var taskTypes = []string{
	tasks.TypeConfirmationMail, tasks.TypeNotice, tasks.TypeExportLink, tasks.TypeScheduleEdition,
	tasks.TypeCompileEdition, tasks.TypeSendBatch, tasks.TypeReconcile, tasks.TypeTestSend,
	tasks.TypePollSource, tasks.TypeRetrainTagger,
}

// observe wraps every handler: it carries the request id of the task's
// payload (a sign-up's confirmation mail) and the worker's stop into the
// context, and once the task ends writes one log line and counts it.
// The line names the task's type, never its payload, so that no address
// or token reaches the log.
func (w *Worker) observe(stopping <-chan struct{}) asynq.MiddlewareFunc {
	return func(next asynq.Handler) asynq.Handler {
		return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
			start := time.Now()
			id := requestIDIn(t.Payload())
			ctx = editions.WithStop(reqid.With(ctx, id), stopping)
			err := next.ProcessTask(ctx, t)
			select {
			case <-stopping:
				if err != nil && !errors.Is(err, asynq.SkipRetry) {
					err = errors.Join(errStopped, err)
				}
			default:
			}
			d := time.Since(start)
			outcome := taskOutcome(ctx, err)
			w.metrics.Task(t.Type(), outcome, d)
			attrs := []slog.Attr{slog.String("type", t.Type()), slog.String("outcome", outcome), slog.Duration("duration", d)}
			if id != "" {
				attrs = append(attrs, slog.String("request_id", id))
			}
			if tid, ok := asynq.GetTaskID(ctx); ok {
				attrs = append(attrs, slog.String("task_id", tid))
			}
			level := slog.LevelInfo
			if outcome == metrics.TaskRetry || outcome == metrics.TaskFailed {
				// The error may quote a relay's reply, which can name the
				// recipient: it goes at warning level, never at info.
				level = slog.LevelWarn
				attrs = append(attrs, slog.String("err", err.Error()))
			}
			w.log.LogAttrs(ctx, level, "task", attrs...)
			return err
		})
	}
}

// taskOutcome says how a task ended, for its log line and its count.
func taskOutcome(ctx context.Context, err error) string {
	switch {
	case err == nil:
		return metrics.TaskOK
	case errors.Is(err, errStopped):
		return metrics.TaskStopped
	case errors.Is(err, asynq.SkipRetry) || lastAttempt(ctx):
		return metrics.TaskFailed
	}
	return metrics.TaskRetry
}

// isFailure is asynq's IsFailure: a task given up because the worker
// stopped is not a failure.
func isFailure(err error) bool { return !errors.Is(err, errStopped) }

// requestIDIn reads the request id a payload carries (tasks whose payload
// has a request_id field), or "". An id longer or odder than the web app
// makes is not believed.
func requestIDIn(payload []byte) string {
	var p struct {
		RequestID string `json:"request_id"`
	}
	if json.Unmarshal(payload, &p) != nil || len(p.RequestID) > 64 {
		return ""
	}
	for _, c := range p.RequestID {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return ""
		}
	}
	return p.RequestID
}

// CountReplies wraps the production Mailer so that every message handed
// to the relay counts one reply, by class: 2xx when it was taken, 4xx or
// 5xx as the relay answered, network when no answer came.
func CountReplies(m *mail.Pool, set *metrics.Set) *CountingMailer {
	return &CountingMailer{pool: m, set: set}
}

// CountingMailer is a *mail.Pool whose sends are counted. The pool is a
// field, not embedded: a send method it gains is not reachable here until
// it is counted (an embedded pool let the digests' SendSharedAs past the
// count, and the relay's replies to every digest went unseen).
type CountingMailer struct {
	pool *mail.Pool
	set  *metrics.Set
}

// Send sends one message and counts the reply.
func (c *CountingMailer) Send(ctx context.Context, m *mail.Message) error {
	err := c.pool.Send(ctx, m)
	c.count(ctx, err)
	return err
}

// SendShared sends a prepared message and counts the reply.
func (c *CountingMailer) SendShared(ctx context.Context, s *mail.Shared, to, token string) error {
	err := c.pool.SendShared(ctx, s, to, token)
	c.count(ctx, err)
	return err
}

// SendSharedAs sends a prepared message with its delivery's envelope (a
// digest) and counts the reply.
func (c *CountingMailer) SendSharedAs(ctx context.Context, s *mail.Shared, to, token string, env mail.Envelope) error {
	err := c.pool.SendSharedAs(ctx, s, to, token, env)
	c.count(ctx, err)
	return err
}

func (c *CountingMailer) count(ctx context.Context, err error) {
	if err != nil && ctx.Err() != nil {
		return // not sent: the task ended first; no reply to count
	}
	c.set.SMTPReply(replyClass(err))
}

// replyClass is the class of a send's outcome.
func replyClass(err error) string {
	if err == nil {
		return metrics.Reply2xx
	}
	var reply *textproto.Error
	if errors.As(err, &reply) {
		switch reply.Code / 100 {
		case 4:
			return metrics.Reply4xx
		case 5:
			return metrics.Reply5xx
		}
	}
	if mail.ClassOf(err) == mail.Permanent {
		return metrics.Reply5xx // refused before any reply (an address the relay could not take)
	}
	return metrics.ReplyNetwork
}
