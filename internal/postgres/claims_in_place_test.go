package postgres_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
	"newsdigest/internal/testenv"
)

// claimedColumns are what claiming a delivery, giving it back, renewing
// its lease and recording it sent change (ClaimDeliveries, ReleaseClaims,
// ExtendLease, RecordOutcomes).
var claimedColumns = regexp.MustCompile(`\b(status|lease_until|attempts|updated_at|sent_at|last_error)\b`)

// A claim is an update of every delivery an edition sends, a million at
// a million readers. An index that names what it changes, in its keys or
// its predicate, makes PostgreSQL write the row elsewhere and an entry in
// every index of the table for each: most of its work while an edition
// sends. TestClaimingADeliveryLeavesItsIndexesAlone fails on such an
// index, and on a claim that is not a heap-only update.
func TestClaimingADeliveryLeavesItsIndexesAlone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	rows, err := db.Pool().Query(ctx, `
		SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'deliveries'::regclass`)
	if err != nil {
		t.Fatal(err)
	}
	defs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, def := range defs {
		if m := claimedColumns.FindString(def); m != "" {
			t.Errorf("an index names %s, which a claim changes: %s", m, def)
		}
	}

	// A batch of 100 deliveries, claimed with the sender's query and
	// counted inside the claim's transaction.
	people := make([]string, 100)
	for i := range people {
		people[i] = fmt.Sprintf("reader%d@example.org", i)
	}
	id, batches := sendingEdition(t, db, people, 0)
	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	from, lapsed, _ := domain.DeliveryRule(domain.DeliveryClaim)
	claims, err := tx.Query(ctx, postgres.ClaimSQL,
		id, batches[0].First, batches[len(batches)-1].Last, time.Minute, from, lapsed, domain.DeliverySending,
		domain.ReasonCancelled, domain.StatusActive, []string{string(domain.EditionPaused), string(domain.EditionFailed)})
	if err != nil {
		t.Fatal(err)
	}
	claims.Close()
	if err := claims.Err(); err != nil {
		t.Fatal(err)
	}
	var updated, heapOnly int
	if err := tx.QueryRow(ctx, `
		SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'deliveries'`).
		Scan(&updated, &heapOnly); err != nil {
		t.Fatal(err)
	}
	if updated != len(people) {
		t.Fatalf("the claim updated %d deliveries, want %d", updated, len(people))
	}
	// A claim updates every row of a page in one statement; the room the
	// pages keep (fillfactor) holds a new version of each, but for a
	// page's last row or two.
	if heapOnly < updated*9/10 {
		t.Errorf("%d of %d claimed deliveries were heap-only updates: the rest wrote an entry in every index", heapOnly, updated)
	}
}

// The record, sending to sent, is the other update every delivery gets:
// it too must leave every index alone. Whether it finds room beside the
// claimed version depends on pruning, which any transaction open on the
// server holds back; so TestRecordingADeliveryLeavesItsIndexesAlone
// gives its pages room (fillfactor 10) and sees what the indexes alone
// decide.
func TestRecordingADeliveryLeavesItsIndexesAlone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	if _, err := db.Pool().Exec(ctx, `ALTER TABLE deliveries SET (fillfactor = 10)`); err != nil {
		t.Fatal(err)
	}
	people := make([]string, 100)
	for i := range people {
		people[i] = fmt.Sprintf("reader%d@example.org", i)
	}
	id, batches := sendingEdition(t, db, people, 0)
	claims, err := db.ClaimDeliveries(ctx, id, domain.IDRange{First: batches[0].First, Last: batches[len(batches)-1].Last}, time.Minute)
	if err != nil || len(claims) != len(people) {
		t.Fatalf("claimed %d of %d: %v", len(claims), len(people), err)
	}
	ids := make([]int64, len(claims))
	for i, c := range claims {
		ids[i] = c.ID
	}

	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	// The view may still hold the claim's counts, not yet reported.
	var before [2]int
	if err := tx.QueryRow(ctx, `
		SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'deliveries'`).
		Scan(&before[0], &before[1]); err != nil {
		t.Fatal(err)
	}
	same := func(s string) []string { return slices.Repeat([]string{s}, len(ids)) }
	from, _, _ := domain.DeliveryRule(domain.DeliveryRecord)
	if _, err := tx.Exec(ctx, postgres.RecordSQL, ids, same(string(domain.DeliverySent)), same(""),
		make([]bool, len(ids)), same(""), same(""), from,
		domain.DeliverySent, domain.DeliveryFailed, domain.DeliverySkipped); err != nil {
		t.Fatal(err)
	}
	var updated, heapOnly int
	if err := tx.QueryRow(ctx, `
		SELECT n_tup_upd - $1, n_tup_hot_upd - $2 FROM pg_stat_xact_user_tables WHERE relname = 'deliveries'`,
		before[0], before[1]).Scan(&updated, &heapOnly); err != nil {
		t.Fatal(err)
	}
	if updated != len(ids) {
		t.Fatalf("the record updated %d deliveries, want %d", updated, len(ids))
	}
	if heapOnly != updated {
		t.Errorf("%d of %d deliveries recorded sent were heap-only updates: the rest wrote an entry in every index", heapOnly, updated)
	}
}

