package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestAPIItemsFilterRefusesWhatItCannotMatch: GET /api/v1/items with a
// country or topic the taxonomy does not know, or a period that ends
// before it starts, is refused with the parameter named, as the
// subscribers' and the stories' statistics filters are. An empty page
// would read as "no such stories" to a client whose typo it hides.
func TestAPIItemsFilterRefusesWhatItCannotMatch(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	s.postItem(map[string]any{"published_on": "2024-01-03", "title": "Costa Rica opens a new border post",
		"summary": "Health services at the border.", "url": "https://example.org/cr", "language": "en",
		"countries": []string{"CR"}, "topics": []string{"health"}})
	for _, tc := range []struct {
		query, code, naming string
		status              int
	}{
		{"country=ZZ", "malformed", "country", http.StatusBadRequest},
		{"country=central-america", "malformed", "country", http.StatusBadRequest},
		{"topic=helth", "malformed", "topic", http.StatusBadRequest},
		{"from=2024-02-01&to=2024-01-01", "invalid", "to", http.StatusUnprocessableEntity},
	} {
		status, body := s.do("GET", "/api/v1/items?"+tc.query, "", nil, true)
		var e apiErr
		json.Unmarshal(body, &e)
		if status != tc.status || e.Error.Code != tc.code || !strings.HasPrefix(e.Error.Message, tc.naming+":") {
			t.Errorf("?%s: %d %s; want %d %s naming %s", tc.query, status, body, tc.status, tc.code, tc.naming)
		}
	}
	// Codes are read in any case, and a one-day period is a period.
	for _, q := range []string{"country=cr", "topic=HEALTH", "from=2024-01-03&to=2024-01-03"} {
		var page struct{ Items []struct{ ID int64 } }
		s.jsonCall("GET", "/api/v1/items?"+q, nil, &page, http.StatusOK)
		if len(page.Items) != 1 {
			t.Errorf("?%s: %d items, want 1", q, len(page.Items))
		}
	}
}
