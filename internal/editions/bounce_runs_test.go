package editions_test

import (
	"fmt"
	"testing"

	"newsdigest/internal/domain"
)

// TestBounceLimitCountsFailuresInARow: BOUNCE_LIMIT counts failures in a
// row. A mailbox full once, then a digest that went through, then two
// more soft bounces, is a run of two, not three: the reader stays, and
// stays so when a second server reports the same digest failed. A third
// in a row, refused at the send, bounces them.
func TestBounceLimitCountsFailuresInARow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.subscriber("full@example.org", "CR")
	var deliveries []int64
	for i, d := range []string{"2021-04-01", "2021-04-08", "2021-04-15", "2021-04-22", "2021-04-29"} {
		f.item(*day(d), fmt.Sprint("Story ", i), "CR")
		e := f.run(domain.NewEdition{})
		deliveries = append(deliveries, f.deliveries(e.ID)["full@example.org"].ID)
	}
	state := func() (string, int) {
		t.Helper()
		var status string
		var n int
		if err := f.db.Pool().QueryRow(f.ctx, `SELECT status, hard_bounces FROM subscribers WHERE email = 'full@example.org'`).
			Scan(&status, &n); err != nil {
			t.Fatal(err)
		}
		return status, n
	}
	reports := 0
	soft := func(edition int, wantRun int) {
		t.Helper()
		reports++
		_, err := f.db.RecordBounce(f.ctx, domain.BounceReport{DeliveryID: deliveries[edition], Kind: domain.BounceSoft,
			Source: "dsn", ReportID: fmt.Sprint("report-", reports), Code: "4.2.2", Diagnostic: "mailbox full"}, 3)
		if err != nil {
			t.Fatal(err)
		}
		if status, n := state(); status != string(domain.StatusActive) || n != wantRun {
			t.Fatalf("after a soft bounce of digest %d: %s with a run of %d, want active with %d", edition+1, status, n, wantRun)
		}
	}
	soft(0, 1)
	soft(2, 1) // the second digest went through
	soft(3, 2)
	soft(3, 2) // another server's report of the same failed digest
	// The fifth, refused for good at the send, as the sender records it.
	if _, err := f.db.Pool().Exec(f.ctx, `UPDATE deliveries SET status = 'sending', sent_at = NULL, lease_until = now() + interval '1 minute' WHERE id = $1`, deliveries[4]); err != nil {
		t.Fatal(err)
	}
	err := f.db.RecordOutcomes(f.ctx, []domain.DeliveryOutcome{{ID: deliveries[4], Status: domain.DeliveryFailed,
		Failure: domain.FailurePermanent, Error: "552 5.2.2 mailbox full", HardBounce: true}}, 3)
	if err != nil {
		t.Fatal(err)
	}
	bounced, _ := domain.SubscriberTo(domain.StatusActive, domain.SubscriberBounce)
	if status, n := state(); status != string(bounced) || n != 3 {
		t.Errorf("after a third failure in a row: %s with a run of %d, want %s with 3", status, n, bounced)
	}
}

// TestTwoReportsAtOnceOfOneDigestCountOnce: two servers' reports of the
// same failed digest, recorded at the same moment (one by the listener,
// one by a webhook), are one failure in the reader's run.
func TestTwoReportsAtOnceOfOneDigestCountOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.subscriber("full@example.org", "CR")
	const rounds = 5
	for i := range rounds {
		f.item(*day(fmt.Sprintf("2021-05-%02d", 1+7*i)), fmt.Sprint("Story ", i), "CR")
		e := f.run(domain.NewEdition{})
		delivery := f.deliveries(e.ID)["full@example.org"].ID
		errs := make(chan error, 2)
		start := make(chan struct{})
		for _, source := range []string{"smtp", "webhook"} {
			go func() {
				<-start
				_, err := f.db.RecordBounce(f.ctx, domain.BounceReport{DeliveryID: delivery, Kind: domain.BounceSoft,
					Source: source, ReportID: fmt.Sprint(source, "-", i), Code: "4.2.2", Diagnostic: "mailbox full"}, 100)
				errs <- err
			}()
		}
		close(start)
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
	}
	var n int
	if err := f.db.Pool().QueryRow(f.ctx, `SELECT hard_bounces FROM subscribers WHERE email = 'full@example.org'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != rounds {
		t.Errorf("after %d digests each reported failed twice at once: a run of %d, want %d", rounds, n, rounds)
	}
}
