package app_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestConsoleSaysWhenThereIsNothingYet: on a desk's first day the
// dashboard says no source is polled yet (not that every poll went
// well) and the subscribers list that there is no one yet (not that no
// one matches filters nobody set); once there is something, the usual
// words come back. (The source is added as an editor may write its
// interval: "6 horas".)
func TestConsoleSaysWhenThereIsNothingYet(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	console := s.consoleLogin()
	if page := s.consoleGet(console, "/admin?lang=en"); !strings.Contains(page, `id="no-sources"`) ||
		!strings.Contains(page, "No source is polled yet") || strings.Contains(page, "last poll went well") {
		t.Errorf("the first day's dashboard does not say no source is polled yet:\n%.3000s", page)
	}
	if page := s.consoleGet(console, "/admin/subscribers?lang=es"); !strings.Contains(page, "Todavía no hay suscriptores") {
		t.Errorf("the first day's subscribers list does not say there is no one yet:\n%.3000s", page)
	}
	if page := s.consoleGet(console, "/admin/subscribers?lang=en&status=bounced"); !strings.Contains(page, "No one matches these filters.") {
		t.Errorf("a filtered empty list does not say no one matches:\n%.3000s", page)
	}

	if status, body := s.do("POST", "/api/v1/sources", "application/json",
		[]byte(`{"url":"https://feeds.example.org/news.xml","kind":"feed","interval":"6 horas"}`), true); status != http.StatusCreated ||
		!strings.Contains(string(body), `"interval":"6h"`) {
		t.Fatalf("add a source polled every \"6 horas\": %d %s", status, body)
	}
	if page := s.consoleGet(console, "/admin?lang=en"); strings.Contains(page, `id="no-sources"`) || !strings.Contains(page, "last poll went well") {
		t.Errorf("with a source that has not failed, the dashboard says:\n%.3000s", page)
	}
}
