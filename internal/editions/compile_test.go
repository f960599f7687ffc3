package editions_test

import (
	"context"
	"io"
	"log/slog"
	netmail "net/mail"
	"strings"
	"testing"

	"github.com/hibiken/asynq"

	"newsdigest/internal/config"
	"newsdigest/internal/digest"
	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/mail"
	"newsdigest/internal/postgres"
	"newsdigest/internal/render"
	"newsdigest/internal/tasks"
	"newsdigest/internal/taxonomy"
	"newsdigest/internal/testenv"
	"newsdigest/internal/token"
)

type fixture struct {
	t        *testing.T
	ctx      context.Context
	dbURL    string
	db       *postgres.DB
	queue    *asynq.Client
	inspect  *asynq.Inspector
	smtp     *testenv.SMTPServer
	compiler *editions.Compiler
	sender   *editions.Sender
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dbURL := testenv.DatabaseURL(t)
	db := testenv.Open(t, dbURL)
	redis, err := asynq.ParseRedisURI(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := asynq.NewClient(redis)
	t.Cleanup(func() { q.Close() })
	insp := asynq.NewInspector(redis)
	t.Cleanup(func() { insp.Close() })
	srv := testenv.NewSMTPServer(t)
	pool, err := mail.NewPool(config.SMTP{Host: srv.Host, Port: srv.Port, TLS: "none"},
		&netmail.Address{Address: "digest@example.org"}, 2, mail.Timings{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	r, err := render.New()
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{
		t: t, ctx: ctx, dbURL: dbURL, db: db, queue: q, inspect: insp, smtp: srv,
		compiler: &editions.Compiler{Store: db, Queue: q, Taxonomy: &taxonomy.Cache{Source: db}, Log: log},
		sender: &editions.Sender{Store: db, Mailer: pool, Renderer: r, Taxonomy: &taxonomy.Cache{Source: db}, Workers: 2, Log: log, BounceLimit: 3,
			Masthead: digest.Masthead{BaseURL: "http://news.example.org", ListName: "News", ListID: "News <news.example.org>"}},
	}
}

func (f *fixture) item(day domain.Date, title string, countries ...string) {
	f.t.Helper()
	it := domain.Item{PublishedOn: day, Title: title, Language: "en", Countries: countries, Fingerprint: "t:" + title}
	if _, _, err := f.db.InsertItems(f.ctx, []domain.Item{it}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) subscriber(email string, countries ...string) {
	f.t.Helper()
	_, err := f.db.Pool().Exec(f.ctx, `INSERT INTO subscribers (email, status, countries, token) VALUES ($1, 'active', $2, $3)`,
		email, countries, token.New())
	if err != nil {
		f.t.Fatal(err)
	}
}

// run compiles an edition and sends every batch the compiler queued, as
// the worker would.
func (f *fixture) run(n domain.NewEdition) domain.Edition {
	f.t.Helper()
	e, _, err := f.db.CreateEdition(f.ctx, n)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.compiler.Compile(f.ctx, e.ID); err != nil {
		f.t.Fatal(err)
	}
	f.sendQueued()
	e, err = f.db.Edition(f.ctx, e.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return e
}

// sendQueued sends every batch queued, as the worker would.
func (f *fixture) sendQueued() {
	f.t.Helper()
	f.sendQueuedAs(false)
}

// sendQueuedAs sends every batch queued; final: as its last attempt, so
// that what fails for now fails for good, as when the queue's retries
// run out.
func (f *fixture) sendQueuedAs(final bool) {
	f.t.Helper()
	for _, b := range f.queuedBatches() {
		if err := f.sender.SendBatch(f.ctx, b.EditionID, domain.IDRange{First: b.First, Last: b.Last}, final); err != nil {
			f.t.Fatal(err)
		}
		f.inspect.DeleteTask(tasks.QueueDefault, b.taskID)
	}
}

// queuedBatch is a send batch the compiler queued, and its task's id.
type queuedBatch struct {
	tasks.SendBatch
	taskID string
}

// queuedBatches lists the send batches waiting in the queue.
func (f *fixture) queuedBatches() []queuedBatch {
	f.t.Helper()
	pending, err := f.inspect.ListPendingTasks(tasks.QueueDefault, asynq.PageSize(1000))
	if err != nil {
		f.t.Fatal(err)
	}
	var out []queuedBatch
	for _, ti := range pending {
		b := queuedBatch{taskID: ti.ID}
		if err := tasks.Decode(asynq.NewTask(ti.Type, ti.Payload), &b.SendBatch); err != nil {
			f.t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// timesGot counts the messages to addr that hold title.
func (f *fixture) timesGot(addr, title string) int {
	n := 0
	for _, m := range f.smtp.To(addr) {
		if strings.Contains(string(m.Raw), title) {
			n++
		}
	}
	return n
}

// titles returns which of the given titles the last message to addr holds.
func (f *fixture) titles(addr string, all ...string) []string {
	msgs := f.smtp.To(addr)
	if len(msgs) == 0 {
		return nil
	}
	raw := string(msgs[len(msgs)-1].Raw)
	var out []string
	for _, title := range all {
		if strings.Contains(raw, title) {
			out = append(out, title)
		}
	}
	return out
}

func day(s string) *domain.Date {
	d, err := domain.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return &d
}

// TestOverlappingEditionsNeverRepeatAnItem: an editor's date-range edition
// that overlaps an earlier one sends each person only what they have not
// had, and still sends everything to someone who joined in between.
func TestOverlappingEditionsNeverRepeatAnItem(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.item(*day("2020-12-01"), "Alpha", "CR")
	f.item(*day("2020-12-05"), "Bravo", "CR")
	f.item(*day("2020-12-06"), "Charlie", "PA")
	f.subscriber("early@example.org", "CR")

	e1 := f.run(domain.NewEdition{PublishedFrom: day("2020-12-01"), PublishedTo: day("2020-12-03")})
	if e1.Status != domain.EditionDone || e1.Sent != 1 || e1.Items != 1 {
		t.Fatalf("edition 1 = %+v", e1)
	}
	if got := f.titles("early@example.org", "Alpha", "Bravo"); strings.Join(got, ",") != "Alpha" {
		t.Fatalf("edition 1 to early: %v", got)
	}

	f.subscriber("late@example.org", "CR")
	f.subscriber("panama@example.org", "PA")
	e2 := f.run(domain.NewEdition{PublishedFrom: day("2020-12-01"), PublishedTo: day("2020-12-31")})
	if e2.Status != domain.EditionDone || e2.Sent != 3 || e2.Total != 3 || e2.Items != 3 {
		t.Fatalf("edition 2 = %+v", e2)
	}
	for addr, want := range map[string]string{
		"early@example.org":  "Bravo",
		"late@example.org":   "Alpha,Bravo",
		"panama@example.org": "Charlie",
	} {
		if got := strings.Join(f.titles(addr, "Alpha", "Bravo", "Charlie"), ","); got != want {
			t.Errorf("edition 2 to %s: got %q, want %q", addr, got, want)
		}
	}

	// A third edition of the same range has nothing new for anyone.
	e3 := f.run(domain.NewEdition{PublishedFrom: day("2020-12-01"), PublishedTo: day("2020-12-31")})
	if e3.Status != domain.EditionDone || e3.Sent != 0 || e3.Skipped != 3 {
		t.Errorf("edition 3 = %+v, want done with 3 skipped", e3)
	}
	if n := len(f.smtp.Messages()); n != 4 {
		t.Errorf("%d messages in all, want 4", n)
	}
}

// TestCompileTwiceWritesOnce: a compile that runs again (a worker died
// after writing) keeps one delivery per person.
func TestCompileTwiceWritesOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.item(*day("2021-01-01"), "Delta", "CR")
	for _, a := range []string{"a@example.org", "b@example.org", "c@example.org"} {
		f.subscriber(a, "CR")
	}
	e, _, err := f.db.CreateEdition(f.ctx, domain.NewEdition{})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.compiler.Compile(f.ctx, e.ID); err != nil {
		t.Fatal(err)
	}
	// Put the edition back as if the worker died before finishing.
	if _, err := f.db.Pool().Exec(f.ctx, `UPDATE editions SET status = 'compiling' WHERE id = $1`, e.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.compiler.Compile(f.ctx, e.ID); err != nil {
		t.Fatal(err)
	}
	var n int
	f.db.Pool().QueryRow(f.ctx, `SELECT count(*) FROM deliveries WHERE edition_id = $1`, e.ID).Scan(&n)
	if n != 3 {
		t.Errorf("%d deliveries after compiling twice, want 3", n)
	}
	pending, _ := f.inspect.ListPendingTasks(tasks.QueueDefault)
	if len(pending) != 1 {
		t.Errorf("%d send tasks queued after compiling twice, want 1", len(pending))
	}
}