// Each partial index of the deliveries says what it holds by the mark an
// outcome leaves (sent_at, failure, reason), not by status; the table's
// constraints keep the marks and status in step, or a delivery sent with
// no time of sending would stay among the unfinished and its edition
// never finish.
func TestADeliveryCarriesTheMarkOfItsStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	id, _ := sendingEdition(t, db, []string{"marked@example.org"}, 0)
	for _, c := range []struct{ set, constraint string }{
		{`status = 'sent'`, "deliveries_sent_marked"},
		{`status = 'failed'`, "deliveries_failed_marked"},
		{`status = 'skipped'`, "deliveries_skipped_marked"},
		{`sent_at = now()`, "deliveries_sent_marked"},
		{`failure = 'temporary'`, "deliveries_failed_marked"},
		{`reason = 'left'`, "deliveries_skipped_marked"},
	} {
		_, err := db.Pool().Exec(ctx, `UPDATE deliveries SET `+c.set+` WHERE edition_id = $1`, id)
		if err == nil || !strings.Contains(err.Error(), c.constraint) {
			t.Errorf("a pending delivery with %s: %v, want a violation of %s", c.set, err, c.constraint)
		}
	}
	for _, set := range []string{
		`status = 'sent', sent_at = now()`,
		`status = 'failed', failure = 'permanent', sent_at = NULL`,
		`status = 'skipped', reason = 'left', failure = ''`,
	} {
		if _, err := db.Pool().Exec(ctx, `UPDATE deliveries SET `+set+` WHERE edition_id = $1`, id); err != nil {
			t.Errorf("%s: %v", set, err)
		}
	}
}

// Migration 44 gives deliveries written before it the marks of their
// status: skipped ones from before reasons were kept get one, and a mark
// left where the status does not carry it goes; deliveries that carry
// theirs are left as they were.
func TestMigrationMarksEveryDeliverysStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Database(t)
	// Back to the schema before 44, through the downs of those after it.
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	files = files[slices.Index(files, "migrations/00044_claims_in_place.sql"):]
	// Those after it that only add what today's code writes beside
	// deliveries stay, so that the code can make the edition below.
	files = slices.DeleteFunc(files, func(f string) bool {
		return f == "migrations/00047_joins_desk.sql" || f == "migrations/00055_due_before_change.sql" ||
			f == "migrations/00068_edition_paused_for.sql"
	})
	ups := make([]string, len(files))
	for i := len(files) - 1; i >= 0; i-- {
		text, err := os.ReadFile(files[i])
		if err != nil {
			t.Fatal(err)
		}
		up, down, _ := strings.Cut(string(text), "-- +goose Down")
		if _, err := db.Pool().Exec(ctx, down); err != nil {
			t.Fatalf("%s, down: %v", files[i], err)
		}
		ups[i] = up
	}
	people := []string{"old-skip@example.org", "old-sent@example.org", "old-pending@example.org", "fine@example.org"}
	id, _ := sendingEdition(t, db, people, 0)
	legacy := map[string]string{
		"old-skip@example.org":    `status = 'skipped', reason = ''`,
		"old-sent@example.org":    `status = 'sent', sent_at = NULL, updated_at = '2024-03-01T10:00:00Z'`,
		"old-pending@example.org": `status = 'pending', reason = 'left'`,
		"fine@example.org":        `status = 'sent', sent_at = '2024-03-01T09:00:00Z'`,
	}
	for email, set := range legacy {
		if _, err := db.Pool().Exec(ctx, `UPDATE deliveries SET `+set+`
			WHERE edition_id = $1 AND subscriber_id = (SELECT id FROM subscribers WHERE email = $2)`, id, email); err != nil {
			t.Fatal(err)
		}
	}
	for i, up := range ups {
		if _, err := db.Pool().Exec(ctx, up); err != nil {
			t.Fatalf("%s, up: %v", files[i], err)
		}
	}
	want := map[string]string{
		"old-skip@example.org":    "skipped|reason not recorded|",
		"old-sent@example.org":    "sent||2024-03-01T10:00:00Z",
		"old-pending@example.org": "pending||",
		"fine@example.org":        "sent||2024-03-01T09:00:00Z",
	}
	for email, w := range want {
		var got string
		if err := db.Pool().QueryRow(ctx, `
			SELECT d.status || '|' || d.reason || '|' || COALESCE(to_char(d.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '')
			FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
			WHERE d.edition_id = $1 AND s.email = $2`, id, email).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != w {
			t.Errorf("%s after migration 44: %s, want %s", email, got, w)
		}
	}
}
