package editions_test

import (
	"fmt"
	"testing"

	"github.com/emersion/go-smtp"

	"newsdigest/internal/domain"
)

// TestBlocksCountAgainstNoReader: a provider refusing the sender (Gmail's
// 5.7.26 at the send, a block list's report after it) for more editions
// in a row than BOUNCE_LIMIT leaves its reader active, with no failure
// counted; the blocks count toward the edition's pause. A mailbox full
// after them starts the reader's run at one.
func TestBlocksCountAgainstNoReader(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.subscriber("reader@example.org", "CR")
	state := func(when string) {
		t.Helper()
		var status string
		var run int
		if err := f.db.Pool().QueryRow(f.ctx, `SELECT status, hard_bounces FROM subscribers WHERE email = 'reader@example.org'`).
			Scan(&status, &run); err != nil {
			t.Fatal(err)
		}
		if status != string(domain.StatusActive) || run != 0 {
			t.Fatalf("%s: %s with a run of %d, want active with none", when, status, run)
		}
	}

	f.smtp.Reject = func(string) error {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 26},
			Message: "This mail has been blocked because the sender is unauthenticated."}
	}
	for i := range 4 {
		f.item(*day(fmt.Sprintf("2021-05-0%d", i+1)), fmt.Sprint("Refused ", i), "CR")
		if e := f.run(domain.NewEdition{}); e.Failed != 1 {
			t.Fatalf("edition refused at the send: %+v", e)
		}
	}
	state("after four digests refused at the send as unauthenticated")

	f.smtp.Reject = nil
	for i := range 4 {
		f.item(*day(fmt.Sprintf("2021-06-0%d", i+1)), fmt.Sprint("Blocked ", i), "CR")
		e := f.run(domain.NewEdition{})
		if _, err := f.db.RecordBounce(f.ctx, domain.BounceReport{DeliveryID: f.deliveries(e.ID)["reader@example.org"].ID,
			Kind: domain.BounceBlocked, Source: "dsn", ReportID: fmt.Sprint("block-", i), Code: "5.7.1",
			Diagnostic: "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"}, 3); err != nil {
			t.Fatal(err)
		}
		if h, _, err := f.db.EditionHealth(f.ctx, e.ID); err != nil || h.Bounces != 1 {
			t.Fatalf("edition with a blocked report: %+v, %v; want it counted toward the pause", h, err)
		}
	}
	state("after four digests reported blocked")

	f.item(*day("2021-07-01"), "Full", "CR")
	e := f.run(domain.NewEdition{})
	out, err := f.db.RecordBounce(f.ctx, domain.BounceReport{DeliveryID: f.deliveries(e.ID)["reader@example.org"].ID,
		Kind: domain.BounceSoft, Source: "dsn", ReportID: "full", Code: "5.2.2", Diagnostic: "552 5.2.2 mailbox full"}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if out.HardBounces != 1 || out.After != domain.StatusActive {
		t.Errorf("a mailbox full after the blocks: %+v, want an active reader with a run of 1", out)
	}
}
