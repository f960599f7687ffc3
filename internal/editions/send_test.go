package editions_test

import (
	"fmt"
	"testing"

	"newsdigest/internal/domain"
)

// failRecords makes the database refuse the next n writes of delivery
// outcomes (and only those: claims and lease renewals go through). A
// sequence counts the attempts because, unlike a table, it keeps counting
// when the refused transaction rolls back.
func (f *fixture) failRecords(n int) {
	f.t.Helper()
	_, err := f.db.Pool().Exec(f.ctx, fmt.Sprintf(`
		CREATE SEQUENCE record_attempts;
		CREATE FUNCTION refuse_records() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
		    IF nextval('record_attempts') <= %d THEN
		        RAISE EXCEPTION 'test: outcome write refused';
		    END IF;
		    RETURN NEW;
		END $$;
		CREATE TRIGGER refuse_records BEFORE UPDATE ON deliveries
		    FOR EACH ROW WHEN (OLD.status = 'sending' AND NEW.status <> 'sending')
		    EXECUTE FUNCTION refuse_records();`, n))
	if err != nil {
		f.t.Fatal(err)
	}
}

// TestFailedRecordWriteIsTriedAgain: when writing outcomes fails for a
// while, the outcomes are kept and written once the database answers, so
// the batch ends recorded, every reader got one message, and sending the
// batch again sends nothing. (Outcomes that came after a failed write were
// once dropped, and their messages went out again.)
func TestFailedRecordWriteIsTriedAgain(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.item(*day("2021-02-01"), "Echo", "CR")
	const readers = 60
	for i := range readers {
		f.subscriber(fmt.Sprintf("r%02d@example.org", i), "CR")
	}
	e, _, err := f.db.CreateEdition(f.ctx, domain.NewEdition{})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.compiler.Compile(f.ctx, e.ID); err != nil {
		t.Fatal(err)
	}
	f.failRecords(3)
	all := domain.IDRange{First: 0, Last: 1 << 62}
	if err := f.sender.SendBatch(f.ctx, e.ID, all, false); err != nil {
		t.Fatalf("send batch: %v", err)
	}
	var refused int64
	f.db.Pool().QueryRow(f.ctx, `SELECT last_value FROM record_attempts`).Scan(&refused)
	if refused < 4 {
		t.Fatalf("the outcome writes were refused %d times, want the test to have refused 3 and seen a later one", refused)
	}
	var statuses []string
	rows, err := f.db.Pool().Query(f.ctx, `SELECT status || ':' || count(*) FROM deliveries WHERE edition_id = $1 GROUP BY status`, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		statuses = append(statuses, s)
	}
	if len(statuses) != 1 || statuses[0] != fmt.Sprintf("sent:%d", readers) {
		t.Errorf("deliveries by status: %v, want all %d sent", statuses, readers)
	}
	// A retry of the batch, as the queue would make, finds nothing to send.
	if err := f.sender.SendBatch(f.ctx, e.ID, all, false); err != nil {
		t.Fatal(err)
	}
	for i := range readers {
		if n := len(f.smtp.To(fmt.Sprintf("r%02d@example.org", i))); n != 1 {
			t.Errorf("r%02d@example.org got %d messages, want 1", i, n)
		}
	}
	got, err := f.db.Edition(f.ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != domain.EditionDone || got.Sent != readers {
		t.Errorf("edition = %+v, want done with %d sent", got, readers)
	}
}
