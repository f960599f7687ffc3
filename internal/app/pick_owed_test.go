package app_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestItemPageSaysAPickIsOwedToReadersOfTheirOwnSchedule: once the desk's
// edition has spent a pick, the story's console page says that readers
// on a schedule of their own are still to get it and offers to leave it
// out of their digests; left out, the page says nothing more of it.
func TestItemPageSaysAPickIsOwedToReadersOfTheirOwnSchedule(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	var made struct {
		ID int64 `json:"id"`
	}
	s.jsonCall("POST", "/api/v1/items", map[string]any{"published_on": "2019-05-02", "title": "Costa Rica: a find of 2019",
		"summary": "A story of 2019 found late.", "url": "https://news.example/2019/find", "language": "en", "countries": []string{"CR"}},
		&made, http.StatusCreated)
	if status, got := s.importCSV("email,countries,topics,language\ndesk@example.org,CR,,en\n"); status != http.StatusOK || got.Imported != 1 {
		t.Fatalf("import the desk's reader: %d %+v", status, got)
	}
	const own = "own@example.org"
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": own, "countries": []string{"CR"}, "language": "es",
		"frequency": "daily", "timezone": "America/Costa_Rica", "hour": 7}, nil, http.StatusAccepted)
	if st, body := s.page(s.browser(), "POST", s.confirmPath(own, 1), nil); st != http.StatusOK {
		t.Fatalf("confirm: %d %s", st, body)
	}
	item := "/api/v1/items/" + itoa(made.ID)
	s.jsonCall("PATCH", item, map[string]any{"picked": true}, nil, http.StatusOK)
	var e edition
	s.jsonCall("POST", "/api/v1/editions", map[string]any{}, &e, http.StatusAccepted)
	if e = s.waitEdition(e.ID); e.Sent != 1 || e.Items != 1 {
		t.Fatalf("the desk's edition: %+v, want the picked story sent to its one reader", e)
	}

	console := s.consoleLogin()
	page := s.consoleGet(console, "/admin/items/"+itoa(made.ID)+"?lang=es")
	if !strings.Contains(page, `id="item-pick-owed"`) ||
		!strings.Contains(page, "Aún va camino de los lectores con un horario propio") ||
		!strings.Contains(page, "Dejarla fuera de sus boletines") {
		t.Fatalf("after the desk's edition the story's page does not say the pick is owed: %.2000s", page)
	}
	s.jsonCall("PATCH", item, map[string]any{"picked": false}, nil, http.StatusOK)
	if page := s.consoleGet(console, "/admin/items/"+itoa(made.ID)+"?lang=es"); strings.Contains(page, `id="item-pick-owed"`) {
		t.Error("a pick left out is still said to be owed")
	}
}
