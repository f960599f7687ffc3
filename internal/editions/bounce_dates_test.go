package editions_test

import (
	"testing"
	"time"

	"newsdigest/internal/domain"
)

// TestBounceReportFromAWrongClock: a report's date comes from the
// reporting server's clock, which may be years off. A date still to come
// is taken as the time the report came: otherwise a soft bounce of a
// confirmation (whose send time the report's date stands for) would
// carry the reader's run of failures into the future, and no digest
// that went through since would start it again; and the console would
// list a delivery's bounce as the latest for years.
func TestBounceReportFromAWrongClock(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.subscriber("clock@example.org", "CR")
	var sub int64
	if err := f.db.Pool().QueryRow(f.ctx, `SELECT id FROM subscribers WHERE email = 'clock@example.org'`).Scan(&sub); err != nil {
		t.Fatal(err)
	}
	future := time.Now().AddDate(40, 0, 0)
	notice := func(report string, at time.Time) int {
		t.Helper()
		out, err := f.db.RecordNoticeBounce(f.ctx, sub, domain.BounceReport{Kind: domain.BounceSoft, Source: "smtp",
			ReportID: report, Code: "4.2.2", Diagnostic: "mailbox full", At: at}, 3)
		if err != nil {
			t.Fatal(err)
		}
		return out.HardBounces
	}
	notice("dated-2065", future)
	f.item(*day("2021-04-01"), "Story", "CR")
	e := f.run(domain.NewEdition{})
	// The digest went through: the next failure starts a new run.
	if run := notice("dated-now", time.Time{}); run != 1 {
		t.Errorf("a soft bounce after a digest went through: a run of %d, want 1", run)
	}

	d := f.deliveries(e.ID)["clock@example.org"].ID
	if _, err := f.db.RecordBounce(f.ctx, domain.BounceReport{DeliveryID: d, Kind: domain.BounceSoft, Source: "smtp",
		ReportID: "digest-dated-2065", Code: "4.2.2", Diagnostic: "mailbox full", At: future}, 3); err != nil {
		t.Fatal(err)
	}
	reports, err := f.db.DeliveryReports(f.ctx, e.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 1 || reports[0].At.After(time.Now()) {
		t.Errorf("delivery reports %+v, want one, dated no later than now", reports)
	}
}
