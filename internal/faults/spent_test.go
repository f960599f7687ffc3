package faults

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"newsdigest/internal/app"
	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/tasks"
	"newsdigest/internal/taxonomy"
)

// TestSpentBatchTasksAreReplaced: send batches whose tasks used up their
// retries are archived by the queue, which keeps their ids; the reconciler
// still finds their deliveries unfinished and queues them anew, so the
// edition finishes instead of staying "sending" for ever.
func TestSpentBatchTasksAreReplaced(t *testing.T) {
	t.Parallel()
	const readers = 500 // three batches
	r := newRig(t, readers)
	id := r.startEdition()
	compiler := &editions.Compiler{Store: r.db, Queue: r.queue, Taxonomy: &taxonomy.Cache{Source: r.db},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := compiler.Compile(r.ctx, id); err != nil {
		t.Fatal(err)
	}
	opt, err := app.RedisOpt(r.redisURL)
	if err != nil {
		t.Fatal(err)
	}
	insp := asynq.NewInspector(opt)
	defer insp.Close()
	// What a batch whose every attempt failed leaves behind: its task
	// archived under its id (the compile task goes with them; the edition
	// is compiled already).
	archived, err := insp.ArchiveAllPendingTasks(tasks.QueueDefault)
	if err != nil {
		t.Fatal(err)
	}
	batches, err := r.db.SendBatches(r.ctx, id, editions.BatchSize, false)
	if err != nil {
		t.Fatal(err)
	}
	if archived != len(batches)+1 {
		t.Fatalf("archived %d tasks, want the %d send batches and the compile", archived, len(batches))
	}
	r.startWorker()
	r.waitFor(id, time.Minute, "done, once the reconciler has replaced the spent batches", func(e domain.Edition) bool {
		return e.Status != domain.EditionSending
	})
	r.check(id, nil, nil)
}
