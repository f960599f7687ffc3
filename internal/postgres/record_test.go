package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/testenv"
)

// A record is written every few messages, some 20,000 times at a million
// readers. An UPDATE of subscribers, even of no row, runs that table's
// statement trigger (the tallies, a plpgsql query each time), so a record
// with no hard bounce in it must not name the table; one with a bounce
// must still count it against the address.
// TestRecordTouchesSubscribersOnlyForABounce counts the statements that
// update subscribers with a trigger of its own.
func TestRecordTouchesSubscribersOnlyForABounce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	people := []string{"ana@example.org", "ben@example.org", "cy@example.org"}
	id, batches := sendingEdition(t, db, people, 0)
	_, err := db.Pool().Exec(ctx, `
		CREATE TABLE subscriber_statements (at timestamptz NOT NULL);
		CREATE FUNCTION note_subscriber_statement() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN INSERT INTO subscriber_statements VALUES (clock_timestamp()); RETURN NULL; END $$;
		CREATE TRIGGER note_subscriber_statement AFTER UPDATE ON subscribers
		    FOR EACH STATEMENT EXECUTE FUNCTION note_subscriber_statement();`)
	if err != nil {
		t.Fatal(err)
	}
	statements := func() int {
		t.Helper()
		var n int
		if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM subscriber_statements`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	claims, err := db.ClaimDeliveries(ctx, id, domain.IDRange{First: batches[0].First, Last: batches[len(batches)-1].Last}, time.Minute)
	if err != nil || len(claims) != len(people) {
		t.Fatalf("claimed %d of %d: %v", len(claims), len(people), err)
	}

	// Sent, skipped and a temporary failure: no address is judged.
	err = db.RecordOutcomes(ctx, []domain.DeliveryOutcome{
		{ID: claims[0].ID, Status: domain.DeliverySent},
		{ID: claims[1].ID, Status: domain.DeliverySkipped, Reason: "left"},
	}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if n := statements(); n != 0 {
		t.Fatalf("a record without a bounce ran %d UPDATE statements on subscribers, want none", n)
	}

	// A hard bounce, with a limit of one: the address is marked bounced.
	err = db.RecordOutcomes(ctx, []domain.DeliveryOutcome{{ID: claims[2].ID, Status: domain.DeliveryFailed,
		Failure: domain.FailurePermanent, Error: "550 5.1.1 no such user", HardBounce: true}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if n := statements(); n != 1 {
		t.Fatalf("a record with a bounce ran %d UPDATE statements on subscribers, want 1", n)
	}
	var status string
	var bounces int
	if err := db.Pool().QueryRow(ctx, `SELECT status, hard_bounces FROM subscribers WHERE email = $1`, people[2]).
		Scan(&status, &bounces); err != nil {
		t.Fatal(err)
	}
	bounced, _ := domain.SubscriberTo(domain.StatusActive, domain.SubscriberBounce)
	if status != fmt.Sprint(bounced) || bounces != 1 {
		t.Errorf("after a hard bounce with a limit of one: %s with %d bounces, want %s with 1", status, bounces, bounced)
	}
	var sent, failed, skipped int
	if err := db.Pool().QueryRow(ctx, `SELECT sent, failed, skipped FROM editions WHERE id = $1`, id).
		Scan(&sent, &failed, &skipped); err != nil {
		t.Fatal(err)
	}
	if sent != 1 || failed != 1 || skipped != 1 {
		t.Errorf("the edition counts sent %d, failed %d, skipped %d; want 1 of each", sent, failed, skipped)
	}
}
