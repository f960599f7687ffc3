package editions_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/testenv"
)

// newSender is a sender like the fixture's, to be changed by a test.
func (f *fixture) newSender() *editions.Sender {
	s := f.sender
	return &editions.Sender{Store: s.Store, Mailer: s.Mailer, Renderer: s.Renderer, Masthead: s.Masthead, Taxonomy: s.Taxonomy,
		Workers: s.Workers, Log: s.Log, BounceLimit: s.BounceLimit}
}

// compile makes an edition and compiles it, sending nothing.
func (f *fixture) compile(n domain.NewEdition) domain.Edition {
	f.t.Helper()
	e, _, err := f.db.CreateEdition(f.ctx, n)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.compiler.Compile(f.ctx, e.ID); err != nil {
		f.t.Fatal(err)
	}
	return f.edition(e.ID)
}

func (f *fixture) edition(id int64) domain.Edition {
	f.t.Helper()
	e, err := f.db.Edition(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return e
}

// deliveries maps an edition's deliveries by address: id and status.
func (f *fixture) deliveries(edition int64) map[string]struct {
	ID     int64
	Status string
} {
	f.t.Helper()
	rows, err := f.db.Pool().Query(f.ctx, `SELECT s.email, d.id, d.status FROM deliveries d
		JOIN subscribers s ON s.id = d.subscriber_id WHERE d.edition_id = $1`, edition)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]struct {
		ID     int64
		Status string
	}{}
	for rows.Next() {
		var addr, status string
		var id int64
		if err := rows.Scan(&addr, &id, &status); err != nil {
			f.t.Fatal(err)
		}
		out[addr] = struct {
			ID     int64
			Status string
		}{id, status}
	}
	return out
}

// archived lists the titles the public archive shows.
func (f *fixture) archived() []string {
	f.t.Helper()
	items, err := f.db.ArchiveItems(f.ctx, domain.ArchiveFilter{Language: "en", Limit: 100})
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		out = append(out, it.Title)
	}
	slices.Sort(out)
	return out
}

func (f *fixture) itemID(title string) int64 {
	f.t.Helper()
	var id int64
	if err := f.db.Pool().QueryRow(f.ctx, `SELECT id FROM items WHERE title = $1`, title).Scan(&id); err != nil {
		f.t.Fatalf("item %q: %v", title, err)
	}
	return id
}

