package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/jackc/pgx/v5"
)

const itemsFixture = "../ingest/testdata/iom-rosanjose-news-2020.txt"

// itemsAPIItem is an item as GET /api/v1/items gives it.
type itemsAPIItem struct {
	ID          int64    `json:"id"`
	PublishedOn string   `json:"published_on"`
	Title       string   `json:"title"`
	Summary     string   `json:"summary"`
	URL         string   `json:"url"`
	Language    string   `json:"language"`
	Countries   []string `json:"countries"`
	Regions     []string `json:"regions"`
	Topics      []string `json:"topics"`
	Hidden      bool     `json:"hidden"`
	TagReasons  struct {
		Countries map[string]string `json:"countries"`
		Topics    map[string]string `json:"topics"`
	} `json:"tag_reasons"`
}

// itemsAll lists every stored item through the API.
func itemsAll(s *stack) []itemsAPIItem {
	s.t.Helper()
	var page struct {
		Items []itemsAPIItem `json:"items"`
	}
	s.jsonCall("GET", "/api/v1/items?limit=1000", nil, &page, http.StatusOK)
	return page.Items
}

// itemsByID finds one item in a list.
func itemsByID(t *testing.T, list []itemsAPIItem, id int64) itemsAPIItem {
	t.Helper()
	for _, it := range list {
		if it.ID == id {
			return it
		}
	}
	t.Fatalf("item %d not listed", id)
	return itemsAPIItem{}
}

