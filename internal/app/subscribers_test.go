package app_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"newsdigest/internal/testenv"
)

// importAnswer is the body of POST /api/v1/subscribers/import.
type importAnswer struct {
	Imported int `json:"imported"`
	Skipped  int `json:"skipped"`
	Errors   []struct {
		Line    int    `json:"line"`
		Message string `json:"message"`
	} `json:"errors"`
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// subscriberDoc is a subscriber as GET /api/v1/subscribers shows one.
type subscriberDoc struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Status    string    `json:"status"`
	Countries []string  `json:"countries"`
	Topics    []string  `json:"topics"`
	Language  string    `json:"language"`
	Mode      string    `json:"mode"`
	CreatedAt time.Time `json:"created_at"`
}

// importCSV posts a subscriber list and decodes the answer.
func (s *stack) importCSV(body string) (int, importAnswer) {
	s.t.Helper()
	status, b := s.do("POST", "/api/v1/subscribers/import", "text/csv", []byte(body), true)
	var a importAnswer
	mustJSON(s.t, b, &a)
	return status, a
}

// subscribers follows every page of GET /api/v1/subscribers?query.
func (s *stack) subscribers(query string) []subscriberDoc {
	s.t.Helper()
	var all []subscriberDoc
	cursor := ""
	for {
		var page struct {
			Subscribers []subscriberDoc `json:"subscribers"`
			NextCursor  *string         `json:"next_cursor"`
		}
		q := query
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		s.jsonCall("GET", "/api/v1/subscribers?"+q, nil, &page, http.StatusOK)
		all = append(all, page.Subscribers...)
		if page.NextCursor == nil {
			return all
		}
		cursor = *page.NextCursor
	}
}

func byEmail(subs []subscriberDoc) map[string]subscriberDoc {
	m := map[string]subscriberDoc{}
	for _, sub := range subs {
		m[sub.Email] = sub
	}
	return m
}

// subscribeAndConfirm signs addr up through the API and confirms from the
// mailed link, as a person would.
func (s *stack) subscribeAndConfirm(addr string, countries []string) {
	s.t.Helper()
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{
		"email": addr, "countries": countries, "language": "en", "mode": "any",
	}, nil, http.StatusAccepted)
	s.smtp.WaitFor(s.t, 30*time.Second, "confirmation to "+addr, func([]testenv.Received) bool {
		return len(s.smtp.To(addr)) == 1
	})
	text, _ := bodies(s.t, s.smtp.To(addr)[0].Raw)
	m := confirmLink.FindStringSubmatch(text)
	if m == nil {
		s.t.Fatalf("confirmation to %s has no confirm link:\n%s", addr, text)
	}
	b := s.browser()
	path := "/confirm/" + m[1]
	resp, err := b.PostForm(s.base+path, url.Values{"csrf_token": {s.csrfToken(b, path)}})
	if err != nil {
		s.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("confirm %s: status %d", addr, resp.StatusCode)
	}
}

// oneClickUnsubscribe leaves through the List-Unsubscribe link of a digest.
func (s *stack) oneClickUnsubscribe(digest testenv.Received) {
	s.t.Helper()
	m := unsubLink.FindStringSubmatch(digest.Header("List-Unsubscribe"))
	if m == nil {
		s.t.Fatalf("List-Unsubscribe = %q", digest.Header("List-Unsubscribe"))
	}
	resp, err := http.Post(m[1], "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		s.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("one-click unsubscribe: status %d", resp.StatusCode)
	}
}

// edition imports one Costa Rica story and sends an edition with it.
func (s *stack) edition(title string) edition {
	s.t.Helper()
	listing := time.Now().UTC().Format("2 January, 2006") + "\n\nCosta Rica: " + title + "\n\nA summary about Costa Rica.\n"
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true); status != http.StatusOK {
		s.t.Fatalf("import listing: %d %s", status, body)
	}
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", nil, &created, http.StatusAccepted)
	return s.waitEdition(created.ID)
}

