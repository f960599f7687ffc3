package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

type apiErr struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	Errors []struct {
		Line    int    `json:"line"`
		Message string `json:"message"`
	} `json:"errors"`
}

// errorAnswer makes a request with no body, as the admin when admin, and
// reads its answer in the API's error shape: the response (its body read
// and closed), the error it carries, and why it could not be read as one.
func (s *stack) errorAnswer(method, path string, admin bool) (*http.Response, apiErr, error) {
	s.t.Helper()
	req, _ := http.NewRequest(method, s.base+path, nil)
	if admin {
		req.Header.Set("Authorization", "Bearer "+adminToken)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var e apiErr
	err = json.NewDecoder(resp.Body).Decode(&e)
	return resp, e, err
}

func TestAdminAPIRefusals(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	for _, tc := range []struct {
		name, header string
	}{
		{"no header", ""},
		{"wrong token", "Bearer not-the-token-at-all-000"},
		{"wrong scheme", "Basic " + adminToken},
		{"the token's beginning", "Bearer " + adminToken[:len(adminToken)-1]},
		{"the token and more", "Bearer " + adminToken + "0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", s.base+"/api/v1/items", nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var e apiErr
			json.NewDecoder(resp.Body).Decode(&e)
			if resp.StatusCode != http.StatusUnauthorized || e.Error.Code != "unauthorized" {
				t.Errorf("status %d, error %+v; want 401 unauthorized", resp.StatusCode, e.Error)
			}
		})
	}
}

func TestAdminAPIDisabledWithoutToken(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"ADMIN_TOKEN": ""})
	for _, path := range []string{"/api/v1/items", "/api/v1/editions"} {
		status, body := s.do("GET", path, "", nil, true) // even with the old token
		if status != http.StatusUnauthorized || !strings.Contains(string(body), "ADMIN_TOKEN is not set") {
			t.Errorf("GET %s: %d %s; want 401 naming ADMIN_TOKEN", path, status, body)
		}
	}
	// Public calls still work.
	if status, body := s.do("GET", "/api/v1/taxonomy", "", nil, false); status != http.StatusOK {
		t.Errorf("taxonomy: %d %s", status, body)
	}
}

func TestImportRefusesBadListingWhole(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	listing := strings.Join([]string{
		"16 December, 2020", // line 1
		"",
		"Mexico: a readable item",
		"",
		"A summary.",
		"",
		"32 Foo, 2020", // line 7: unreadable
		"",
		"Panama: this item must not be written either",
		"",
	}, "\n")
	status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422: %s", status, body)
	}
	var e apiErr
	mustJSON(t, body, &e)
	if len(e.Errors) == 0 || e.Errors[0].Line != 7 {
		t.Fatalf("errors = %+v, want one naming line 7", e.Errors)
	}
	var items struct{ Items []item }
	s.jsonCall("GET", "/api/v1/items", nil, &items, http.StatusOK)
	if len(items.Items) != 0 {
		t.Errorf("a refused import wrote %d items", len(items.Items))
	}

	// Wrong media type and an empty body are clear errors too.
	if status, _ := s.do("POST", "/api/v1/imports", "application/pdf", []byte("%PDF"), true); status != http.StatusUnsupportedMediaType {
		t.Errorf("PDF import: status %d, want 415", status)
	}
	if status, _ := s.do("POST", "/api/v1/imports", "text/plain", nil, true); status != http.StatusUnprocessableEntity {
		t.Errorf("empty import: status %d, want 422", status)
	}
}

func TestItemsListingPagesNewestFirst(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	listing := ""
	for _, d := range []string{"3 March, 2021", "2 March, 2021", "1 March, 2021"} {
		listing += d + "\n\nCosta Rica: news of " + d + "\n\nSummary.\n\n"
	}
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
	var page struct {
		Items []struct {
			ID          int64    `json:"id"`
			PublishedOn string   `json:"published_on"`
			Title       string   `json:"title"`
			Summary     string   `json:"summary"`
			URL         string   `json:"url"`
			Language    string   `json:"language"`
			Countries   []string `json:"countries"`
			Regions     []string `json:"regions"`
			Topics      []string `json:"topics"`
			Hidden      *bool    `json:"hidden"`
		} `json:"items"`
		NextCursor *string `json:"next_cursor"`
	}
	s.jsonCall("GET", "/api/v1/items?limit=2", nil, &page, http.StatusOK)
	if len(page.Items) != 2 || page.NextCursor == nil {
		t.Fatalf("first page: %d items, cursor %v", len(page.Items), page.NextCursor)
	}
	first := page.Items[0]
	if first.PublishedOn != "2021-03-03" || first.Language != "en" || first.Hidden == nil || first.Countries == nil {
		t.Errorf("first item = %+v", first)
	}
	s.jsonCall("GET", "/api/v1/items?limit=2&cursor="+*page.NextCursor, nil, &page, http.StatusOK)
	if len(page.Items) != 1 || page.Items[0].PublishedOn != "2021-03-01" || page.NextCursor != nil {
		t.Errorf("second page = %+v", page)
	}
	s.jsonCall("GET", "/api/v1/items?country=CR&from=2021-03-02&to=2021-03-02", nil, &page, http.StatusOK)
	if len(page.Items) != 1 || page.Items[0].PublishedOn != "2021-03-02" {
		t.Errorf("filtered = %+v", page.Items)
	}
	for _, q := range []string{"limit=0", "limit=1001", "from=March", "cursor=bm9wZQ"} {
		if status, body := s.do("GET", "/api/v1/items?"+q, "", nil, true); status != http.StatusBadRequest {
			t.Errorf("?%s: status %d, want 400: %s", q, status, body)
		}
	}
}

