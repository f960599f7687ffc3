package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestAPIItemPatchIsAllOrNothing: a PATCH that features a story and
// changes it otherwise, refused for one of its fields, changes nothing:
// the story is not left featured by a call that answered 422.
func TestAPIItemPatchIsAllOrNothing(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	id := itoa(s.postItem(map[string]any{"published_on": "2024-01-03", "title": "A story to feature",
		"summary": "Its summary.", "url": "https://example.org/story", "language": "en"}))
	until := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Second).Format(time.RFC3339)
	for _, body := range []string{
		`{"featured_until":"` + until + `","title":""}`,
		`{"featured_until":"` + until + `","countries":["ZZ"]}`,
		`{"featured_until":"` + until + `","translation_of":999999}`,
	} {
		status, got := s.do("PATCH", "/api/v1/items/"+id, "application/json", []byte(body), true)
		if status != http.StatusUnprocessableEntity {
			t.Errorf("PATCH %s: %d %s; want 422", body, status, got)
		}
	}
	status, got := s.do("PATCH", "/api/v1/items/"+id, "application/json", []byte(`{"featured_until":"tomorrow"}`), true)
	if status != http.StatusBadRequest || !strings.Contains(string(got), `"featured_until: must be an RFC 3339 time`) {
		t.Errorf("PATCH featured_until tomorrow: %d %s; want 400 naming featured_until", status, got)
	}
	var featured *time.Time
	var audits int
	s.subsQuery(`SELECT featured_until, (SELECT count(*) FROM audit_log WHERE action LIKE 'item.%feature')
		FROM items WHERE id = $1`, []any{id}, &featured, &audits)
	if featured != nil || audits != 0 {
		t.Fatalf("after refused patches: featured until %v, %d feature audits; want neither", featured, audits)
	}

	// Featuring and editing in one call do both, and answer the item as
	// it is after both.
	var it struct {
		Title         string     `json:"title"`
		FeaturedUntil *time.Time `json:"featured_until"`
	}
	s.jsonCall("PATCH", "/api/v1/items/"+id, map[string]any{"featured_until": until, "title": "A featured story"}, &it, http.StatusOK)
	if it.Title != "A featured story" || it.FeaturedUntil == nil || it.FeaturedUntil.Format(time.RFC3339) != until {
		t.Errorf("answer = %+v; want the new title, featured until %s", it, until)
	}
	s.jsonCall("PATCH", "/api/v1/items/"+id, map[string]any{"featured_until": nil}, &it, http.StatusOK)
	if it.FeaturedUntil != nil {
		t.Errorf("after featured_until null: featured until %v", it.FeaturedUntil)
	}
	s.subsQuery(`SELECT count(*) FROM audit_log WHERE action IN ('item.feature', 'item.unfeature')`, nil, &audits)
	if audits != 2 {
		t.Errorf("%d feature audits, want 2 (one feature, one unfeature)", audits)
	}
}