// TestSubscriberImport imports a list as an operator would: the people in
// it are active and get the next digest, an address that left stays gone,
// and importing the same list again changes nothing.
func TestSubscriberImport(t *testing.T) {
	t.Parallel()
	s := startStack(t)

	// Someone subscribes, gets a digest and leaves with one click.
	gone := "gone@example.org"
	s.subscribeAndConfirm(gone, []string{"CR"})
	if e := s.edition("first story"); e.Status != "done" || e.Sent != 1 {
		t.Fatalf("first edition = %+v, want 1 sent", e)
	}
	s.oneClickUnsubscribe(onlyDigest(t, s, gone, 1))

	// Columns in the file's own order; both list separators; the address
	// that left (in another case too); a repeat within the file.
	list := strings.Join([]string{
		"language,email,topics,countries,mode",
		"en,ana@example.org,,CR;MX,any",                        // imported
		"es,luis@example.org,health|labour-migration,CR,",      // imported, mode defaults to any
		"en,gone@example.org,,CR,any",                          // skipped: unsubscribed stays unsubscribed
		"en,Gone@Example.org,,CR,any",                          // skipped: the same address
		"es,ana@example.org,climate,,any",                      // skipped: the first row for ana wins
		"en,maria@example.org,trafficking-smuggling,CR,narrow", // imported
	}, "\n") + "\n"
	status, got := s.importCSV(list)
	if status != http.StatusOK || got.Imported != 3 || got.Skipped != 3 || got.Errors == nil || len(got.Errors) != 0 {
		t.Fatalf("import: %d %+v; want 200 with 3 imported, 3 skipped, errors []", status, got)
	}

	subs := byEmail(s.subscribers("limit=1000"))
	want := map[string]subscriberDoc{
		"ana@example.org":   {Email: "ana@example.org", Status: "active", Countries: []string{"CR", "MX"}, Topics: []string{}, Language: "en", Mode: "any"},
		"luis@example.org":  {Email: "luis@example.org", Status: "active", Countries: []string{"CR"}, Topics: []string{"health", "labour-migration"}, Language: "es", Mode: "any"},
		"maria@example.org": {Email: "maria@example.org", Status: "active", Countries: []string{"CR"}, Topics: []string{"trafficking-smuggling"}, Language: "en", Mode: "narrow"},
		gone:                {Email: gone, Status: "unsubscribed", Countries: []string{"CR"}, Topics: []string{}, Language: "en", Mode: "any"},
	}
	ignoreStored := cmp.FilterPath(func(p cmp.Path) bool {
		f := p.Last().String()
		return f == ".ID" || f == ".CreatedAt"
	}, cmp.Ignore())
	if diff := cmp.Diff(want, subs, ignoreStored); diff != "" {
		t.Errorf("subscribers after import (-want +got):\n%s", diff)
	}

	// Again: everything is skipped and nothing changes.
	if status, again := s.importCSV(list); status != http.StatusOK || again.Imported != 0 || again.Skipped != 6 {
		t.Errorf("re-import: %d %+v; want 0 imported, 6 skipped", status, again)
	}
	if diff := cmp.Diff(subs, byEmail(s.subscribers("limit=1000"))); diff != "" {
		t.Errorf("re-import changed subscribers (-before +after):\n%s", diff)
	}

	// Each imported person has a consent record naming the import.
	conn := s.dbConn()
	rows, _ := conn.Query(context.Background(), `
		SELECT s.email FROM consents c JOIN subscribers s ON s.id = c.subscriber_id
		WHERE c.action = 'import' AND c.form_version = 'csv-import' AND c.ip = '127.0.0.1' AND c.user_agent <> ''
		ORDER BY s.email`)
	consented, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"ana@example.org", "luis@example.org", "maria@example.org"}, consented); diff != "" {
		t.Errorf("import consents (-want +got):\n%s", diff)
	}

	// The next edition reaches the imported people, not the one who left,
	// and their links work like anyone's.
	e := s.edition("border canton of Upala gets a new shelter")
	if e.Status != "done" || e.Total != 3 || e.Sent+e.Skipped != 3 || e.Sent < 2 {
		t.Fatalf("second edition = %+v, want 3 deliveries, ana and luis sent", e)
	}
	onlyDigest(t, s, gone, 1)
	onlyDigest(t, s, "luis@example.org", 1)
	s.oneClickUnsubscribe(onlyDigest(t, s, "ana@example.org", 1))
	if st := byEmail(s.subscribers("status=unsubscribed"))["ana@example.org"].Status; st != "unsubscribed" {
		t.Errorf("ana after one-click unsubscribe: %q", st)
	}
}

