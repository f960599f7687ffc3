package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestAPIRefusesUnknownFields: a body none of whose fields the call
// knows, most often a misspelt one, is a 400 naming them, and nothing is
// done: a typo in "hidden" must not answer 200 and leave the story
// shown. A body with fields the call knows is taken, whatever else it
// holds: an item sent back as it was read, with its id, is saved.
func TestAPIRefusesUnknownFields(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	id := itoa(s.postItem(map[string]any{"published_on": "2024-01-03", "title": "A story to keep", "summary": "Its summary.",
		"url": "https://example.org/story", "language": "en"}))
	for _, tc := range []struct {
		method, path, body string
		admin              bool
	}{
		{"PATCH", "/api/v1/items/" + id, `{"hiden":true}`, true},
		{"POST", "/api/v1/items", `{"published":"2024-01-04","headline":"New"}`, true},
		{"POST", "/api/v1/sources", `{"feed":"https://example.org/feed.xml","intervall":"5m"}`, true},
		{"POST", "/api/v1/previews", `{"langauge":"es"}`, true},
		{"POST", "/api/v1/subscriptions", `{"mail":"reader@example.org","frequence":"daily"}`, false},
	} {
		status, body := s.do(tc.method, tc.path, "application/json", []byte(tc.body), tc.admin)
		var e apiErr
		json.Unmarshal(body, &e)
		if status != http.StatusBadRequest || e.Error.Code != "malformed" || !strings.Contains(e.Error.Message, "unknown field") {
			t.Errorf("%s %s %s: %d %.200s; want 400 malformed naming the unknown field", tc.method, tc.path, tc.body, status, body)
		}
	}
	var items, sources, readers int
	s.subsQuery(`SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM sources), (SELECT count(*) FROM subscribers)`,
		nil, &items, &sources, &readers)
	if items != 1 || sources != 0 || readers != 0 {
		t.Errorf("after refused calls: %d items, %d sources, %d subscribers; want 1, 0, 0", items, sources, readers)
	}
	var hidden bool
	s.subsQuery(`SELECT hidden FROM items WHERE id = $1`, []any{id}, &hidden)
	if hidden {
		t.Errorf("the item was hidden")
	}

	// The item as the API lists it, changed and sent back whole.
	var list struct{ Items []map[string]any }
	s.jsonCall("GET", "/api/v1/items", nil, &list, http.StatusOK)
	if len(list.Items) != 1 {
		t.Fatalf("listed %d items, want 1", len(list.Items))
	}
	item := list.Items[0]
	item["hidden"] = true
	s.jsonCall("PATCH", "/api/v1/items/"+id, item, nil, http.StatusOK)
	s.subsQuery(`SELECT hidden FROM items WHERE id = $1`, []any{id}, &hidden)
	if !hidden {
		t.Errorf("the item sent back whole with hidden true is not hidden")
	}
}

// TestAPIEditionBodyIsCheckedLikeOthers: POST /api/v1/editions' optional
// body is read as every other body is: a misspelt field creates no
// edition, and the answer speaks of JSON, never of Go types.
func TestAPIEditionBodyIsCheckedLikeOthers(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	s.postItem(map[string]any{"published_on": time.Now().UTC().Format("2006-01-02"), "title": "A story of the week", "summary": "Its summary.",
		"url": "https://example.org/story", "language": "en"})
	for _, tc := range []struct{ body, naming string }{
		{`{"published_form":"2024-01-01"}`, "published_form"},
		{`[]`, "JSON object"},
		{`{"published_from":["2024-01-01"]}`, "2024-01-01"},
	} {
		status, body := s.do("POST", "/api/v1/editions", "application/json", []byte(tc.body), true)
		if status != http.StatusBadRequest || !strings.Contains(string(body), tc.naming) ||
			strings.Contains(string(body), "Go ") || strings.Contains(string(body), "web.") {
			t.Errorf("POST /api/v1/editions %s: %d %s; want 400 naming %s, in the API's words", tc.body, status, body, tc.naming)
		}
	}
	var editions int
	s.subsQuery(`SELECT count(*) FROM editions`, nil, &editions)
	if editions != 0 {
		t.Errorf("%d editions after refused calls", editions)
	}
	// No body at all still means "everything new since the last edition".
	var got struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", nil, &got, http.StatusAccepted)
}

// TestAPIMethodNotAllowedIsJSON: a method a call does not take is answered
// in the API's error shape, with the methods it does take.
func TestAPIMethodNotAllowedIsJSON(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	for _, tc := range []struct {
		method, path, allow string
		admin               bool
	}{
		{"DELETE", "/api/v1/items", "GET, POST", true},
		{"PUT", "/api/v1/subscriptions", "POST", false},
		{"GET", "/api/v1/editions/1/cancel", "POST", true},
	} {
		resp, e, err := s.errorAnswer(tc.method, tc.path, tc.admin)
		if resp.StatusCode != http.StatusMethodNotAllowed || err != nil || e.Error.Code != "method_not_allowed" || e.Error.Message == "" {
			t.Errorf("%s %s: %d, %v, %+v; want 405 {error: {code: method_not_allowed, message}}", tc.method, tc.path, resp.StatusCode, err, e.Error)
		}
		if got := resp.Header.Get("Allow"); got != tc.allow {
			t.Errorf("%s %s: Allow %q, want %q", tc.method, tc.path, got, tc.allow)
		}
	}
}

