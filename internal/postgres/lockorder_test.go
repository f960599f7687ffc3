package postgres_test

import (
	"context"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
	"newsdigest/internal/testenv"
)

// Two transactions that take the same locks in opposite orders deadlock:
// PostgreSQL then aborts one of them. These tests hold a lock of their own
// (blocker) to stop one side midway, let the other start, and release it:
// in the wrong order the two deadlock every time.

// waiters counts the lock requests of the database that wait.
func waiters(t *testing.T, db *postgres.DB) int {
	t.Helper()
	var n int
	err := db.Pool().QueryRow(context.Background(), `SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE NOT l.granted AND a.datname = current_database()`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// waitWaiters polls until n lock requests wait.
func waitWaiters(t *testing.T, db *postgres.DB, n int, what string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for waiters(t, db) < n {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// blocker holds a row lock until released.
func blocker(t *testing.T, db *postgres.DB, sql string, args ...any) (release func()) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, sql, args...); err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// claimOne claims the one delivery of a batch of one.
func claimOne(t *testing.T, db *postgres.DB, edition int64, batch domain.IDRange) domain.ClaimedDelivery {
	t.Helper()
	c, err := db.ClaimDeliveries(context.Background(), edition, batch, time.Minute)
	if err != nil || len(c) != 1 {
		t.Fatalf("claim: %v %v", c, err)
	}
	return c[0]
}

// result waits for one side's error.
func result(t *testing.T, errc <-chan error, what string) {
	t.Helper()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("%s still waits after 60 s", what)
	}
}

// TestRecordingAndCancellingLockInOneOrder: a batch records the outcome
// of two deliveries (one whose lease ran out) while an editor cancels the
// edition, which settles that delivery. Both take the edition before its
// deliveries, so neither is aborted.
func TestRecordingAndCancellingLockInOneOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	id, batches := sendingEdition(t, db, []string{"a@example.org", "b@example.org"}, 0)
	claims := []domain.ClaimedDelivery{claimOne(t, db, id, batches[0]), claimOne(t, db, id, batches[1])}
	first, second := claims[0].ID, claims[1].ID
	// The first one's lease ran out while it was being sent: cancelling
	// settles it.
	if _, err := db.Pool().Exec(ctx, `UPDATE deliveries SET lease_until = now() - interval '1 minute' WHERE id = $1`, first); err != nil {
		t.Fatal(err)
	}
	release := blocker(t, db, `SELECT 1 FROM deliveries WHERE id = $1 FOR UPDATE`, second)
	recorded := make(chan error, 1)
	go func() {
		recorded <- db.RecordOutcomes(ctx, []domain.DeliveryOutcome{{ID: first, Status: domain.DeliverySent}, {ID: second, Status: domain.DeliverySent}}, 3)
	}()
	waitWaiters(t, db, 1, "the record to wait for the second delivery")
	cancelled := make(chan error, 1)
	go func() {
		_, err := db.CancelEdition(ctx, id)
		cancelled <- err
	}()
	waitWaiters(t, db, 2, "the cancel to wait")
	release()
	result(t, recorded, "recording the outcomes")
	result(t, cancelled, "cancelling")
}

// TestImportAndTranslationLinkLockInOneOrder: an import meets three
// stored stories in its document's order while an editor links two of
// them as translations. The link waits for the import (and the import
// for it), so neither is aborted.
func TestImportAndTranslationLinkLockInOneOrder(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	story := func(title, lang string, day int) domain.Item {
		return domain.Item{PublishedOn: domain.NewDate(2021, time.March, day), Title: title, Summary: "A summary.",
			Language: lang, Fingerprint: "lock:" + title}
	}
	// Stored in this order, so that the Spanish story has the lowest id.
	es, en, other := story("Costa Rica abre un centro", "es", 1), story("Costa Rica opens a centre", "en", 10), story("Panama counts arrivals", "en", 20)
	for _, it := range []domain.Item{es, en, other} {
		if _, _, err := f.db.InsertItems(f.ctx, []domain.Item{it}); err != nil {
			t.Fatal(err)
		}
	}
	ids := map[string]int64{}
	for _, it := range f.all() {
		ids[it.Title] = it.ID
	}
	// The import meets the English story, then waits at the other one,
	// then will want the Spanish one.
	release := blocker(t, f.db, `SELECT 1 FROM items WHERE id = $1 FOR UPDATE`, ids[other.Title])
	imported := make(chan error, 1)
	go func() {
		_, _, err := f.db.InsertItems(context.Background(), []domain.Item{en, other, es})
		imported <- err
	}()
	waitWaiters(t, f.db, 1, "the import to wait")
	linked := make(chan error, 1)
	go func() {
		_, err := f.db.UpdateItem(context.Background(), "editor", ids[es.Title],
			domain.ItemUpdate{TranslationOf: domain.OptionalID{Set: true, ID: ids[en.Title]}}, func(*domain.Item) error { return nil })
		linked <- err
	}()
	waitWaiters(t, f.db, 2, "the link to wait")
	release()
	result(t, imported, "the import")
	result(t, linked, "the link")
	var root *int64
	if err := f.db.Pool().QueryRow(f.ctx, `SELECT translation_of FROM items WHERE id = $1`, ids[en.Title]).Scan(&root); err != nil {
		t.Fatal(err)
	}
	if root == nil || *root != ids[es.Title] {
		t.Errorf("the English story is a version of %v, want %d", root, ids[es.Title])
	}
}

// TestErasureAndRecordingLockInOneOrder: a reader whose mailbox deferred
// their digest (its reply kept as the delivery's last error) is erased
// while the batch that tried it again records a hard bounce, which
// counts against the address. The record takes the delivery, then the
// subscriber; the erasure blanks the delivery's reply, and so takes it
// before the subscriber too, or the two would deadlock.
func TestErasureAndRecordingLockInOneOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	id, batches := sendingEdition(t, db, []string{"a@example.org"}, 0)
	d := claimOne(t, db, id, batches[0])
	if err := db.RecordOutcomes(ctx, []domain.DeliveryOutcome{{ID: d.ID, Status: domain.DeliveryPending, Error: "451 try again later"}}, 3); err != nil {
		t.Fatal(err)
	}
	d = claimOne(t, db, id, batches[0])
	var subscriber int64
	if err := db.Pool().QueryRow(ctx, `SELECT subscriber_id FROM deliveries WHERE id = $1`, d.ID).Scan(&subscriber); err != nil {
		t.Fatal(err)
	}
	// The erasure waits at the reader's consent records, past the point
	// where it takes their row.
	release := blocker(t, db, `SELECT 1 FROM consents WHERE subscriber_id = $1 FOR UPDATE`, subscriber)
	erased := make(chan error, 1)
	go func() { erased <- db.EraseSubscriber(ctx, subscriber, "operator@example.org", "new-token") }()
	waitWaiters(t, db, 1, "the erasure to wait")
	recorded := make(chan error, 1)
	go func() {
		recorded <- db.RecordOutcomes(ctx, []domain.DeliveryOutcome{{ID: d.ID, Status: domain.DeliveryFailed,
			Failure: domain.FailurePermanent, Error: "550 no such user", HardBounce: true}}, 3)
	}()
	waitWaiters(t, db, 2, "the record to wait")
	release()
	result(t, erased, "the erasure")
	result(t, recorded, "recording the outcome")
	// The server's reply to the erased reader is not kept.
	var reply string
	if err := db.Pool().QueryRow(ctx, `SELECT last_error FROM deliveries WHERE id = $1`, d.ID).Scan(&reply); err != nil || reply != "" {
		t.Errorf("after the erasure the delivery keeps the reply %q (%v)", reply, err)
	}
}

