package items

import (
	"context"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"newsdigest/internal/domain"
	"newsdigest/internal/tasks"
	"newsdigest/internal/testenv"
)

// A correction saved at the very end of a retraining, after it looked
// for corrections made while it ran but before its task let go of the
// queue's lock, is refused as that task's duplicate. It must still be
// learnt: every retraining is followed by a look for corrections saved
// since it began, which retrains when it finds one.
func TestCorrectionAtTheEndOfARetrainingIsLearnt(t *testing.T) {
	t.Parallel()
	ropt, err := redis.ParseURL(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	opt := asynq.RedisClientOpt{Addr: ropt.Addr, DB: ropt.DB, Username: ropt.Username, Password: ropt.Password}
	queue := asynq.NewClient(opt)
	defer queue.Close()
	insp := asynq.NewInspector(opt)
	defer insp.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, db := testService(t, nil, queue)
	it := s.importer.Item(domain.NewDate(2021, 3, 1), "Children cross the Darién", "Families walked for days.", "https://a.example/1", "en")
	if _, err := s.importer.ImportItems(ctx, []domain.Item{it}, []int{1}); err != nil {
		t.Fatal(err)
	}
	stored, err := db.ItemByFingerprint(ctx, it.Fingerprint)
	if err != nil {
		t.Fatal(err)
	}

	// The retraining's task is on the queue (it holds the lock that makes
	// a correction's request a duplicate) while the worker runs it.
	running, err := queue.EnqueueContext(ctx, tasks.NewRetrainTagger())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Retrain(ctx, tasks.RetrainTagger{}); err != nil {
		t.Fatal(err)
	}
	first, err := db.LatestTagModelID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The correction lands; its request to retrain is refused.
	topics := []string{"protection"}
	if _, err := s.Update(ctx, "ed@example.org", stored.ID, domain.ItemUpdate{Topics: &topics}); err != nil {
		t.Fatal(err)
	}
	// The task is done.
	if err := insp.DeleteTask(tasks.QueueDefault, running.ID); err != nil {
		t.Fatal(err)
	}

	// What is on the queue now must learn the correction when it runs.
	queued, err := insp.ListScheduledTasks(tasks.QueueDefault)
	if err != nil {
		t.Fatal(err)
	}
	if len(queued) == 0 {
		t.Fatal("nothing is queued after the retraining: the correction made at its end is not learnt until the next one")
	}
	for _, q := range queued {
		var p tasks.RetrainTagger
		if err := tasks.Decode(asynq.NewTask(q.Type, q.Payload), &p); err != nil {
			t.Fatal(err)
		}
		if err := s.Retrain(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	info, err := db.LatestTagModelInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.ID == first || info.DeskExamples != 1 {
		t.Errorf("newest model %d learnt from %d desk examples; want one after model %d, from the correction", info.ID, info.DeskExamples, first)
	}
}
