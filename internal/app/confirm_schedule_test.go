package app_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The confirmation page shows when the digest would arrive, in the
// page's language, and its button confirms only the schedule it showed:
// a stranger who signs the pending address up again with another
// schedule cannot have it confirmed unseen. A sign-up that gives no
// schedule leaves the one chosen.
func TestConfirmPageShowsTheSchedule(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	conn := s.dbConn()
	addr := "vera@example.org"
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": addr, "countries": []string{"CR"},
		"frequency": "weekly", "timezone": "America/Costa_Rica", "hour": 8}, nil, http.StatusAccepted)
	path := s.confirmPath(addr, 1)
	b := s.browser()
	status, page := s.page(b, "GET", path, nil)
	for _, want := range []string{"at 08:00 (Costa Rica time)", "When there are fewer than 3 stories, it may wait for more, up to 28 days."} {
		if status != http.StatusOK || !strings.Contains(page, html.EscapeString(want)) {
			t.Errorf("confirmation page (%d) does not show %q:\n%s", status, want, page)
		}
	}
	shown := choicesField.FindStringSubmatch(page)
	if shown == nil {
		t.Fatalf("the confirmation form does not carry what it shows:\n%s", page)
	}

	// A stranger changes only the schedule.
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": addr, "countries": []string{"CR"},
		"frequency": "daily", "timezone": "Asia/Tokyo", "hour": 3}, nil, http.StatusAccepted)
	status, page = s.page(b, "POST", path, url.Values{"choices": {shown[1]}})
	if status != http.StatusConflict || !strings.Contains(page, "Every day at 03:00 (Tokyo time)") {
		t.Errorf("confirming a schedule changed since it was shown: %d, want 409 showing the new one:\n%s", status, page)
	}
	if st := byEmail(s.subscribers("limit=10"))[addr].Status; st != "pending" {
		t.Fatalf("after confirming a changed schedule, %s is %q, want still pending", addr, st)
	}
	now := choicesField.FindStringSubmatch(page)
	if now == nil || now[1] == shown[1] {
		t.Fatalf("the page shown again does not carry the new schedule: %v", now)
	}
	_, es := s.page(b, "GET", path+"?lang=es", nil)
	if want := "Todos los días a las 03:00 (hora de Tokio)"; !strings.Contains(es, html.EscapeString(want)) {
		t.Errorf("the Spanish page does not show %q:\n%s", want, es)
	}

	// A sign-up without a schedule changes neither it nor the signature.
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": addr, "countries": []string{"CR"}}, nil, http.StatusAccepted)
	if got := s.readerSchedule(conn, addr); got != "daily Asia/Tokyo 3" {
		t.Errorf("a sign-up without a schedule left %q, want the one chosen (daily Asia/Tokyo 3)", got)
	}
	if status, page = s.page(b, "POST", path, url.Values{"choices": {now[1]}}); status != http.StatusOK {
		t.Fatalf("confirming the schedule shown: %d\n%s", status, page)
	}
	if got := s.readerSchedule(conn, addr); got != "daily Asia/Tokyo 3" {
		t.Errorf("confirmed with schedule %q, want the one shown", got)
	}
}