// TestRecordingAndAbandoningLockInOneOrder: a batch that went out while
// its edition compiled records its two deliveries after the compile
// failed for good, one of them after its lease ran out, while the
// reconciler abandons the failed edition's lapsed deliveries. Both take
// the edition before its deliveries, so neither is aborted.
func TestRecordingAndAbandoningLockInOneOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	id, batches := sendingEdition(t, db, []string{"a@example.org", "b@example.org"}, 0)
	claims := []domain.ClaimedDelivery{claimOne(t, db, id, batches[0]), claimOne(t, db, id, batches[1])}
	lapsed, second := claims[0].ID, claims[1].ID
	if _, err := db.Pool().Exec(ctx, `UPDATE editions SET status = 'compiling' WHERE id = $1`, id); err != nil {
		t.Fatal(err) // its batches went out while it compiled
	}
	if ok, err := db.FailEdition(ctx, id, "compile failed: out of time"); err != nil || !ok {
		t.Fatalf("fail the edition: %v %v", ok, err)
	}
	if _, err := db.Pool().Exec(ctx, `UPDATE deliveries SET lease_until = now() - interval '1 minute' WHERE id = $1`, lapsed); err != nil {
		t.Fatal(err)
	}
	release := blocker(t, db, `SELECT 1 FROM deliveries WHERE id = $1 FOR UPDATE`, second)
	recorded := make(chan error, 1)
	go func() {
		recorded <- db.RecordOutcomes(ctx, []domain.DeliveryOutcome{{ID: second, Status: domain.DeliverySent}, {ID: lapsed, Status: domain.DeliverySent}}, 3)
	}()
	waitWaiters(t, db, 1, "the record to wait for the second delivery")
	abandoned := make(chan error, 1)
	go func() { abandoned <- db.AbandonLapsed(ctx) }()
	waitWaiters(t, db, 2, "the reconciler to wait")
	release()
	result(t, recorded, "recording the outcomes")
	result(t, abandoned, "abandoning the lapsed deliveries")
}

// TestReplyToAnErasedReaderIsNotKept: a reader is erased while their
// digest is out; the server's reply to it, recorded after, may quote
// their address, and is not kept.
func TestReplyToAnErasedReaderIsNotKept(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	id, batches := sendingEdition(t, db, []string{"gone@example.org"}, 0)
	d := claimOne(t, db, id, batches[0])
	var subscriber int64
	if err := db.Pool().QueryRow(ctx, `SELECT subscriber_id FROM deliveries WHERE id = $1`, d.ID).Scan(&subscriber); err != nil {
		t.Fatal(err)
	}
	if err := db.EraseSubscriber(ctx, subscriber, "operator@example.org", "new-token"); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordOutcomes(ctx, []domain.DeliveryOutcome{{ID: d.ID, Status: domain.DeliveryFailed,
		Failure: domain.FailurePermanent, Error: "550 5.1.1 <gone@example.org>: no such user", HardBounce: true}}, 3); err != nil {
		t.Fatal(err)
	}
	var status, reply string
	if err := db.Pool().QueryRow(ctx, `SELECT status, last_error FROM deliveries WHERE id = $1`, d.ID).Scan(&status, &reply); err != nil {
		t.Fatal(err)
	}
	if status != string(domain.DeliveryFailed) || reply != "" {
		t.Errorf("the delivery is %s with the reply %q; want failed, with no reply kept", status, reply)
	}
}
