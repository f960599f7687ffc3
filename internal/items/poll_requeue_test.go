package items

import (
	"context"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"newsdigest/internal/domain"
	"newsdigest/internal/tasks"
	"newsdigest/internal/testenv"
)

// TestSpentPollTaskIsReplaced: a poll whose every attempt failed to
// reach the database leaves its source due, and its task archived under
// the slot's id. The worker's reconciler replaces it, so the source is
// polled again rather than refused as a duplicate while the queue keeps
// the spent task (up to 90 days).
func TestSpentPollTaskIsReplaced(t *testing.T) {
	t.Parallel()
	redis, err := asynq.ParseRedisURI(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := asynq.NewClient(redis)
	defer q.Close()
	insp := asynq.NewInspector(redis)
	defer insp.Close()
	s, db := testService(t, nil, q)
	ctx := context.Background()
	src, err := db.CreateSource(ctx, domain.NewSource{URL: "https://feeds.example.org/news.xml", Kind: domain.SourceFeed, Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, `UPDATE sources SET next_poll_at = now() - interval '1 minute' WHERE id = $1`, src.ID); err != nil {
		t.Fatal(err)
	}
	due, err := db.DueSources(ctx, 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("due sources %v, %v; want the one", due, err)
	}
	id := tasks.PollSourceID(src.ID, due[0].Due)
	state := func() asynq.TaskState {
		t.Helper()
		info, err := insp.GetTaskInfo(tasks.QueueDefault, id)
		if err != nil {
			t.Fatalf("task %s: %v", id, err)
		}
		return info.State
	}

	if err := s.EnqueueDuePolls(ctx); err != nil {
		t.Fatal(err)
	}
	if err := insp.ArchiveTask(tasks.QueueDefault, id); err != nil {
		t.Fatal(err)
	}
	// The web process has no inspector: it leaves the task as it is.
	if err := s.EnqueueDuePolls(ctx); err != nil {
		t.Fatal(err)
	}
	if st := state(); st != asynq.TaskStateArchived {
		t.Fatalf("without an inspector the task is %v, want it left archived", st)
	}
	s.inspect = insp
	if err := s.EnqueueDuePolls(ctx); err != nil {
		t.Fatal(err)
	}
	if st := state(); st != asynq.TaskStatePending {
		t.Errorf("after the worker's reconcile the spent poll is %v, want it queued again", st)
	}
}