// itemsRowIDs are the ids of the rows of the console's item list.
func itemsRowIDs(b *browserSession) []string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('#items tbody tr')).map(r => r.dataset.id)`))
	if err != nil {
		b.t.Fatalf("read the item rows: %v", err)
	}
	return ids
}

// itemsCount counts the elements sel matches.
func itemsCount(b *browserSession, sel string) int {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(sel)+`).length`))
	if err != nil {
		b.t.Fatalf("count %s: %v", sel, err)
	}
	return n
}

// TestAdminItemsConsole walks the items section as an editor: import the
// fixture through its preview (nothing stored until confirmed), refuse a
// listing with a bad line, fix an item's tags, hide it, and add and
// remove a source.
func TestAdminItemsConsole(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	b := newBrowser(t, 4*time.Minute)
	fixture, err := os.ReadFile(itemsFixture)
	if err != nil {
		t.Fatal(err)
	}
	if st := itemsLogin(b, s.base); st != http.StatusOK {
		t.Fatalf("login: status %d: %s", st, b.pageText())
	}

	// 1. Paste the fixture and preview it: the items with their tags, and
	// nothing stored.
	b.open(s.base+"/admin/items/import", chromedp.CSS(`#import-form`))
	b.do("paste the fixture", chromedp.SetValue(chromedp.CSS(`#listing`), string(fixture)))
	if st := b.submit("preview the fixture", chromedp.CSS(`#import-preview`)); st != http.StatusOK {
		t.Fatalf("preview: status %d: %s", st, b.pageText())
	}
	summary := b.text("preview summary", chromedp.CSS(`#preview-summary`))
	rows := itemsCount(b, `#preview-items tbody tr`)
	if rows < 5 || !strings.HasPrefix(summary, strconv.Itoa(rows)+" stories read: "+strconv.Itoa(rows)+" new") {
		t.Fatalf("preview shows %d rows and says %q; want the fixture's items, all new", rows, summary)
	}
	if text := b.pageText(); !strings.Contains(text, "Costa Rica name: Costa Rica") {
		t.Errorf("the preview does not show the tagger's reason (name: Costa Rica) beside a tag: %s", text)
	}
	if n := len(itemsAll(s)); n != 0 {
		t.Fatalf("after the preview the API lists %d items; a preview must store nothing", n)
	}
	b.checkAccessible("import preview")
	b.shots(t, "items-import-preview")
	if st := b.submit("confirm the import", chromedp.CSS(`#import-confirm button`)); st != http.StatusOK {
		t.Fatalf("confirm: status %d: %s", st, b.pageText())
	}
	if flash := b.text("import flash", flashStatus); !strings.Contains(flash, "New stories stored: "+strconv.Itoa(rows)+
		". Already stored: 0, of which brought up to date: 0.") {
		t.Errorf("after confirming the page says %q", flash)
	}
	stored := itemsAll(s)
	if len(stored) != rows {
		t.Fatalf("after confirming the API lists %d items, want %d", len(stored), rows)
	}

	// 2. A listing with an unreadable date, uploaded as a file: the line is
	// named and there is nothing to confirm.
	bad := filepath.Join(t.TempDir(), "bad.txt")
	if err := os.WriteFile(bad, []byte("3 March, 2021\n\nGuatemala: a good item\n\n32 Foo, 2021\n\nAnother title\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.open(s.base+"/admin/items/import", chromedp.CSS(`#import-form`))
	b.do("choose the bad file", chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{bad}, chromedp.NodeVisible))
	if st := b.submit("preview the bad listing", chromedp.CSS(`#import-preview`)); st != http.StatusOK {
		t.Fatalf("bad preview: status %d: %s", st, b.pageText())
	}
	if errText := b.text("line errors", chromedp.CSS(`#preview-errors`)); !strings.Contains(errText, "Line 5:") {
		t.Errorf("the preview's errors %q do not name line 5", errText)
	}
	if n := itemsCount(b, `#import-confirm`); n != 0 {
		t.Error("a listing with a line error can still be confirmed")
	}
	if got := b.value("listing to fix", chromedp.CSS(`#listing`)); !strings.Contains(got, "32 Foo, 2021") {
		t.Errorf("the listing is not offered back for fixing: %q", got)
	}
	if n := len(itemsAll(s)); n != rows {
		t.Fatalf("after a refused listing the API lists %d items, want %d", n, rows)
	}
	// An empty file is said to be empty; a binary one (a PDF) is said
	// not to be text, once, not garbled line by line.
	empty, pdf := filepath.Join(t.TempDir(), "empty.txt"), filepath.Join(t.TempDir(), "listing.pdf")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pdf, []byte("%PDF-1.7\n1 0 obj\x00\x01\n<< /Length 5 >>\nstream\x00\x9c\x00\nendstream\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.open(s.base+"/admin/items/import", chromedp.CSS(`#import-form`))
	b.do("choose the empty file", chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{empty}, chromedp.NodeVisible))
	if st := b.submit("preview the empty file", chromedp.CSS(`#import-form button[type=submit]`)); st != http.StatusUnprocessableEntity {
		t.Errorf("an empty file: status %d, want 422", st)
	}
	if got := b.text("empty file", chromedp.CSS(`p.error[role=alert]`)); !strings.Contains(got, "The file empty.txt is empty") {
		t.Errorf("an empty file is answered %q", got)
	}
	b.open(s.base+"/admin/items/import", chromedp.CSS(`#import-form`))
	b.do("choose the PDF", chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{pdf}, chromedp.NodeVisible))
	if st := b.submit("preview the PDF", chromedp.CSS(`#import-preview`)); st != http.StatusOK {
		t.Fatalf("PDF preview: status %d: %s", st, b.pageText())
	}
	if errText := b.text("PDF's errors", chromedp.CSS(`#preview-errors`)); !strings.Contains(errText, "not a plain-text listing: 2 lines hold NUL bytes") ||
		strings.Count(errText, "Line ") != 1 {
		t.Errorf("a PDF's preview says %q, want one fault saying it is not text", errText)
	}

	// 3. The list, newest first; fix an item's tags.
	b.open(s.base+"/admin/items", chromedp.CSS(`#items`))
	b.checkAccessible("items list")
	b.shots(t, "items-list")
	// Pages of four, newest first, through the "Older" links.
	var paged []string
	b.open(s.base+"/admin/items?limit=4", chromedp.CSS(`#items`))
	for {
		paged = append(paged, itemsRowIDs(b)...)
		if itemsCount(b, `#older`) == 0 {
			break
		}
		b.do("go to older items", chromedp.Click(chromedp.CSS(`#older`), chromedp.NodeVisible), chromedp.WaitVisible(chromedp.CSS(`#items`)))
		if len(paged) > rows {
			t.Fatalf("paging goes on past %d items: %v", rows, paged)
		}
	}
	var want []string
	for _, it := range stored {
		want = append(want, strconv.FormatInt(it.ID, 10))
	}
	if !slices.Equal(paged, want) {
		t.Errorf("pages of four list %v; the API lists %v", paged, want)
	}
	var target itemsAPIItem
	for _, it := range stored {
		if len(it.Topics) > 0 && !slices.Contains(it.Countries, "NI") {
			target = it
			break
		}
	}
	if target.ID == 0 {
		t.Fatal("no stored item has a topic to remove")
	}
	id := strconv.FormatInt(target.ID, 10)
	b.open(s.base+"/admin/items/"+id, chromedp.CSS(`#item-form`))
	b.checkAccessible("item edit page")
	b.shots(t, "items-edit")
	dropped := target.Topics[0]
	// First a code that is no country: refused, naming the field, nothing changed.
	b.do("add an unknown country", chromedp.SetValue(chromedp.CSS(`#add_countries`), "XX"))
	if st := b.submit("save an unknown country", chromedp.CSS(`#item-form button[type=submit]`)); st != http.StatusUnprocessableEntity {
		t.Errorf("saving country XX: status %d, want 422", st)
	}
	if e := b.text("edit error", chromedp.CSS(`main p.error`)); !strings.Contains(e, "countries") {
		t.Errorf("the error %q does not name the countries field", e)
	}
	if now := itemsByID(t, itemsAll(s), target.ID); !cmp.Equal(now.Countries, target.Countries) {
		t.Errorf("a refused change changed the countries: %v, was %v", now.Countries, target.Countries)
	}
	b.open(s.base+"/admin/items/"+id, chromedp.CSS(`#item-form`))
	b.do("add NI, untick a topic",
		chromedp.SetValue(chromedp.CSS(`#add_countries`), "ni"),
		chromedp.Click(chromedp.CSS(`#topic-`+dropped), chromedp.NodeVisible))
	if st := b.submit("save the tags", chromedp.CSS(`#item-form button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("save: status %d: %s", st, b.pageText())
	}
	if flash := b.text("saved flash", flashStatus); flash != "The story is saved." {
		t.Errorf("after saving the page says %q", flash)
	}
	fixed := itemsByID(t, itemsAll(s), target.ID)
	if !slices.Contains(fixed.Countries, "NI") || slices.Contains(fixed.Topics, dropped) {
		t.Fatalf("after the fix the item has countries %v and topics %v; want NI added and %s gone", fixed.Countries, fixed.Topics, dropped)
	}
	if r := fixed.TagReasons.Countries["NI"]; r != "editor" {
		t.Errorf("the reason of the added NI is %q, want editor", r)
	}
	if text := b.pageText(); !strings.Contains(text, "editor") {
		t.Errorf("the edit page does not show the editor's reason beside NI: %s", text)
	}

	// 4. Hide it: the visible-only list leaves it out, the hidden-only list has it.
	if st := b.submit("hide the item", chromedp.CSS(`#item-hide button`)); st != http.StatusOK {
		t.Fatalf("hide: status %d", st)
	}
	if !itemsByID(t, itemsAll(s), target.ID).Hidden {
		t.Fatal("the API does not show the item hidden")
	}
	b.open(s.base+"/admin/items?hidden=no", chromedp.CSS(`#items`))
	if ids := itemsRowIDs(b); slices.Contains(ids, id) || len(ids) != rows-1 {
		t.Errorf("visible-only list: %d rows, hidden item listed: %v", len(ids), slices.Contains(ids, id))
	}
	b.open(s.base+"/admin/items?hidden=yes", chromedp.CSS(`#items`))
	if ids := itemsRowIDs(b); !slices.Equal(ids, []string{id}) {
		t.Errorf("hidden-only list = %v, want [%s]", ids, id)
	}
	b.open(s.base+"/admin/items?country=NI", chromedp.CSS(`#items`))
	if ids := itemsRowIDs(b); !slices.Contains(ids, id) {
		t.Errorf("the NI filter does not list the item: %v", ids)
	}
	b.open(s.base+"/admin/items/"+id+"?lang=es", chromedp.CSS(`#item-unhide`))
	// The story's page is headed by its title, and gives its number,
	// which the form linking language versions asks for.
	if h := b.text("Spanish heading", mainHeading); h != target.Title {
		t.Errorf("the Spanish edit page's heading is %q, want the story's title %q", h, target.Title)
	}
	if n := b.text("story number", `#item-number`); n != id {
		t.Errorf("the Spanish edit page gives the number %q, want %s", n, id)
	}
	if st := b.submit("show the item again", chromedp.CSS(`#item-unhide button`)); st != http.StatusOK {
		t.Fatalf("unhide: status %d", st)
	}
	if itemsByID(t, itemsAll(s), target.ID).Hidden {
		t.Fatal("the item is still hidden after showing it again")
	}
	b.open(s.base+"/admin/items?lang=en", chromedp.CSS(`#items`))

	// 5. Sources: a bad interval is refused; add one; remove it.
	b.open(s.base+"/admin/sources", chromedp.CSS(`#source-add`))
	b.do("fill a bad source", chromedp.SetValue(chromedp.CSS(`#source-url`), "https://news.example.org/feed.xml"),
		chromedp.SetValue(chromedp.CSS(`#source-interval`), "5s"))
	if st := b.submit("add with a bad interval", chromedp.CSS(`#source-add button`)); st != http.StatusUnprocessableEntity {
		t.Errorf("interval 5s: status %d, want 422", st)
	}
	if e := b.text("source error", chromedp.CSS(`main p.error`)); !strings.HasPrefix(e, "Poll every: ") {
		t.Errorf("the error %q does not name the interval as the form labels it", e)
	}
	b.do("fix the interval", chromedp.SetValue(chromedp.CSS(`#source-interval`), "30m"))
	if st := b.submit("add the source", chromedp.CSS(`#source-add button`)); st != http.StatusOK {
		t.Fatalf("add source: status %d: %s", st, b.pageText())
	}
	if u := b.text("source row", chromedp.CSS(`#sources td.url`)); u != "https://news.example.org/feed.xml" {
		t.Errorf("sources list shows %q", u)
	}
	b.checkAccessible("sources page")
	b.shots(t, "sources")
	b.do("open the removal", chromedp.Click(chromedp.CSS(`#sources a[href$="/remove"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`#source-remove`)))
	if what := b.text("removal says", chromedp.CSS(`#remove-what`)); !strings.Contains(what, "stay stored") {
		t.Errorf("the confirmation says %q", what)
	}
	if st := b.submit("remove the source", chromedp.CSS(`#source-remove button`)); st != http.StatusOK {
		t.Fatalf("remove: status %d", st)
	}
	var srcs struct {
		Sources []json.RawMessage `json:"sources"`
	}
	s.jsonCall("GET", "/api/v1/sources", nil, &srcs, http.StatusOK)
	if len(srcs.Sources) != 0 {
		t.Errorf("after removing, the API lists %d sources", len(srcs.Sources))
	}
	if n := len(itemsAll(s)); n != rows {
		t.Errorf("removing a source changed the items: %d, want %d", n, rows)
	}

	// 6. Every change is in the audit log under the console user.
	itemsCheckAudit(t, s, "admin", "items.import", "item.update", "item.hide", "item.unhide", "source.create", "source.delete")
}

// itemsLogin logs b in as the owner, going on to the item list (the
// login's own next step, so this section's tests need no other page).
func itemsLogin(b *browserSession, base string) int64 {
	b.t.Helper()
	b.open(base+"/admin/login?next=%2Fadmin%2Fitems", loginForm)
	b.do("fill the login form", chromedp.SetValue(loginUser, "admin"), chromedp.SetValue(loginPass, adminPassword))
	return b.submit("log in as admin", loginSend)
}

// itemsCheckAudit checks that actor has an audit entry for each action.
func itemsCheckAudit(t *testing.T, s *stack, actor string, actions ...string) {
	t.Helper()
	db, err := pgx.Connect(s.ctx, s.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(s.ctx)
	for _, a := range actions {
		var n int
		if err := db.QueryRow(s.ctx, `SELECT count(*) FROM audit_log WHERE actor = $1 AND action = $2`, actor, a).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Errorf("no audit entry for %s by %s", a, actor)
		}
	}
}

// TestAdminItemsImportMatchesAPI imports one listing through the API on
// one stack and through the console's preview and confirmation on
// another: the items stored are the same.
func TestAdminItemsImportMatchesAPI(t *testing.T) {
	t.Parallel()
	fixture, err := os.ReadFile(itemsFixture)
	if err != nil {
		t.Fatal(err)
	}
	api := startStack(t)
	status, body := api.do("POST", "/api/v1/imports", "text/plain", fixture, true)
	if status != http.StatusOK {
		t.Fatalf("API import: %d %s", status, body)
	}
	var res struct{ Imported, Duplicates, Updated int }
	mustJSON(t, body, &res)

	console := startStack(t)
	c := console.browser()
	token := console.csrfToken(c, "/admin/login")
	itemsPost(t, c, console.base+"/admin/login", url.Values{"csrf_token": {token}, "user": {"admin"}, "password": {adminPassword}, "next": {"/admin/items"}})
	token = console.csrfToken(c, "/admin/items/import")
	previewURL := itemsPost(t, c, console.base+"/admin/items/import", url.Values{"csrf_token": {token}, "listing": {string(fixture)}})
	token = console.csrfToken(c, strings.TrimPrefix(previewURL, console.base))
	done, err := url.Parse(itemsPost(t, c, previewURL, url.Values{"csrf_token": {token}}))
	if err != nil {
		t.Fatal(err)
	}
	if q := done.Query(); q.Get("new") != strconv.Itoa(res.Imported) || q.Get("duplicates") != strconv.Itoa(res.Duplicates) ||
		q.Get("updated") != strconv.Itoa(res.Updated) {
		t.Errorf("the console's import ended at %s; the API's result was %+v", done, res)
	}
	ignoreID := cmpopts.IgnoreFields(itemsAPIItem{}, "ID")
	if d := cmp.Diff(itemsAll(api), itemsAll(console), ignoreID); d != "" {
		t.Errorf("API import and console import stored different items (-api +console):\n%s", d)
	}
	// The API removes a source as the console does.
	var src struct{ ID int64 }
	api.jsonCall("POST", "/api/v1/sources", map[string]string{"url": "https://news.example.org/feed.xml"}, &src, http.StatusCreated)
	if st, b := api.do("DELETE", "/api/v1/sources/"+itoa(src.ID), "", nil, true); st != http.StatusNoContent {
		t.Errorf("DELETE source: %d %s", st, b)
	}
	if st, _ := api.do("DELETE", "/api/v1/sources/"+itoa(src.ID), "", nil, true); st != http.StatusNotFound {
		t.Errorf("DELETE a removed source: %d, want 404", st)
	}
	itemsCheckAudit(t, api, "api", "items.import", "source.create", "source.delete")
	itemsCheckAudit(t, console, "admin", "items.import")
}

// itemsPost posts a form with the client and returns where it ended, failing
// unless the end is a 200.
func itemsPost(t *testing.T, c *http.Client, target string, form url.Values) string {
	t.Helper()
	resp, err := c.PostForm(target, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %d: %s", target, resp.StatusCode, b)
	}
	return resp.Request.URL.String()
}
