package editions_test

import (
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/errs"
)

// TestRetryAfterAnotherEditionGaveItsStories: a digest that failed for
// now, retried after another edition gave its reader every story in it,
// is skipped, saying why, rather than bring them a second time; one whose
// reader had only some of them is sent, since the rest would be lost.
func TestRetryAfterAnotherEditionGaveItsStories(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.item(*day("2021-09-01"), "Kilo", "CR")
	f.item(*day("2021-09-02"), "Lima", "PA")
	f.subscriber("all@example.org", "CR")
	f.subscriber("some@example.org", "CR", "PA")

	failed := f.failedForNow(domain.NewEdition{PublishedFrom: day("2021-09-01"), PublishedTo: day("2021-09-02")}, 2)
	// An editor's edition of the first day: Kilo, to both.
	if e := f.run(domain.NewEdition{PublishedFrom: day("2021-09-01"), PublishedTo: day("2021-09-01")}); e.Sent != 2 {
		t.Fatalf("the edition of the first day: %+v", e)
	}

	r, err := f.db.RetryFailed(f.ctx, failed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Retried != 1 || r.Skipped != 1 {
		t.Errorf("retry: %+v, want one sent again and one skipped", r)
	}
	if _, err := editions.EnqueueBatches(f.ctx, f.db, f.compiler.Queue, nil, failed.ID); err != nil {
		t.Fatal(err)
	}
	f.sendQueued()
	if d := f.deliveries(failed.ID)["all@example.org"]; d.Status != domain.DeliverySkipped {
		t.Errorf("the digest of a reader who had its every story since: %s, want skipped", d.Status)
	}
	var reason string
	if err := f.db.Pool().QueryRow(f.ctx, `SELECT reason FROM deliveries WHERE id = $1`,
		f.deliveries(failed.ID)["all@example.org"].ID).Scan(&reason); err != nil || reason != domain.ReasonReceivedSince {
		t.Errorf("its reason: %q, %v; want %q", reason, err, domain.ReasonReceivedSince)
	}
	for addr, want := range map[string]map[string]int{
		"all@example.org":  {"Kilo": 1},
		"some@example.org": {"Lima": 1},
	} {
		for title, n := range want {
			if got := f.timesGot(addr, title); got != n {
				t.Errorf("%s reached %s %d times, want %d", title, addr, got, n)
			}
		}
	}
}

// TestRetryTakesItsTurnWithACompile: a retry asked while an edition
// sharing its stories is being compiled waits for that compile, and then
// sees the digest it wrote. Were they to run at once, the compile would
// not count the failed digest and the retry would not count the new one,
// and the reader would have the story twice.
func TestRetryTakesItsTurnWithACompile(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.item(*day("2021-09-01"), "Kilo", "CR")
	f.subscriber("reader@example.org", "CR")
	first := domain.NewEdition{PublishedFrom: day("2021-09-01"), PublishedTo: day("2021-09-01")}
	failed := f.failedForNow(first, 1)
	again, _, err := f.db.CreateEdition(f.ctx, first)
	if err != nil {
		t.Fatal(err)
	}

	// Hold the compile of the second edition in the middle of writing
	// its digests: no delivery can be written while the table is held.
	// On a connection of its own: the pool's are for the compile, the
	// retry and the polling.
	conn, err := pgx.Connect(f.ctx, f.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(f.ctx)
	hold, err := conn.Begin(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Rollback(f.ctx)
	if _, err := hold.Exec(f.ctx, `LOCK TABLE deliveries IN SHARE MODE`); err != nil {
		t.Fatal(err)
	}
	compiled := make(chan error, 1)
	go func() { compiled <- f.compiler.Compile(f.ctx, again.ID) }()
	f.waitForLockWaits(1, compiled)
	type retryResult struct {
		r   domain.Retried
		err error
	}
	retried := make(chan retryResult, 1)
	go func() {
		r, err := f.db.RetryFailed(f.ctx, failed.ID)
		retried <- retryResult{r, err}
	}()
	f.waitForLockWaits(2, nil)
	if err := hold.Commit(f.ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-compiled; err != nil {
		t.Fatal(err)
	}
	res := <-retried
	if res.err != nil {
		t.Fatal(res.err)
	}
	if res.r.Retried != 0 || res.r.Skipped != 1 {
		t.Errorf("retry: %+v, want the digest skipped, its story given by the edition compiled meanwhile", res.r)
	}
	f.sendQueued()
	if got := f.timesGot("reader@example.org", "Kilo"); got != 1 {
		t.Errorf("Kilo reached the reader %d times, want 1", got)
	}
}

// waitForLockWaits waits until n sessions of the fixture's database wait
// for a lock, failing the test if done answers first or the deadline
// passes.
func (f *fixture) waitForLockWaits(n int, done <-chan error) {
	f.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var waiting int
		if err := f.db.Pool().QueryRow(f.ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			f.t.Fatal(err)
		}
		if waiting >= n {
			return
		}
		select {
		case err := <-done:
			f.t.Fatalf("finished (%v) before %d sessions waited for a lock", err, n)
		default:
		}
		if time.Now().After(deadline) {
			// What each session of the database is doing, to say why.
			var sessions []string
			rows, err := f.db.Pool().Query(f.ctx, `SELECT concat_ws(' ', wait_event_type, wait_event, state, left(query, 120))
				FROM pg_stat_activity WHERE datname = current_database()`)
			if err == nil {
				sessions, err = pgx.CollectRows(rows, pgx.RowTo[string])
			}
			f.t.Logf("sessions: %q (%v)", sessions, err)
			f.t.Fatalf("%d sessions wait for a lock, want %d", waiting, n)
		}
	}
}

// TestRetryWhileACompileRunsTooLong: a retry that a compile keeps waiting
// past its patience fails as a conflict, asking the editor to try again,
// and changes nothing.
func TestRetryWhileACompileRunsTooLong(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.item(*day("2021-09-01"), "Kilo", "CR")
	f.subscriber("reader@example.org", "CR")
	failed := f.failedForNow(domain.NewEdition{PublishedFrom: day("2021-09-01"), PublishedTo: day("2021-09-01")}, 1)

	err := f.db.CompileAlone(f.ctx, func() error {
		_, err := f.db.RetryFailed(f.ctx, failed.ID)
		return err
	})
	if errs.KindOf(err) != errs.Conflict || !strings.Contains(err.Error(), "try again") {
		t.Fatalf("a retry while a compile runs: %v, want a conflict asking to try again", err)
	}
	if e := f.edition(failed.ID); e.Failed != 1 {
		t.Errorf("the edition after the refused retry: %+v, want its failure kept", e)
	}
	if d := f.deliveries(failed.ID)["reader@example.org"]; d.Status != domain.DeliveryFailed {
		t.Errorf("the delivery after the refused retry: %s, want failed", d.Status)
	}
}

// failedForNow makes and sends the edition ne while the relay answers
// every recipient 451, and checks that want digests failed for now. The
// relay takes mail again after.
func (f *fixture) failedForNow(ne domain.NewEdition, want int) domain.Edition {
	f.t.Helper()
	f.smtp.Reject = func(string) error {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	defer func() { f.smtp.Reject = nil }()
	failed, _, err := f.db.CreateEdition(f.ctx, ne)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.compiler.Compile(f.ctx, failed.ID); err != nil {
		f.t.Fatal(err)
	}
	f.sendQueuedAs(true)
	e := f.edition(failed.ID)
	if e.Failed != want {
		f.t.Fatalf("the edition that failed for now: %+v, want %d failed", e, want)
	}
	return e
}