// TestSubscriberImportRefusesBadFileWhole checks that one bad row keeps
// the whole file out, and that every bad row is named with its field.
func TestSubscriberImportRefusesBadFileWhole(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	list := strings.Join([]string{
		"email,countries,topics,language",
		"good@example.org,CR,,en",             // 2: fine, but must not be written
		"not-an-address,CR,,en",               // 3
		"a@example.org,CR;XX,,en",             // 4
		"b@example.org,,gardening,en",         // 5
		"c@example.org,CR,,pt",                // 6
		"d@example.org,,,en",                  // 7
		"",                                    // 8: blank lines are fine
		"e@example.org,CR,health|climate,es",  // 9: fine
		"f@example.org,CR,health,en,narrow,x", // 10
	}, "\n")
	status, got := s.importCSV(list)
	if status != http.StatusUnprocessableEntity || got.Error == nil || got.Error.Code != "invalid" {
		t.Fatalf("status %d %+v, want 422 invalid", status, got)
	}
	type lineErr struct {
		Line  int
		Field string
	}
	var errs []lineErr
	for _, e := range got.Errors {
		field, _, _ := strings.Cut(e.Message, ":")
		errs = append(errs, lineErr{e.Line, field})
	}
	want := []lineErr{{3, "email"}, {4, "countries"}, {5, "topics"}, {6, "language"}, {7, "countries, topics"}, {10, "has 6 fields, the header has 4"}}
	if diff := cmp.Diff(want, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s\n%+v", diff, got.Errors)
	}
	if subs := s.subscribers("limit=10"); len(subs) != 0 {
		t.Errorf("a refused import wrote %d subscribers", len(subs))
	}

	for _, tc := range []struct {
		name, body string
		line       int
		prefix     string
	}{
		{"empty", "", 1, "the file is empty"},
		{"no header", "good@example.org,CR,,en\n", 1, "header: unknown column"},
		{"header only", "email,countries,topics,language\n", 2, "no subscribers"},
		{"missing column", "email,countries,language\ngood@example.org,CR,en\n", 1, "header: missing column topics"},
	} {
		status, got := s.importCSV(tc.body)
		if status != http.StatusUnprocessableEntity || len(got.Errors) != 1 || got.Errors[0].Line != tc.line ||
			!strings.HasPrefix(got.Errors[0].Message, tc.prefix) {
			t.Errorf("%s: %d %+v; want 422 naming line %d %q", tc.name, status, got.Errors, tc.line, tc.prefix)
		}
	}

	if status, body := s.do("POST", "/api/v1/subscribers/import", "application/x-www-form-urlencoded", []byte("email=a"), true); status != http.StatusUnsupportedMediaType {
		t.Errorf("form-encoded import: %d %s, want 415", status, body)
	}
	if status, _ := s.do("POST", "/api/v1/subscribers/import", "text/csv", []byte("email,countries,topics,language\n"), false); status != http.StatusUnauthorized {
		t.Errorf("import without the admin token: %d, want 401", status)
	}

	if status, body := s.do("POST", "/api/v1/subscribers/import", "text/csv; charset=iso-8859-1", []byte("email"), true); status != http.StatusUnsupportedMediaType {
		t.Errorf("Latin-1 import: %d %s, want 415", status, body)
	}

	// Past the size limit: 413, and still nothing written, whether the
	// length is announced or found out while reading.
	big := "email,countries,topics,language\n" + "ok@example.org,CR,,en\n" + `"` + strings.Repeat("x", 51<<20)
	status, body := s.do("POST", "/api/v1/subscribers/import", "text/csv", []byte(big), true)
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "too_large") {
		t.Errorf("51 MiB import: %d %.300s, want 413", status, body)
	}
	// A reader of unknown length makes the client send the body chunked.
	req, _ := http.NewRequest("POST", s.base+"/api/v1/subscribers/import", io.MultiReader(strings.NewReader(big)))
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := s.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if req.ContentLength != 0 || resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "too_large") {
		t.Errorf("51 MiB chunked import: %d %.300s, want 413", resp.StatusCode, body)
	}
	if subs := s.subscribers("limit=10"); len(subs) != 0 {
		t.Errorf("an oversized import wrote %d subscribers", len(subs))
	}
}