// TestCancelledEditionsStoriesReachWhoDidNotGetThem: an edition cancelled
// after it reached two of four readers publishes nothing, and the next
// edition gives its stories to the two it did not reach (and only the new
// story to the two it did).
func TestCancelledEditionsStoriesReachWhoDidNotGetThem(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.item(*day("2021-03-01"), "Alpha", "CR")
	f.item(*day("2021-03-02"), "Bravo", "CR")
	readers := []string{"a@example.org", "b@example.org", "c@example.org", "d@example.org"}
	for _, r := range readers {
		f.subscriber(r, "CR")
	}
	e1 := f.compile(domain.NewEdition{})
	ids := f.deliveries(e1.ID)
	for _, r := range readers[:2] {
		if err := f.sender.SendBatch(f.ctx, e1.ID, domain.IDRange{First: ids[r].ID, Last: ids[r].ID}, false); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.db.CancelEdition(f.ctx, e1.ID); err != nil {
		t.Fatal(err)
	}
	if e := f.edition(e1.ID); e.Status != domain.EditionDone || !e.Cancelled() || e.Sent != 2 || e.Skipped != 2 {
		t.Fatalf("edition 1 after the cancel: %+v, want done, cancelled, 2 sent and 2 skipped", e)
	}
	if got := f.archived(); len(got) != 0 {
		t.Errorf("the archive shows the cancelled edition's stories: %v", got)
	}

	f.item(*day("2021-03-08"), "Charlie", "CR")
	e2 := f.run(domain.NewEdition{})
	if e2.Status != domain.EditionDone || e2.Sent != 4 || e2.Items != 3 {
		t.Fatalf("edition 2 = %+v, want done, 4 sent, 3 stories", e2)
	}
	for addr, want := range map[string]string{
		"a@example.org": "Charlie", "b@example.org": "Charlie",
		"c@example.org": "Alpha,Bravo,Charlie", "d@example.org": "Alpha,Bravo,Charlie",
	} {
		if got := strings.Join(f.titles(addr, "Alpha", "Bravo", "Charlie"), ","); got != want {
			t.Errorf("edition 2 to %s: %q, want %q", addr, got, want)
		}
	}
	if got := strings.Join(f.archived(), ","); got != "Alpha,Bravo,Charlie" {
		t.Errorf("the archive after edition 2 shows %q, want every story", got)
	}
	// Sent once, the stories are not carried again.
	f.item(*day("2021-03-15"), "Delta", "CR")
	if e3 := f.run(domain.NewEdition{}); e3.Items != 1 {
		t.Errorf("edition 3 holds %d stories, want only the new one", e3.Items)
	}
}

// TestFailedEditionsStoriesGoToEveryone: an edition whose compile failed
// (after it had written its deliveries) reached no one: the next edition
// gives its stories to every reader.
func TestFailedEditionsStoriesGoToEveryone(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.item(*day("2021-04-01"), "Echo", "CR")
	f.subscriber("a@example.org", "CR")
	f.subscriber("b@example.org", "CR")
	e1 := f.compile(domain.NewEdition{})
	// As if the compile died after writing and used up its retries.
	if _, err := f.db.Pool().Exec(f.ctx, `UPDATE editions SET status = 'compiling' WHERE id = $1`, e1.ID); err != nil {
		t.Fatal(err)
	}
	if failed, err := f.db.FailEdition(f.ctx, e1.ID, "compile failed: test"); err != nil || !failed {
		t.Fatalf("fail edition: %v %v", failed, err)
	}
	for addr, d := range f.deliveries(e1.ID) {
		if d.Status != domain.DeliverySkipped {
			t.Errorf("the failed edition's delivery to %s is %s, want skipped", addr, d.Status)
		}
	}
	f.item(*day("2021-04-08"), "Foxtrot", "CR")
	e2 := f.run(domain.NewEdition{})
	if e2.Sent != 2 || e2.Items != 2 {
		t.Fatalf("edition 2 = %+v, want 2 sent of 2 stories", e2)
	}
	for _, addr := range []string{"a@example.org", "b@example.org"} {
		if got := strings.Join(f.titles(addr, "Echo", "Foxtrot"), ","); got != "Echo,Foxtrot" {
			t.Errorf("edition 2 to %s: %q, want Echo,Foxtrot", addr, got)
		}
	}
}

// logRecords keeps the messages a logger was given.
type logRecords struct {
	mu   sync.Mutex
	msgs []string
}

func (l *logRecords) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecords) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.msgs = append(l.msgs, r.Message)
	return nil
}
func (l *logRecords) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logRecords) WithGroup(string) slog.Handler      { return l }

func (l *logRecords) has(msg string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Contains(l.msgs, msg)
}

// TestHiddenOrCorrectedStoryChangesWhatIsStillToGo: an editor who hides
// one story and corrects another while the edition is sending changes the
// digests of the readers not yet sent to; the one already sent stays.
func TestHiddenOrCorrectedStoryChangesWhatIsStillToGo(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.item(*day("2021-05-01"), "Golf original", "CR")
	f.item(*day("2021-05-02"), "Hotel", "CR")
	for _, r := range []string{"a@example.org", "b@example.org", "c@example.org"} {
		f.subscriber(r, "CR")
	}
	e := f.compile(domain.NewEdition{})
	logs := &logRecords{}
	sender := f.newSender()
	sender.Workers, sender.Log = 1, slog.New(logs)

	// The first reader's message waits at the relay while the editor works.
	hold, held := make(chan struct{}), make(chan struct{}, 1)
	f.smtp.AfterData = func(rcpts []string) error {
		if slices.Contains(rcpts, "a@example.org") {
			held <- struct{}{}
			<-hold
		}
		return nil
	}
	done := make(chan error, 1)
	go func() { done <- sender.SendBatch(f.ctx, e.ID, domain.IDRange{First: 0, Last: 1 << 62}, false) }()
	select {
	case <-held:
	case err := <-done:
		t.Fatalf("the batch ended before the first message reached the relay: %v", err)
	}
	hidden, title := true, "Golf amended"
	check := func(*domain.Item) error { return nil }
	if _, err := f.db.UpdateItem(f.ctx, "editor", f.itemID("Hotel"), domain.ItemUpdate{Hidden: &hidden}, check); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.UpdateItem(f.ctx, "editor", f.itemID("Golf original"), domain.ItemUpdate{Title: &title}, check); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); !logs.has(editions.StoriesChanged); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the batch did not notice the editor's changes within 30 s")
		}
	}
	close(hold)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for addr, want := range map[string]string{
		"a@example.org": "Golf original,Hotel",
		"b@example.org": "Golf amended",
		"c@example.org": "Golf amended",
	} {
		if got := strings.Join(f.titles(addr, "Golf original", "Golf amended", "Hotel"), ","); got != want {
			t.Errorf("%s got %q, want %q", addr, got, want)
		}
	}
}

