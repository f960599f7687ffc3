package postgres_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/postgres"
	"newsdigest/internal/testenv"
)

// sendingEdition makes an edition of people (all active) sending, one
// delivery per batch; the last nothingMatched of them are skipped at
// compile. It returns the edition and its batches.
func sendingEdition(t *testing.T, db *postgres.DB, people []string, nothingMatched int) (int64, []domain.IDRange) {
	t.Helper()
	ctx := context.Background()
	rows := make([]domain.ImportRow, len(people))
	for i, p := range people {
		rows[i] = row(p, false)
	}
	if _, _, err := db.ImportSubscribers(ctx, &rowSource{rows: rows}, consent()); err != nil {
		t.Fatal(err)
	}
	e, _, err := db.CreateEdition(ctx, postgres.NewEdition{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.MoveEdition(ctx, e.ID, domain.EditionCompile); err != nil {
		t.Fatal(err)
	}
	groups, err := db.SaveGroups(ctx, e.ID, []domain.NewDigestGroup{{Key: "k", Language: "en", Sections: json.RawMessage(`[]`)}})
	if err != nil {
		t.Fatal(err)
	}
	recipients, err := db.ActiveRecipients(ctx, 0, 100, nil, time.Now())
	if err != nil || len(recipients) != len(people) {
		t.Fatalf("recipients %v %v", recipients, err)
	}
	deliveries := make([]domain.NewDelivery, len(recipients))
	for i, r := range recipients {
		deliveries[i] = domain.NewDelivery{SubscriberID: r.ID}
		if i < len(recipients)-nothingMatched {
			deliveries[i].GroupID = groups["k"]
		}
	}
	if _, err := db.InsertDeliveries(ctx, e.ID, deliveries); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetEditionTotal(ctx, e.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MoveEdition(ctx, e.ID, domain.EditionCompiled); err != nil {
		t.Fatal(err)
	}
	batches, err := db.SendBatches(ctx, e.ID, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	return e.ID, batches
}

// attempt claims a batch and records how its one delivery ended; a failed
// one is refused for good (550).
func attempt(t *testing.T, db *postgres.DB, id int64, b domain.IDRange, status domain.DeliveryStatus) {
	t.Helper()
	var failure domain.DeliveryFailure
	if status == domain.DeliveryFailed {
		failure = domain.FailurePermanent
	}
	record(t, db, id, b, status, failure)
}

// record claims a batch and records its one delivery's outcome, failed in
// the way failure says.
func record(t *testing.T, db *postgres.DB, id int64, b domain.IDRange, status domain.DeliveryStatus, failure domain.DeliveryFailure) {
	t.Helper()
	ctx := context.Background()
	claims, err := db.ClaimDeliveries(ctx, id, b, time.Minute)
	if err != nil || len(claims) != 1 {
		t.Fatalf("claim %v: %v %v", b, claims, err)
	}
	o := domain.DeliveryOutcome{ID: claims[0].ID, Status: status, Failure: failure}
	switch failure {
	case domain.FailurePermanent:
		o.Error, o.HardBounce = "550 5.1.1 no such mailbox", true
	case domain.FailureTemporary:
		o.Error = "gave up after retries: 451 4.3.0 try later"
	case domain.FailureUncertain:
		o.Error = "uncertain, not retried: SMTP connection: i/o timeout"
	}
	if err := db.RecordOutcomes(ctx, []domain.DeliveryOutcome{o}, 3); err != nil {
		t.Fatal(err)
	}
}

func wantCounts(t *testing.T, db *postgres.DB, id int64, status domain.EditionStatus, sent, failed, skipped, total int) domain.Edition {
	t.Helper()
	e, err := db.Edition(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if e.Status != status || e.Sent != sent || e.Failed != failed || e.Skipped != skipped || e.Total != total {
		t.Fatalf("edition %+v; want %s with %d sent, %d failed, %d skipped of %d", e, status, sent, failed, skipped, total)
	}
	return e
}

func TestCancelSkipsTheRestAndCountersAddUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	id, batches := sendingEdition(t, db, []string{"a@example.org", "b@example.org", "c@example.org", "d@example.org", "e@example.org"}, 1)
	if len(batches) != 4 {
		t.Fatalf("batches %v", batches)
	}
	attempt(t, db, id, batches[0], domain.DeliverySent)
	attempt(t, db, id, batches[1], domain.DeliveryFailed)
	inFlight, err := db.ClaimDeliveries(ctx, id, batches[2], time.Minute)
	if err != nil || len(inFlight) != 1 {
		t.Fatalf("claim: %v %v", inFlight, err)
	}

	e, err := db.CancelEdition(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if e.Reason != domain.ReasonCancelled {
		t.Fatalf("reason %q", e.Reason)
	}
	// Still sending: one delivery is in flight.
	wantCounts(t, db, id, domain.EditionSending, 1, 1, 2, 5)
	if claims, err := db.ClaimDeliveries(ctx, id, batches[3], time.Minute); err != nil || len(claims) != 0 {
		t.Fatalf("a cancelled edition's delivery was claimed: %v %v", claims, err)
	}
	if _, err := db.CancelEdition(ctx, id); !errs.Is(err, errs.Conflict) {
		t.Fatalf("second cancel: %v, want a conflict", err)
	}
	if _, err := db.RetryFailed(ctx, id); !errs.Is(err, errs.Conflict) {
		t.Fatalf("retry of a cancelled edition: %v, want a conflict", err)
	}
	// The one in flight finishes as it will, and the edition is done.
	if err := db.RecordOutcomes(ctx, []domain.DeliveryOutcome{{ID: inFlight[0].ID, Status: domain.DeliverySent}}, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FinishEditionIfComplete(ctx, id); err != nil {
		t.Fatal(err)
	}
	e = wantCounts(t, db, id, domain.EditionDone, 2, 1, 2, 5)
	if e.Reason != domain.ReasonCancelled {
		t.Fatalf("reason after done %q", e.Reason)
	}
	reasons, err := db.SkipReasons(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range reasons {
		got[r.Reason] = r.Count
	}
	if got["cancelled"] != 1 || got["nothing matched"] != 1 || len(got) != 2 {
		t.Fatalf("skip reasons %v", got)
	}
	// A compile that runs again must not revive it.
	for _, ev := range []domain.EditionEvent{domain.EditionCompiled, domain.EditionCompile, domain.EditionRetry} {
		if moved, err := db.MoveEdition(ctx, id, ev); err != nil || moved {
			t.Fatalf("a cancelled edition moved (%s): %v %v", ev, moved, err)
		}
	}
}

func TestCancelQueuedEditionEndsIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	e, _, err := db.CreateEdition(ctx, postgres.NewEdition{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CancelEdition(ctx, e.ID); err != nil {
		t.Fatal(err)
	}
	wantCounts(t, db, e.ID, domain.EditionDone, 0, 0, 0, 0)
	if moved, err := db.MoveEdition(ctx, e.ID, domain.EditionCompile); err != nil || moved {
		t.Fatalf("the compile of a cancelled edition started: %v %v", moved, err)
	}
}

// TestRetryFailedSendsAgainOnlyTheTemporaryToActivePeople: a retry puts
// back the temporarily failed deliveries of people still active, skips
// those of people gone, and leaves the refused (5xx) and the uncertain
// (the message may have been delivered) failed as they are.
func TestRetryFailedSendsAgainOnlyTheTemporaryToActivePeople(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	id, batches := sendingEdition(t, db, []string{"stays@example.org", "leaves@example.org", "fine@example.org",
		"refused@example.org", "uncertain@example.org"}, 0)
	record(t, db, id, batches[0], domain.DeliveryFailed, domain.FailureTemporary)
	record(t, db, id, batches[1], domain.DeliveryFailed, domain.FailureTemporary)
	record(t, db, id, batches[2], domain.DeliverySent, "")
	record(t, db, id, batches[3], domain.DeliveryFailed, domain.FailurePermanent)
	record(t, db, id, batches[4], domain.DeliveryFailed, domain.FailureUncertain)
	if _, err := db.FinishEditionIfComplete(ctx, id); err != nil {
		t.Fatal(err)
	}
	wantCounts(t, db, id, domain.EditionDone, 1, 4, 0, 5)
	counts, err := db.FailureCounts(ctx, id)
	if err != nil || counts[domain.FailureTemporary] != 2 || counts[domain.FailurePermanent] != 1 || counts[domain.FailureUncertain] != 1 {
		t.Fatalf("failure counts %v %v", counts, err)
	}
	leaver, err := db.SubscriberForPreview(ctx, "leaves@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Unsubscribe(ctx, leaver.Token, consent()); err != nil {
		t.Fatal(err)
	}

	r, err := db.RetryFailed(ctx, id)
	if err != nil || r.Retried != 1 || r.Skipped != 1 {
		t.Fatalf("retry: %+v %v", r, err)
	}
	wantCounts(t, db, id, domain.EditionSending, 1, 2, 1, 5)
	claims, err := db.ClaimDeliveries(ctx, id, domain.IDRange{First: batches[0].First, Last: batches[4].Last}, time.Minute)
	if err != nil || len(claims) != 1 || claims[0].Email != "stays@example.org" {
		t.Fatalf("claims after retry: %+v %v", claims, err)
	}
	if err := db.RecordOutcomes(ctx, []domain.DeliveryOutcome{{ID: claims[0].ID, Status: domain.DeliverySent}}, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FinishEditionIfComplete(ctx, id); err != nil {
		t.Fatal(err)
	}
	wantCounts(t, db, id, domain.EditionDone, 2, 2, 1, 5)
	for kind, addr := range map[string]string{domain.FailurePermanent: "refused@example.org", domain.FailureUncertain: "uncertain@example.org"} {
		left, err := db.FailedDeliveries(ctx, id, kind, 10)
		if err != nil || len(left) != 1 || left[0].Email != addr {
			t.Errorf("%s deliveries after the retry: %+v %v, want %s still failed", kind, left, err, addr)
		}
	}
	if _, err := db.RetryFailed(ctx, id); !errs.Is(err, errs.Conflict) {
		t.Fatalf("retry with only refused and uncertain failures: %v, want a conflict", err)
	}
}

func TestWindowItemsIsWhatAnEditionHolds(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	f.ingest(
		f.im.Item(dec16, "Costa Rica: a story of the sixteenth", "Summary.", "", "en"),
		f.im.Item(domain.NewDate(2020, time.December, 18), "Panama: a story of the eighteenth", "Summary.", "", "en"),
	)
	from := domain.NewDate(2020, time.December, 17)
	for _, w := range []struct {
		name     string
		from, to *domain.Date
	}{{"new since the last edition", nil, nil}, {"published from the 17th", &from, nil}} {
		planned, err := f.db.WindowItems(f.ctx, w.from, w.to, 0)
		if err != nil {
			t.Fatal(err)
		}
		e, _, err := f.db.CreateEdition(f.ctx, postgres.NewEdition{PublishedFrom: w.from, PublishedTo: w.to})
		if err != nil {
			t.Fatal(err)
		}
		if len(planned) != e.Items || e.Items == 0 {
			t.Errorf("%s: planned %d items, the edition holds %d", w.name, len(planned), e.Items)
		}
	}
	// Everything new went into the first edition.
	if planned, err := f.db.WindowItems(f.ctx, nil, nil, 0); err != nil || len(planned) != 0 {
		t.Errorf("after an edition, %d new items planned (%v), want 0", len(planned), err)
	}
}
