package app_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
)

// TestEditionPausesItself sends an edition through a relay that refuses
// a third of its readers for good: once more than 5% of what was tried
// has bounced (EDITION_PAUSE_MIN_SENT tried at least), the edition
// pauses by itself, no delivery is left claimed and nothing more goes
// out; the API, the edition's page and the dashboard say why; resumed,
// it finishes, and every reader the relay takes gets one digest.
func TestEditionPausesItself(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"EDITION_PAUSE_MIN_SENT": "10", "SEND_RATE": "20"})
	s.smtp.Reject = func(rcpt string) error {
		if strings.HasPrefix(rcpt, "gone") {
			return &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
		}
		return nil
	}
	editionsImportFixture(t, s)
	const people = 90
	importSomeGone(t, s, people, 3)
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", stories2020, &created, http.StatusAccepted)
	id := created.ID

	type pausedDoc struct {
		edition
		Paused *struct {
			Cause     string `json:"cause"`
			Count, Of int
		} `json:"paused"`
	}
	var e pausedDoc
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		s.jsonCall("GET", "/api/v1/editions/"+itoa(id), nil, &e, http.StatusOK)
		if e.Status == "paused" || e.Status == "done" || time.Now().After(deadline) {
			break
		}
	}
	if e.Status != "paused" || e.Paused == nil || e.Paused.Cause != "bounces" || e.Paused.Of < 10 ||
		e.Paused.Count*100 <= 5*e.Paused.Of {
		t.Fatalf("edition: %+v (paused %+v), want paused for bounces over 5%% of at least 10 tried", e, e.Paused)
	}

	// The batches in flight put back what they had not sent: nothing stays
	// claimed, and nothing more goes out.
	conn := s.dbConn()
	var claimed, pending int
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if err := conn.QueryRow(context.Background(), `
			SELECT count(*) FILTER (WHERE status = 'sending'), count(*) FILTER (WHERE status = 'pending')
			FROM deliveries WHERE edition_id = $1`, id).Scan(&claimed, &pending); err != nil {
			t.Fatal(err)
		}
		if claimed == 0 || time.Now().After(deadline) {
			break
		}
	}
	if claimed != 0 || pending == 0 {
		t.Fatalf("paused: %d deliveries claimed, %d pending; want none claimed and some waiting", claimed, pending)
	}
	before := len(s.smtp.Messages())
	c := s.consoleLogin()
	if page := s.consoleGet(c, "/admin/editions/"+itoa(id)); !strings.Contains(page, `id="paused-why"`) || !strings.Contains(page, "5%") {
		t.Errorf("the edition's page does not say why it paused")
	}
	if page := s.consoleGet(c, "/admin"); !strings.Contains(page, `id="last-edition-paused"`) {
		t.Errorf("the dashboard does not say the edition paused")
	}
	if after := len(s.smtp.Messages()); after != before {
		t.Errorf("%d messages went out while paused", after-before)
	}

	// Resumed, it finishes and does not pause again.
	s.jsonCall("POST", "/api/v1/editions/"+itoa(id)+"/resume", nil, &e, http.StatusAccepted)
	s.jsonCall("POST", "/api/v1/editions/"+itoa(id)+"/resume", nil, nil, http.StatusConflict)
	done := s.waitEdition(id)
	if done.Sent != people-people/3 || done.Failed != people/3 {
		t.Errorf("after resume: %+v, want %d sent and %d refused", done, people-people/3, people/3)
	}
	for i := range people {
		if i%3 == 0 {
			continue
		}
		if n := len(s.smtp.To("reader" + strconv.Itoa(i) + "@example.org")); n != 1 {
			t.Errorf("reader%d got %d digests, want 1", i, n)
		}
	}
}

// importSomeGone imports people readers of Costa Rica, every gone-th of
// them (from the first) at an address "gone…" that the tests' relay
// refuses for good, the others "reader…".
func importSomeGone(t *testing.T, s *stack, people, gone int) {
	t.Helper()
	var csv strings.Builder
	csv.WriteString("email,countries,topics,language\n")
	for i := range people {
		name := "reader"
		if i%gone == 0 {
			name = "gone"
		}
		csv.WriteString(name + strconv.Itoa(i) + "@example.org,CR,,en\n")
	}
	if status, got := s.importCSV(csv.String()); status != http.StatusOK || got.Imported != people {
		t.Fatalf("import readers: %d %+v", status, got)
	}
}