// TestBatchGivesClaimsBackWhenItCannotLoad: a batch that has claimed its
// deliveries and then cannot load their digests fails, and gives the
// claims back at once, untried: the retry sends them all, not a minute
// later when their lease would have lapsed, and not never.
func TestBatchGivesClaimsBackWhenItCannotLoad(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.item(*day("2021-06-01"), "India", "CR")
	for _, r := range []string{"a@example.org", "b@example.org", "c@example.org"} {
		f.subscriber(r, "CR")
	}
	e := f.compile(domain.NewEdition{})
	exec := func(sql string) {
		t.Helper()
		if _, err := f.db.Pool().Exec(f.ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	// The digests' table goes missing: a real failure of the database.
	exec(`ALTER TABLE edition_groups RENAME TO edition_groups_away`)
	all := domain.IDRange{First: 0, Last: 1 << 62}
	if err := f.sender.SendBatch(f.ctx, e.ID, all, false); err == nil {
		t.Fatal("the batch reported success without its digests")
	}
	var leased, attempts int
	if err := f.db.Pool().QueryRow(f.ctx, `SELECT count(*) FILTER (WHERE status <> 'pending' OR lease_until IS NOT NULL), sum(attempts)
		FROM deliveries WHERE edition_id = $1`, e.ID).Scan(&leased, &attempts); err != nil {
		t.Fatal(err)
	}
	if leased != 0 || attempts != 0 {
		t.Fatalf("after the failed batch %d deliveries are still claimed and %d attempts counted, want none", leased, attempts)
	}
	exec(`ALTER TABLE edition_groups_away RENAME TO edition_groups`)
	if err := f.sender.SendBatch(f.ctx, e.ID, all, false); err != nil {
		t.Fatal(err)
	}
	if got := f.edition(e.ID); got.Status != domain.EditionDone || got.Sent != 3 {
		t.Fatalf("after the retry: %+v, want done with 3 sent", got)
	}
}

// TestSendersStopWhenTheTaskEndsWhileTheDatabaseIsDown: with the database
// gone mid-batch, outcomes cannot be written and the senders wait for
// room; when the task's context ends (the worker shutting down) they stop
// sending and the batch returns, its unwritten outcomes reported, rather
// than hanging until the database comes back.
func TestSendersStopWhenTheTaskEndsWhileTheDatabaseIsDown(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	proxy, url := testenv.ProxyURL(t, f.dbURL)
	db := testenv.Open(t, url)
	f.item(*day("2021-07-01"), "Juliett", "CR")
	const readers = 120
	for i := range readers {
		f.subscriber(fmt.Sprintf("r%03d@example.org", i), "CR")
	}
	e := f.compile(domain.NewEdition{})
	sender := f.newSender()
	sender.Store, sender.RecordFor = db, time.Second

	started, release := make(chan struct{}, 1), make(chan struct{})
	var once sync.Once
	f.smtp.AfterData = func([]string) error {
		once.Do(func() {
			started <- struct{}{}
			<-release
		})
		return nil
	}
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- sender.SendBatch(ctx, e.ID, domain.IDRange{First: 0, Last: 1 << 62}, false) }()
	<-started
	proxy.Refuse()
	close(release)
	// Outcomes pile up unwritten until the senders wait for room.
	f.smtp.WaitFor(t, 30*time.Second, "messages sent while the database is away", func(m []testenv.Received) bool { return len(m) >= 40 })
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Error("the batch reported success though its outcomes were never written")
		}
	case <-time.After(60 * time.Second):
		proxy.Accept(t)
		t.Fatal("the batch still runs a minute after its task ended")
	}
	if n := len(f.smtp.Messages()); n >= readers {
		t.Errorf("%d of %d messages went out: sending did not stop when the task ended", n, readers)
	}
}
