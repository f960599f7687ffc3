package editions_test

import (
	"context"
	"slices"
	"testing"

	"github.com/hibiken/asynq"

	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/tasks"
)

// sendingQueue sends the first batch queued at once, as a worker taking
// it from the queue would while the compile goes on.
type sendingQueue struct {
	*asynq.Client
	f          *fixture
	sent       bool
	statusThen string
}

func (q *sendingQueue) EnqueueContext(ctx context.Context, t *asynq.Task, opts ...asynq.Option) (*asynq.TaskInfo, error) {
	if t.Type() == tasks.TypeSendBatch && !q.sent {
		q.sent = true
		var p tasks.SendBatch
		if err := tasks.Decode(t, &p); err != nil {
			return nil, err
		}
		q.f.db.Pool().QueryRow(ctx, `SELECT status FROM editions WHERE id = $1`, p.EditionID).Scan(&q.statusThen)
		if err := q.f.sender.SendBatch(ctx, p.EditionID, domain.IDRange{First: p.First, Last: p.Last}, false); err != nil {
			return nil, err
		}
	}
	return q.Client.EnqueueContext(ctx, t, opts...)
}

// TestCompileSendsWhileCompiling: full send batches are queued as the
// compile writes them, and a batch sent while the edition still
// compiles goes out; the batches are those SendBatches finds (so the
// reconciler's task ids match), and every reader gets one digest.
func TestCompileSendsWhileCompiling(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const readers = 2*editions.BatchSize + 50
	f.item(*day("2021-01-01"), "Delta", "CR")
	if _, err := f.db.Pool().Exec(f.ctx, `
		INSERT INTO subscribers (email, status, countries, token)
		SELECT 'reader' || g || '@example.org', 'active', '{CR}', rpad(md5(g::text), 22, 'x')
		FROM generate_series(1, $1) g`, readers); err != nil {
		t.Fatal(err)
	}
	q := &sendingQueue{Client: f.queue, f: f}
	f.compiler.Queue = q
	e := f.run(domain.NewEdition{PublishedFrom: day("2020-01-01"), PublishedTo: day("2021-12-31")})
	if q.statusThen != domain.EditionCompiling {
		t.Errorf("the first batch was queued with the edition %q, want it queued while compiling", q.statusThen)
	}
	if e.Status != domain.EditionDone || e.Sent != readers || e.Total != readers {
		t.Errorf("edition %s: %d sent of %d, want done with %d", e.Status, e.Sent, e.Total, readers)
	}
	per := map[string]int{}
	for _, m := range f.smtp.Messages() {
		for _, to := range m.To {
			per[to]++
		}
	}
	if len(per) != readers {
		t.Errorf("%d readers mailed, want %d", len(per), readers)
	}
	for to, n := range per {
		if n != 1 {
			t.Errorf("%s got %d digests", to, n)
		}
	}
}

// TestCompileQueuesTheBatchesSendBatchesFinds: the batches queued while
// compiling and at its end are SendBatches' split, each once.
func TestCompileQueuesTheBatchesSendBatchesFinds(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const readers = 3*editions.BatchSize + 7
	f.item(*day("2021-01-01"), "Delta", "CR")
	if _, err := f.db.Pool().Exec(f.ctx, `
		INSERT INTO subscribers (email, status, countries, token)
		SELECT 'reader' || g || '@example.org', 'active', CASE WHEN g % 5 = 0 THEN '{MX}'::text[] ELSE '{CR}'::text[] END, rpad(md5(g::text), 22, 'x')
		FROM generate_series(1, $1) g`, readers); err != nil {
		t.Fatal(err)
	}
	e, _, err := f.db.CreateEdition(f.ctx, domain.NewEdition{PublishedFrom: day("2020-01-01"), PublishedTo: day("2021-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.compiler.Compile(f.ctx, e.ID); err != nil {
		t.Fatal(err)
	}
	want, err := f.db.SendBatches(f.ctx, e.ID, editions.BatchSize, false)
	if err != nil {
		t.Fatal(err)
	}
	pending, err := f.inspect.ListPendingTasks(tasks.QueueDefault, asynq.PageSize(1000))
	if err != nil {
		t.Fatal(err)
	}
	var got []domain.IDRange
	for _, ti := range pending {
		var p tasks.SendBatch
		if err := tasks.Decode(asynq.NewTask(ti.Type, ti.Payload), &p); err != nil {
			t.Fatal(err)
		}
		got = append(got, domain.IDRange{First: p.First, Last: p.Last})
	}
	slices.SortFunc(got, func(a, b domain.IDRange) int { return int(a.First - b.First) })
	if !slices.Equal(got, want) || len(want) < 3 {
		t.Errorf("queued batches %v, want SendBatches' %v", got, want)
	}
	var skipped int
	f.db.Pool().QueryRow(f.ctx, `SELECT count(*) FROM deliveries WHERE edition_id = $1 AND status = 'skipped' AND reason = 'nothing matched'`, e.ID).Scan(&skipped)
	if skipped != readers/5 {
		t.Errorf("%d deliveries skipped as nothing matched, want %d", skipped, readers/5)
	}
}
