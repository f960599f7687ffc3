// Package overview is the desk at a glance, as the console's dashboard
// and queues pages show it: subscribers by status, country and topic, the
// last and next editions and those skipped, this week's items, failing
// sources (Service.Dashboard), and the task queues' state (Queues).
package overview

import (
	"slices"

	"github.com/hibiken/asynq"

	"newsdigest/internal/errs"
	"newsdigest/internal/mail"
	"newsdigest/internal/tasks"
)

// QueueInspector is what the queues' overview reads of an
// *asynq.Inspector.
type QueueInspector interface {
	Queues() ([]string, error)
	GetQueueInfo(queue string) (*asynq.QueueInfo, error)
	ListArchivedTasks(queue string, opts ...asynq.ListOption) ([]*asynq.TaskInfo, error)
	ListRetryTasks(queue string, opts ...asynq.ListOption) ([]*asynq.TaskInfo, error)
}

// QueueState is one queue's figures; a queue the worker uses that has
// never held a task shows as empty.
type QueueState struct {
	asynq.QueueInfo
	// Waiting is what is still to do: pending, active, scheduled and
	// retrying tasks.
	Waiting int
}

// Queues returns the state of the worker's queues and of any other queue
// Redis holds, in name order.
func Queues(insp QueueInspector) ([]QueueState, error) {
	names, err := insp.Queues()
	if err != nil {
		return nil, errs.Wrap(errs.Unavailable, err, "queues unavailable")
	}
	known := slices.Clone(names)
	for q := range tasks.Queues {
		if !slices.Contains(names, q) {
			names = append(names, q)
		}
	}
	slices.Sort(names)
	var out []QueueState
	for _, q := range names {
		if !slices.Contains(known, q) {
			out = append(out, QueueState{QueueInfo: asynq.QueueInfo{Queue: q}})
			continue
		}
		info, err := insp.GetQueueInfo(q)
		if err != nil {
			return nil, errs.Wrap(errs.Unavailable, err, "queue "+q+" unavailable")
		}
		out = append(out, QueueState{QueueInfo: *info,
			Waiting: info.Pending + info.Active + info.Scheduled + info.Retry})
	}
	return out, nil
}

// QueueTasks are a queue's tasks that need a look: those given up on
// (archived) and those waiting to be tried again, the newest failures
// first, at most limit of each. Their last errors name no address: the
// queues' page is open to every editor, and an address is for those who
// manage subscribers (the tasks' own errors are summed up without one,
// mail.Summary; this holds for any other).
type QueueTasks struct {
	Queue    string
	Archived []*asynq.TaskInfo
	Retry    []*asynq.TaskInfo
}

// TroubledTasks lists, per queue, the archived and retrying tasks.
func TroubledTasks(insp QueueInspector, queues []QueueState, limit int) ([]QueueTasks, error) {
	var out []QueueTasks
	for _, q := range queues {
		qt := QueueTasks{Queue: q.Queue}
		if q.Archived > 0 {
			ts, err := insp.ListArchivedTasks(q.Queue, asynq.PageSize(limit))
			if err != nil {
				return nil, errs.Wrap(errs.Unavailable, err, "archived tasks unavailable")
			}
			qt.Archived = newestFailureFirst(ts)
		}
		if q.Retry > 0 {
			ts, err := insp.ListRetryTasks(q.Queue, asynq.PageSize(limit))
			if err != nil {
				return nil, errs.Wrap(errs.Unavailable, err, "retrying tasks unavailable")
			}
			qt.Retry = newestFailureFirst(ts)
		}
		out = append(out, qt)
	}
	return out, nil
}

func newestFailureFirst(ts []*asynq.TaskInfo) []*asynq.TaskInfo {
	for _, t := range ts {
		t.LastErr = mail.WithoutAddresses(t.LastErr)
	}
	slices.SortStableFunc(ts, func(a, b *asynq.TaskInfo) int { return b.LastFailedAt.Compare(a.LastFailedAt) })
	return ts
}