func TestSubscribeAnswersAlikeAndValidates(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	sub := map[string]any{"email": "ana@example.org", "countries": []string{"CR"}, "language": "en", "mode": "any"}
	var first, second map[string]any
	s.jsonCall("POST", "/api/v1/subscriptions", sub, &first, http.StatusAccepted)
	s.jsonCall("POST", "/api/v1/subscriptions", sub, &second, http.StatusAccepted)
	if first["message"] != second["message"] {
		t.Errorf("answers differ for a known address: %v vs %v", first, second)
	}
	for _, tc := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"email": "not-an-address", "countries": []string{"CR"}}, "email"},
		{map[string]any{"email": "a@example.org"}, "countries"},
		{map[string]any{"email": "a@example.org", "countries": []string{"XX"}}, "countries"},
		{map[string]any{"email": "a@example.org", "topics": []string{"gardening"}}, "topics"},
		{map[string]any{"email": "a@example.org", "countries": []string{"CR"}, "language": "pt"}, "language"},
		{map[string]any{"email": "a@example.org", "countries": []string{"CR"}, "mode": "narrow"}, "mode"},
	} {
		b, _ := json.Marshal(tc.body)
		status, body := s.do("POST", "/api/v1/subscriptions", "application/json", b, false)
		var e apiErr
		mustJSON(t, body, &e)
		if status != http.StatusUnprocessableEntity || !strings.HasPrefix(e.Error.Message, tc.field) {
			t.Errorf("%s: %d %s; want 422 naming %s", b, status, body, tc.field)
		}
	}
	if status, _ := s.do("POST", "/api/v1/subscriptions", "application/json", []byte("{"), false); status != http.StatusBadRequest {
		t.Errorf("broken JSON: status %d, want 400", status)
	}
}

func TestHealthReadinessMetricsAndPreview(t *testing.T) {
	t.Parallel()
	w := startWeb(t, nil)
	s := w.stack
	for _, path := range []string{"/healthz", "/readyz"} {
		if status, body := s.do("GET", path, "", nil, false); status != http.StatusOK {
			t.Errorf("%s: %d %s", path, status, body)
		}
		// Uptime monitors and load balancers often probe with HEAD.
		if status, body := s.do("HEAD", path, "", nil, false); status != http.StatusOK {
			t.Errorf("HEAD %s: %d %s", path, status, body)
		}
	}
	// Metrics are on their own listener, never on the public one.
	if status, _ := s.do("GET", "/metrics", "", nil, false); status != http.StatusNotFound {
		t.Errorf("/metrics on the public listener: %d, want 404", status)
	}
	w.waitMetrics(t, `newsdigest_http_requests_total{method="GET",route="/readyz",status="200"}`)
	// A story of today: the preview is of the next edition, which holds it.
	listing := time.Now().UTC().Format("2 January, 2006") + "\n\nCosta Rica: <b>bold</b> & safe\n\nSummary.\n"
	s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true)
	b, _ := json.Marshal(map[string]any{"countries": []string{"CR"}, "language": "es", "mode": "any"})
	status, body := s.do("POST", "/api/v1/previews", "application/json", b, true)
	if status != http.StatusOK || !strings.Contains(string(body), "&lt;b&gt;bold&lt;/b&gt; &amp; safe") {
		t.Errorf("preview: %d, escaped title missing:\n%.2000s", status, body)
	}
	if status, body := s.do("GET", "/api/v1/editions/999", "", nil, true); status != http.StatusNotFound {
		t.Errorf("missing edition: %d %s", status, body)
	}
}