// TestAPIRefusesBodiesNotUTF8: JSON is UTF-8 text; a body with other
// bytes in a string is a 400 naming the field, not text stored with
// U+FFFD where the client's letters were.
func TestAPIRefusesBodiesNotUTF8(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	id := itoa(s.postItem(map[string]any{"published_on": "2024-01-03", "title": "Café con leche", "summary": "Its summary.",
		"url": "https://example.org/story", "language": "es"}))
	for _, tc := range []struct {
		method, path, body, field string
		admin                     bool
	}{
		{"PATCH", "/api/v1/items/" + id, "{\"title\":\"Caf\xe9 con leche\"}", "title", true},
		{"POST", "/api/v1/items", "{\"published_on\":\"2024-01-04\",\"title\":\"Ni\xf1os\",\"summary\":\"S.\",\"url\":\"https://example.org/n\",\"language\":\"es\"}", "title", true},
		{"POST", "/api/v1/subscriptions", "{\"email\":\"reader@example.org\",\"topics\":[\"health\",\"ni\xf1os\"]}", "topics", false},
	} {
		status, body := s.do(tc.method, tc.path, "application/json", []byte(tc.body), tc.admin)
		var e apiErr
		json.Unmarshal(body, &e)
		if status != http.StatusBadRequest || e.Error.Code != "malformed" || !strings.HasPrefix(e.Error.Message, tc.field+":") {
			t.Errorf("%s %s %q: %d %.200s; want 400 malformed naming %s", tc.method, tc.path, tc.body, status, body, tc.field)
		}
	}
	var title string
	var items, readers int
	s.subsQuery(`SELECT (SELECT title FROM items WHERE id = $1), (SELECT count(*) FROM items), (SELECT count(*) FROM subscribers)`,
		[]any{id}, &title, &items, &readers)
	if title != "Café con leche" || items != 1 || readers != 0 {
		t.Errorf("after refused calls: title %q, %d items, %d subscribers", title, items, readers)
	}
}

// TestAPIUnreadableDateQueryIs400: a date parameter that is not a date is
// a request that cannot be read (400), on every call that takes one.
func TestAPIUnreadableDateQueryIs400(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	for _, path := range []string{"/api/v1/items?from=2024-13-01", "/api/v1/stats/stories?from=2024-13-01", "/api/v1/stats/stories?to=soon"} {
		status, body := s.do("GET", path, "", nil, true)
		var e apiErr
		json.Unmarshal(body, &e)
		name := path[strings.IndexByte(path, '?')+1 : strings.IndexByte(path, '=')]
		if status != http.StatusBadRequest || e.Error.Code != "malformed" || !strings.HasPrefix(e.Error.Message, name+":") {
			t.Errorf("GET %s: %d %s; want 400 malformed naming %s", path, status, body, name)
		}
	}
}

// TestAPIRefusesDaysOutsideNews: a day in a year no story is from
// ("0000-01-01", "2999-12-31", a typo's "0202") is refused with a 400
// naming the field, wherever the API takes one, and changes nothing; the
// listing importer refuses the same years.
func TestAPIRefusesDaysOutsideNews(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	id := itoa(s.postItem(map[string]any{"published_on": "2024-01-03", "title": "A story dated once", "summary": "Its summary.",
		"url": "https://example.org/dated", "language": "en"}))
	for _, day := range []string{"0000-01-01", "0001-01-01", "0202-05-01", "1899-12-31", "2201-01-01", "2999-12-31"} {
		for _, tc := range []struct {
			method, path, field string
			body                []byte
		}{
			{"POST", "/api/v1/items", "published_on", []byte(`{"published_on":"` + day + `","title":"Another story","summary":"S.","url":"https://example.org/other","language":"en"}`)},
			{"PATCH", "/api/v1/items/" + id, "published_on", []byte(`{"published_on":"` + day + `"}`)},
			{"GET", "/api/v1/items?from=" + day, "from", nil},
			{"GET", "/api/v1/stats/stories?to=" + day, "to", nil},
		} {
			status, body := s.do(tc.method, tc.path, "application/json", tc.body, true)
			var e apiErr
			json.Unmarshal(body, &e)
			if status != http.StatusBadRequest || !strings.HasPrefix(e.Error.Message, tc.field+":") || !strings.Contains(e.Error.Message, "1900") {
				t.Errorf("%s %s %s: %d %.300s; want 400 naming %s and the years wanted", tc.method, tc.path, tc.body, status, body, tc.field)
			}
		}
	}
	var published string
	var items int
	s.subsQuery(`SELECT (SELECT published_on::text FROM items WHERE id = $1), (SELECT count(*) FROM items)`, []any{id}, &published, &items)
	if published != "2024-01-03" || items != 1 {
		t.Errorf("after refused calls: published on %s, %d items; want 2024-01-03 and 1", published, items)
	}
	for _, day := range []string{"1900-01-01", "2200-12-31"} {
		if status, body := s.do("GET", "/api/v1/items?from="+day, "", nil, true); status != http.StatusOK {
			t.Errorf("GET from=%s: %d %.200s; want 200", day, status, body)
		}
	}
}
