package postgres_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/testenv"
)

// A compile writes a delivery row per reader, a million at a million
// readers; a check run for each row (a foreign key's, any row trigger)
// cost more than the row itself. TestWritingADeliveryRunsNoCheckPerRow
// fails on any trigger that fires for each delivery inserted.
func TestWritingADeliveryRunsNoCheckPerRow(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	rows, err := db.Pool().Query(context.Background(), `
		SELECT tgname, tgfoid::regproc::text FROM pg_trigger
		WHERE tgrelid = 'deliveries'::regclass
		  AND tgtype & 1 = 1 -- for each row
		  AND tgtype & 4 = 4 -- on insert`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var name, fn string
		if err := rows.Scan(&name, &fn); err != nil {
			t.Fatal(err)
		}
		found = append(found, name+" ("+fn+")")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(found) > 0 {
		t.Errorf("inserting a delivery runs, for each row: %s", strings.Join(found, ", "))
	}
}

// Deleting subscribers, by hand since the application deletes none who
// were ever sent anything, takes their deliveries (and what came back
// for them) with them, as the foreign key's cascade did; truncating them
// too. Other people's deliveries stay.
func TestDeletingSubscribersTakesTheirDeliveries(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	ctx := context.Background()
	people := []string{"gone@example.org", "stays@example.org", "also-gone@example.org"}
	id, batches := sendingEdition(t, db, people, 0)
	attempt(t, db, id, batches[0], domain.DeliverySent)
	count := func(sql string) int {
		t.Helper()
		var n int
		if err := db.Pool().QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if _, err := db.Pool().Exec(ctx, `
		INSERT INTO bounce_reports (delivery_id, kind, report_id, source)
		SELECT d.id, 'hard', 'r1', 'test' FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
		WHERE s.email = 'gone@example.org'`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, `DELETE FROM subscribers WHERE email LIKE '%gone@example.org'`); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT count(*) FROM deliveries d WHERE NOT EXISTS (SELECT 1 FROM subscribers s WHERE s.id = d.subscriber_id)`); n != 0 {
		t.Errorf("%d deliveries outlived their subscriber", n)
	}
	if n := count(`SELECT count(*) FROM bounce_reports`); n != 0 {
		t.Errorf("%d bounce reports outlived their delivery", n)
	}
	if n := count(`SELECT count(*) FROM deliveries`); n != 1 {
		t.Errorf("%d deliveries left, want the one of stays@example.org", n)
	}
	if _, err := db.Pool().Exec(ctx, `TRUNCATE subscribers CASCADE`); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT count(*) FROM deliveries`); n != 0 {
		t.Errorf("%d deliveries outlived truncated subscribers", n)
	}
}

// A delivery written for someone deleted meanwhile (the compile read
// them, a hand-made delete came before its rows) is claimed as no longer
// subscribed, so the sender skips it and the edition can finish, instead
// of being claimed again for ever.
func TestADeliveryWhoseSubscriberIsGoneIsClaimedAsInactive(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	ctx := context.Background()
	id, batches := sendingEdition(t, db, []string{"gone@example.org"}, 0)
	// The trigger would delete the row; this is the delivery it could
	// not see, written by a transaction that had not committed yet.
	if _, err := db.Pool().Exec(ctx, `
		ALTER TABLE subscribers DISABLE TRIGGER subscribers_delete_deliveries;
		DELETE FROM subscribers;
		ALTER TABLE subscribers ENABLE TRIGGER subscribers_delete_deliveries`); err != nil {
		t.Fatal(err)
	}
	claimed, err := db.ClaimDeliveries(ctx, id, batches[0], time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(claimed) != 1 || claimed[0].Active || claimed[0].Email != "" {
		t.Fatalf("claimed %+v, want the one delivery, not active and with no address", claimed)
	}
}

// A digest's sections come back byte for byte as the compile wrote them:
// kept as written, they cost PostgreSQL neither a parse into a tree on
// the way in nor a print on the way out (migration 00043). Both ways of
// writing them, the COPY and the upsert of a compile run again, keep them.
func TestDigestSectionsComeBackAsWritten(t *testing.T) {
	t.Parallel()
	db := testenv.Database(t)
	ctx := context.Background()
	id, _ := sendingEdition(t, db, []string{"a@example.org"}, 0)
	written := json.RawMessage(`[{"kind":"country","key":"MX","items":[3,1,2]},{"kind":"topic","key":"health","items":[7]}]`)
	again := json.RawMessage(`[{"kind":"regional","key":"regional","items":[9]}]`)
	for _, pass := range []struct {
		name   string
		groups []domain.NewDigestGroup
	}{
		{"copied", []domain.NewDigestGroup{{Key: "written", Language: "es", Sections: written}}},
		// "written" again makes the COPY fail and the upsert write "again".
		{"upserted", []domain.NewDigestGroup{{Key: "written", Language: "es", Sections: written}, {Key: "again", Language: "es", Sections: again}}},
	} {
		ids, err := db.SaveGroups(ctx, id, pass.groups)
		if err != nil {
			t.Fatalf("%s: %v", pass.name, err)
		}
		for _, g := range pass.groups {
			got, err := db.Groups(ctx, []int64{ids[g.Key]})
			if err != nil || len(got) != 1 {
				t.Fatalf("%s: groups %v, %v", pass.name, got, err)
			}
			if string(got[0].Sections) != string(g.Sections) {
				t.Errorf("%s: sections of %q came back as %s, written as %s", pass.name, g.Key, got[0].Sections, g.Sections)
			}
		}
	}
}
