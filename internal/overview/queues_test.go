package overview

import (
	"testing"

	"github.com/hibiken/asynq"
)

// failedInspector holds one queue with one archived task.
type failedInspector struct{ task *asynq.TaskInfo }

func (f failedInspector) Queues() ([]string, error) { return []string{"default"}, nil }
func (f failedInspector) GetQueueInfo(q string) (*asynq.QueueInfo, error) {
	return &asynq.QueueInfo{Queue: q, Archived: 1}, nil
}
func (f failedInspector) ListArchivedTasks(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error) {
	return []*asynq.TaskInfo{f.task}, nil
}
func (f failedInspector) ListRetryTasks(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error) {
	return nil, nil
}

// TestTroubledTasksNameNoAddress: a task's last error that quotes an
// address (a relay's words, a library's) is listed without it.
func TestTroubledTasksNameNoAddress(t *testing.T) {
	insp := failedInspector{&asynq.TaskInfo{Type: "mail:confirm", ID: "1",
		LastErr: "550 5.1.1 <reader.name+news@example.org>: mailbox unavailable"}}
	qs := []QueueState{{QueueInfo: asynq.QueueInfo{Queue: "default", Archived: 1}}}
	out, err := TroubledTasks(insp, qs, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := out[0].Archived[0].LastErr, "550 5.1.1 <(address)>: mailbox unavailable"; got != want {
		t.Errorf("last error listed as %q, want %q", got, want)
	}
}
