package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
	"newsdigest/internal/testenv"
)

// erasedReaderDigest sends one reader a digest that went out, and
// returns the delivery and the reader.
func erasedReaderDigest(t *testing.T, db *postgres.DB, addr string) (delivery, subscriber int64) {
	t.Helper()
	ctx := context.Background()
	id, batches := sendingEdition(t, db, []string{addr}, 0)
	d := claimOne(t, db, id, batches[0])
	if err := db.RecordOutcomes(ctx, []domain.DeliveryOutcome{{ID: d.ID, Status: domain.DeliverySent}}, 3); err != nil {
		t.Fatal(err)
	}
	if err := db.Pool().QueryRow(ctx, `SELECT subscriber_id FROM deliveries WHERE id = $1`, d.ID).Scan(&subscriber); err != nil {
		t.Fatal(err)
	}
	return d.ID, subscriber
}

// keptDiagnostics are the remote servers' words kept about a reader's
// deliveries and one-off mails.
func keptDiagnostics(t *testing.T, db *postgres.DB, subscriber int64) []string {
	t.Helper()
	rows, err := db.Pool().Query(context.Background(), `
		SELECT bounce_diagnostic FROM deliveries WHERE subscriber_id = $1 AND bounce_diagnostic <> ''
		UNION ALL SELECT diagnostic FROM notice_bounce_reports WHERE subscriber_id = $1 AND diagnostic <> ''`, subscriber)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return kept
}

// TestErasureBlanksBounceDiagnostics: the remote server's words that came
// back about a reader's digest or confirmation quote their address
// ("550 5.1.1 <ana@example.org>: user unknown"); erasing the reader
// blanks them, as it blanks the replies at the send.
func TestErasureBlanksBounceDiagnostics(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	delivery, subscriber := erasedReaderDigest(t, db, "ana@example.org")
	if _, err := db.RecordBounce(ctx, domain.BounceReport{DeliveryID: delivery, Kind: domain.BounceSoft, Source: "smtp",
		ReportID: "dsn-1", Code: "5.2.2", Diagnostic: "552 5.2.2 <ana@example.org>: mailbox full"}, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecordNoticeBounce(ctx, subscriber, domain.BounceReport{Kind: domain.BounceSoft, Source: "smtp",
		ReportID: "dsn-2", Code: "4.2.2", Diagnostic: "452 4.2.2 <ana@example.org>: over quota"}, 3); err != nil {
		t.Fatal(err)
	}
	if kept := keptDiagnostics(t, db, subscriber); len(kept) != 2 {
		t.Fatalf("before the erasure: %q kept, want both reports' words", kept)
	}
	if err := db.EraseSubscriber(ctx, subscriber, "operator@example.org", "new-token"); err != nil {
		t.Fatal(err)
	}
	if kept := keptDiagnostics(t, db, subscriber); len(kept) != 0 {
		t.Errorf("after the erasure the reports keep %q", kept)
	}
}

// TestBounceOfAnErasedReaderKeepsNoDiagnostic: a DSN comes days after
// the digest, when its reader has been erased. What it is (its kind and
// code) counts for the edition; the server's words, which quote the
// address, are not kept.
func TestBounceOfAnErasedReaderKeepsNoDiagnostic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	delivery, subscriber := erasedReaderDigest(t, db, "ben@example.org")
	if err := db.EraseSubscriber(ctx, subscriber, "operator@example.org", "new-token"); err != nil {
		t.Fatal(err)
	}
	out, err := db.RecordBounce(ctx, domain.BounceReport{DeliveryID: delivery, Kind: domain.BounceHard, Source: "smtp",
		ReportID: "dsn-1", Code: "5.1.1", Diagnostic: "550 5.1.1 <ben@example.org>: Recipient address rejected: User unknown"}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if out.After != domain.StatusErased {
		t.Errorf("after the bounce the reader is %s, want still %s", out.After, domain.StatusErased)
	}
	if _, err := db.RecordNoticeBounce(ctx, subscriber, domain.BounceReport{Kind: domain.BounceHard, Source: "smtp",
		ReportID: "dsn-2", Code: "5.1.1", Diagnostic: "550 5.1.1 <ben@example.org>: no such user"}, 3); err != nil {
		t.Fatal(err)
	}
	var kind, code string
	if err := db.Pool().QueryRow(ctx, `SELECT bounce_kind, bounce_code FROM deliveries WHERE id = $1`, delivery).
		Scan(&kind, &code); err != nil {
		t.Fatal(err)
	}
	if kind != domain.BounceHard || code != "5.1.1" {
		t.Errorf("the delivery's report: %q %q, want hard 5.1.1", kind, code)
	}
	if kept := keptDiagnostics(t, db, subscriber); len(kept) != 0 {
		t.Errorf("the reports about an erased reader keep %q", kept)
	}
}

// TestErasureWhileABounceIsRecorded: a DSN about a reader's digest is
// being recorded (its words written, the reader's row taken) when the
// reader is erased. The erasure waits for it and blanks its words.
func TestErasureWhileABounceIsRecorded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	delivery, subscriber := erasedReaderDigest(t, db, "cy@example.org")
	// The record stops at a gate once it has updated the reader's row,
	// past every write of the delivery.
	_, err := db.Pool().Exec(ctx, `
		CREATE TABLE bounce_gate (id int PRIMARY KEY); INSERT INTO bounce_gate VALUES (1);
		CREATE FUNCTION pass_bounce_gate() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN PERFORM 1 FROM bounce_gate FOR UPDATE; RETURN NULL; END $$;
		CREATE TRIGGER pass_bounce_gate AFTER UPDATE ON subscribers
		    FOR EACH STATEMENT EXECUTE FUNCTION pass_bounce_gate();`)
	if err != nil {
		t.Fatal(err)
	}
	release := blocker(t, db, `SELECT 1 FROM bounce_gate FOR UPDATE`)
	recorded := make(chan error, 1)
	go func() {
		_, err := db.RecordBounce(ctx, domain.BounceReport{DeliveryID: delivery, Kind: domain.BounceHard, Source: "smtp",
			ReportID: "dsn-1", Code: "5.1.1", Diagnostic: "550 5.1.1 <cy@example.org>: user unknown"}, 3)
		recorded <- err
	}()
	waitWaiters(t, db, 1, "the record to reach the gate")
	erased := make(chan error, 1)
	go func() { erased <- db.EraseSubscriber(ctx, subscriber, "operator@example.org", "new-token") }()
	waitWaiters(t, db, 2, "the erasure to wait for the record")
	release()
	result(t, recorded, "recording the bounce")
	result(t, erased, "the erasure")
	if kept := keptDiagnostics(t, db, subscriber); len(kept) != 0 {
		t.Errorf("after the erasure the reports keep %q", kept)
	}
}
