package app_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// fullItem is an item as GET /api/v1/items shows it, new fields included.
type fullItem struct {
	ID           int64                        `json:"id"`
	PublishedOn  string                       `json:"published_on"`
	Title        string                       `json:"title"`
	Summary      string                       `json:"summary"`
	URL          string                       `json:"url"`
	Language     string                       `json:"language"`
	Countries    []string                     `json:"countries"`
	Topics       []string                     `json:"topics"`
	Translations []int64                      `json:"translations"`
	TagReasons   map[string]map[string]string `json:"tag_reasons"`
	EditedFields []string                     `json:"edited_fields"`
}

func (s *stack) fullItems() []fullItem {
	s.t.Helper()
	var page struct{ Items []fullItem }
	s.jsonCall("GET", "/api/v1/items?limit=1000", nil, &page, http.StatusOK)
	slices.SortFunc(page.Items, func(a, b fullItem) int { return int(a.ID - b.ID) })
	return page.Items
}

// The import's date order, its errors and its size limit, over HTTP.
func TestImportDateOrderAndLimits(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	listing := []byte("04/10/2019\n\nCosta Rica: news of the fourth\n\n25/12/2019\n\nPanama: news of Christmas\n")

	status, body := s.do("POST", "/api/v1/imports?date_order=ymd", "text/plain", listing, true)
	var e apiErr
	mustJSON(t, body, &e)
	if status != http.StatusBadRequest || !strings.HasPrefix(e.Error.Message, "date_order:") {
		t.Errorf("bad date_order: %d %s; want 400 naming date_order", status, body)
	}

	status, body = s.do("POST", "/api/v1/imports", "text/plain", listing, true)
	e = apiErr{}
	mustJSON(t, body, &e)
	if status != http.StatusUnprocessableEntity || len(e.Errors) != 1 || e.Errors[0].Line != 1 ||
		!strings.HasPrefix(e.Errors[0].Message, `ambiguous date "04/10/2019"`) {
		t.Errorf("ambiguous date: %d %s; want 422 naming line 1", status, body)
	}

	if status, body := s.do("POST", "/api/v1/imports?date_order=dmy", "text/plain", listing, true); status != http.StatusOK {
		t.Fatalf("import with date_order: %d %s", status, body)
	}
	var days []string
	for _, it := range s.fullItems() {
		days = append(days, it.PublishedOn)
	}
	if want := []string{"2019-10-04", "2019-12-25"}; !slices.Equal(days, want) {
		t.Errorf("days %v, want %v", days, want)
	}

	noYear := []byte("1 May 2020\n\nA\n\n16 December\n\nB\n")
	status, body = s.do("POST", "/api/v1/imports", "text/plain", noYear, true)
	e = apiErr{}
	mustJSON(t, body, &e)
	if status != http.StatusUnprocessableEntity || len(e.Errors) != 1 || e.Errors[0].Line != 5 {
		t.Errorf("date without a year: %d %s; want 422 naming line 5", status, body)
	}

	big := []byte("1 May 2020\n\nTitle\n\n" + strings.Repeat("x", 5<<20) + "\n")
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", big, true); status != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized listing: %d %.200s; want 413", status, body)
	}
}

