package editions_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/mail"
)

// hookMailer runs hook once, before the first message it sends, and
// answers that message with first when it is set (a 4xx, say).
type hookMailer struct {
	editions.Mailer
	once  sync.Once
	hook  func()
	first error
}

func (h *hookMailer) SendSharedAs(ctx context.Context, s *mail.Shared, to, token string, env mail.Envelope) error {
	isFirst := false
	h.once.Do(func() { h.hook(); isFirst = true })
	if isFirst && h.first != nil {
		return h.first
	}
	return h.Mailer.SendSharedAs(ctx, s, to, token, env)
}

// failWhileSending compiles an edition of one story, Echo, for people,
// and sends its batches as if its compile were still running (batches go
// out before it ends): the compile fails for good as the first message
// goes, which the mailer answers with first (nil: it goes). Each batch
// runs tries times, as the queue retries a task. It returns the edition.
func failWhileSending(t *testing.T, f *fixture, people []string, first error, tries int) domain.Edition {
	t.Helper()
	f.item(*day("2021-04-01"), "Echo", "CR")
	for _, a := range people {
		f.subscriber(a, "CR")
	}
	e := f.compile(domain.NewEdition{})
	if _, err := f.db.Pool().Exec(f.ctx, `UPDATE editions SET status = 'compiling' WHERE id = $1`, e.ID); err != nil {
		t.Fatal(err)
	}
	snd := f.newSender()
	snd.Mailer = &hookMailer{Mailer: f.sender.Mailer, first: first, hook: func() {
		if ok, err := f.db.FailEdition(context.Background(), e.ID, "compile failed: out of time"); err != nil || !ok {
			t.Errorf("fail the edition: %v %v", ok, err)
		}
	}}
	batches, err := f.db.SendBatches(f.ctx, e.ID, editions.BatchSize, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range batches {
		for range tries {
			if err := snd.SendBatch(f.ctx, e.ID, b, false); err != nil && !errors.Is(err, editions.ErrRetry) {
				t.Fatal(err)
			}
		}
	}
	return f.edition(e.ID)
}

// settledAndEchoedOnce checks that no delivery of the failed edition is
// left unfinished, then sends the next edition and checks that each of
// people had Echo exactly once.
func settledAndEchoedOnce(t *testing.T, f *fixture, failed int64, people []string) {
	t.Helper()
	for addr, d := range f.deliveries(failed) {
		if d.Status == string(domain.DeliverySending) || d.Status == string(domain.DeliveryPending) {
			t.Errorf("%s's delivery is left %s", addr, d.Status)
		}
	}
	f.item(*day("2021-04-08"), "Foxtrot", "CR")
	f.run(domain.NewEdition{})
	for _, a := range people {
		if n := f.timesGot(a, "Echo"); n != 1 {
			t.Errorf("%s had Echo %d times, want once", a, n)
		}
	}
}

// TestCompileFailingWhileABatchSendsKeepsWhatWasSent: an edition's batches
// go out while its compile runs; the compile then fails for good. What
// the batch sent is recorded sent (those readers count as having had its
// stories, and the next edition does not send them again), the edition's
// counts add up, and no delivery is left sending.
func TestCompileFailingWhileABatchSendsKeepsWhatWasSent(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	people := []string{"a@example.org", "b@example.org", "c@example.org"}
	e := failWhileSending(t, f, people, nil, 1)
	if e.Status != domain.EditionFailed || e.Sent != len(f.smtp.Messages()) || e.Sent+e.Failed+e.Skipped != e.Total {
		t.Errorf("the failed edition: %s, %d sent (%d messages went), %d failed, %d skipped of %d",
			e.Status, e.Sent, len(f.smtp.Messages()), e.Failed, e.Skipped, e.Total)
	}
	for addr, d := range f.deliveries(e.ID) {
		if sent := len(f.smtp.To(addr)) > 0; sent != (d.Status == string(domain.DeliverySent)) {
			t.Errorf("%s's delivery is %s; a message went to them: %v", addr, d.Status, sent)
		}
	}
	settledAndEchoedOnce(t, f, e.ID, people)
}

// TestFailedEditionsPutBackDeliveryIsSettled: a message of a batch that
// was going out when the compile failed met a 4xx and was put back to
// try again; no claim takes it from a failed edition, so the reconciler
// skips it, and its reader gets the stories in the next edition.
func TestFailedEditionsPutBackDeliveryIsSettled(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	people := []string{"a@example.org", "b@example.org", "c@example.org"}
	e := failWhileSending(t, f, people, errors.New("421 4.7.0 try again later"), 2)
	if err := f.db.AbandonLapsed(f.ctx); err != nil {
		t.Fatal(err)
	}
	if e = f.edition(e.ID); e.Sent+e.Failed+e.Skipped != e.Total {
		t.Errorf("the failed edition counts %d sent, %d failed, %d skipped of %d", e.Sent, e.Failed, e.Skipped, e.Total)
	}
	settledAndEchoedOnce(t, f, e.ID, people)
}

// TestReconcilerSettlesAFailedEditionsLapsedDeliveries: a worker died
// sending a batch of an edition that failed meanwhile; once its claims
// lapse, the reconciler skips them and counts them, so nothing stays
// sending for ever.
func TestReconcilerSettlesAFailedEditionsLapsedDeliveries(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.item(*day("2021-04-01"), "Echo", "CR")
	f.subscriber("a@example.org", "CR")
	f.subscriber("b@example.org", "CR")
	e := f.compile(domain.NewEdition{})
	ds := f.deliveries(e.ID)
	if _, err := f.db.Pool().Exec(f.ctx, `UPDATE deliveries SET status = 'sending', lease_until = now() + interval '1 hour'
		WHERE id = ANY($1)`, []int64{ds["a@example.org"].ID, ds["b@example.org"].ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Pool().Exec(f.ctx, `UPDATE editions SET status = 'compiling' WHERE id = $1`, e.ID); err != nil {
		t.Fatal(err) // its batches went out while it compiled
	}
	if ok, err := f.db.FailEdition(f.ctx, e.ID, "compile failed: out of time"); err != nil || !ok {
		t.Fatalf("fail the edition: %v %v", ok, err)
	}
	// a's worker died: its claim lapses; b's is still being sent.
	if _, err := f.db.Pool().Exec(f.ctx, `UPDATE deliveries SET lease_until = now() - interval '1 minute' WHERE id = $1`,
		ds["a@example.org"].ID); err != nil {
		t.Fatal(err)
	}
	if err := f.db.AbandonLapsed(f.ctx); err != nil {
		t.Fatal(err)
	}
	after := f.deliveries(e.ID)
	if after["a@example.org"].Status != string(domain.DeliverySkipped) || after["b@example.org"].Status != string(domain.DeliverySending) {
		t.Errorf("after the sweep: a %s (want skipped), b %s (want still sending)", after["a@example.org"].Status, after["b@example.org"].Status)
	}
	if got := f.edition(e.ID); got.Skipped != 1 {
		t.Errorf("the failed edition counts %d skipped, want 1", got.Skipped)
	}
}
