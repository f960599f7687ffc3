package editions_test

import (
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
)

// TestReportAboutAnUnrecordedSendIsProofItLeft: a worker sends digests
// and dies before it records them. A bounce, a block or a complaint then
// comes back about some of them before their lease runs out: each of
// those digests left, so whoever claims the batch next sends it to
// nobody again, and the edition counts it sent.
func TestReportAboutAnUnrecordedSendIsProofItLeft(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.item(*day("2021-06-01"), "Story of June", "CR")
	reports := map[string]string{
		"full@example.org":       domain.BounceSoft,
		"blocked@example.org":    domain.BounceBlocked,
		"complainer@example.org": domain.BounceComplaint,
		"gone@example.org":       domain.BounceHard,
	}
	for addr := range reports {
		f.subscriber(addr, "CR")
	}
	f.subscriber("quiet@example.org", "CR")
	e := f.compile(domain.NewEdition{})
	ds := f.deliveries(e.ID)

	// The worker that dies: it claims the batch (and sends, unseen here).
	batches, err := f.db.SendBatches(f.ctx, e.ID, 200, false)
	if err != nil || len(batches) != 1 {
		t.Fatalf("batches: %v, %v", batches, err)
	}
	if _, err := f.db.ClaimDeliveries(f.ctx, e.ID, batches[0], editions.DefaultLease); err != nil {
		t.Fatal(err)
	}
	for addr, kind := range reports {
		if _, err := f.db.RecordBounce(f.ctx, domain.BounceReport{DeliveryID: ds[addr].ID, Kind: kind, Source: "smtp",
			ReportID: "report-" + addr, Code: "5.2.2", Diagnostic: "came back"}, 3); err != nil {
			t.Fatalf("record the report about %s: %v", addr, err)
		}
	}
	// Its lease runs out; another worker takes the batch.
	if _, err := f.db.Pool().Exec(f.ctx, `UPDATE deliveries SET lease_until = now() - interval '1 minute' WHERE edition_id = $1`, e.ID); err != nil {
		t.Fatal(err)
	}
	f.sendQueued()

	for addr := range reports {
		if n := len(f.smtp.To(addr)); n != 0 {
			t.Errorf("%s got %d digests after one came back about the first: want none", addr, n)
		}
		if got := f.deliveries(e.ID)[addr].Status; got != domain.DeliverySent {
			t.Errorf("%s's delivery is %s, want sent: a report came back about it", addr, got)
		}
	}
	if n := len(f.smtp.To("quiet@example.org")); n != 1 {
		t.Errorf("quiet@ got %d digests, want 1", n)
	}
	got := f.edition(e.ID)
	if got.Status != domain.EditionDone || got.Sent != 5 || got.Skipped != 0 || got.Failed != 0 {
		t.Errorf("edition: %s, %d sent, %d skipped, %d failed; want done with 5 sent", got.Status, got.Sent, got.Skipped, got.Failed)
	}
}