// Editors win over re-imports; versions of a story are linked; every tag
// says why it is there.
func TestItemQualityOverHTTP(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	listing := "16 December, 2020\n\nCosta Rica: IOM presents labor market research study for the border canton of Upala\n\n" +
		"A labor survey in the canton of Upala, on the border with Nicaragua.\n\nhttps://site.example/en/news/upala\n\n" +
		"16 December, 2020\n\nCosta Rica: la OIM presenta un estudio del mercado laboral en Upala\n\n" +
		"Una encuesta laboral en el cantón de Upala.\n\nhttps://site.example/es/news/upala\n"
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
	items := s.fullItems()
	if len(items) != 2 {
		t.Fatalf("%d items, want 2", len(items))
	}
	en, es := items[0], items[1]
	if en.Language != "en" || es.Language != "es" || !slices.Equal(en.Translations, []int64{es.ID}) || !slices.Equal(es.Translations, []int64{en.ID}) {
		t.Errorf("versions not linked: %+v / %+v", en, es)
	}
	if got := en.TagReasons["countries"]["CR"]; got != "name: Costa Rica" {
		t.Errorf("CR reason %q", got)
	}
	if got := en.TagReasons["topics"]["labour-migration"]; got != "phrase: labor market" {
		t.Errorf("labour-migration reason %q", got)
	}

	// The editor adds Nicaragua and rewrites the title.
	var patched fullItem
	s.jsonCall("PATCH", fmt.Sprintf("/api/v1/items/%d", en.ID), map[string]any{
		"countries": []string{"CR", "NI"}, "title": "Costa Rica: labour study in Upala",
	}, &patched, http.StatusOK)
	if !slices.Equal(patched.EditedFields, []string{"countries", "title"}) || patched.TagReasons["countries"]["NI"] != "editor" {
		t.Errorf("patched: %+v", patched)
	}

	// The source sends the story again with a corrected summary.
	again := strings.Replace(listing, "A labor survey in the canton of Upala", "A labor survey of 300 employers in the canton of Upala", 1)
	status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(again), true)
	var res struct{ Imported, Duplicates, Updated int }
	mustJSON(t, body, &res)
	if status != http.StatusOK || res.Imported != 0 || res.Duplicates != 2 || res.Updated != 1 {
		t.Fatalf("re-import: %d %s", status, body)
	}
	after := s.fullItems()[0]
	if after.Title != "Costa Rica: labour study in Upala" || !slices.Equal(after.Countries, []string{"CR", "NI"}) ||
		!strings.Contains(after.Summary, "300 employers") {
		t.Errorf("after re-import: %+v", after)
	}

	// The editor takes the Spanish version out of the story, then puts it back.
	s.jsonCall("PATCH", fmt.Sprintf("/api/v1/items/%d", es.ID), map[string]any{"translation_of": nil}, &patched, http.StatusOK)
	if len(patched.Translations) != 0 {
		t.Errorf("unlinked: translations %v", patched.Translations)
	}
	s.jsonCall("PATCH", fmt.Sprintf("/api/v1/items/%d", es.ID), map[string]any{"translation_of": en.ID}, &patched, http.StatusOK)
	if !slices.Equal(patched.Translations, []int64{en.ID}) {
		t.Errorf("relinked: translations %v", patched.Translations)
	}
	status, body = s.do("PATCH", fmt.Sprintf("/api/v1/items/%d", es.ID), "application/json", []byte(`{"translation_of": 999999}`), true)
	var e apiErr
	mustJSON(t, body, &e)
	if status != http.StatusUnprocessableEntity || !strings.HasPrefix(e.Error.Message, "translation_of:") {
		t.Errorf("link to a missing item: %d %s", status, body)
	}
}

// TestBidiControlsAreDroppedAtIngest: a feed whose title and summary hide
// a right-to-left override (showing "gnp.exe" as "exe.png"), and an
// editor's edit holding an isolate, are stored without them, so the API,
// the console, the archive, the feeds and the mail all show the text as
// written.
func TestBidiControlsAreDroppedAtIngest(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	feed := `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Feed</title><link>https://news.example/</link><description>x</description>
<item>
  <title>Costa Rica: invoice ` + "\u202E" + `gnp.exe</title>
  <link>https://news.example/a</link>
  <pubDate>Wed, 16 Dec 2020 10:00:00 GMT</pubDate>
  <description>Costa Rica: open ` + "\u2066\u202B" + `this` + "\u202C\u2069" + ` file.</description>
</item>
</channel></rss>`
	if status, body := s.do("POST", "/api/v1/imports", "application/rss+xml", []byte(feed), true); status != http.StatusOK {
		t.Fatalf("import feed: %d %s", status, body)
	}
	items := s.fullItems()
	if len(items) != 1 || items[0].Title != "Costa Rica: invoice gnp.exe" || items[0].Summary != "Costa Rica: open this file." {
		t.Fatalf("stored %+v, want the text without its bidirectional controls", items)
	}
	var patched fullItem
	s.jsonCall("PATCH", fmt.Sprintf("/api/v1/items/%d", items[0].ID),
		map[string]any{"title": "Costa Rica: \u202Dfixed\u202C title \u200F"}, &patched, http.StatusOK)
	if patched.Title != "Costa Rica: fixed title " && patched.Title != "Costa Rica: fixed title" {
		t.Errorf("edited title stored as %q, want it without bidirectional controls", patched.Title)
	}
}

// TestAPICreateItemAnswersItsID: POST /api/v1/items answers the new item's
// id, which its audit entry names, so the item can be edited at once.
func TestAPICreateItemAnswersItsID(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	var created struct {
		ID       int64 `json:"id"`
		Imported int   `json:"imported"`
	}
	s.jsonCall("POST", "/api/v1/items", map[string]any{"published_on": "2021-03-01", "title": "Costa Rica opens a migrant centre",
		"summary": "A summary.", "language": "en", "url": "https://example.org/centre"}, &created, http.StatusCreated)
	if created.ID == 0 || created.Imported != 1 {
		t.Fatalf("POST /api/v1/items answered %+v, want the new item's id", created)
	}
	s.jsonCall("PATCH", "/api/v1/items/"+itoa(created.ID), map[string]any{"hidden": true}, nil, http.StatusOK)
	var audited int
	editionsDB(t, s, func(conn *pgx.Conn) {
		if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'item.create' AND object_type = 'item' AND object_id = $1`,
			itoa(created.ID)).Scan(&audited); err != nil {
			t.Fatal(err)
		}
	})
	if audited != 1 {
		t.Errorf("%d item.create audit entries name item %d, want 1", audited, created.ID)
	}
}
