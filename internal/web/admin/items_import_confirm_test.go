package admin

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/items"
	"newsdigest/internal/postgres"
	"newsdigest/internal/staff"
	"newsdigest/internal/taxonomy"
	"newsdigest/internal/testenv"
)

// importRig is the console's item imports on a database and Redis of the
// test's own, with the owner logged in.
type importRig struct {
	t      *testing.T
	db     *postgres.DB
	items  *items.Service
	base   string
	client *http.Client
}

func newImportRig(t *testing.T) *importRig {
	t.Helper()
	deps := testDeps(t)
	db := testenv.Database(t)
	deps.Staff = staff.New(db, deps.Log)
	deps.Taxonomy = &taxonomy.Cache{Source: db}
	its, err := items.New(items.Deps{Config: deps.Config, Store: db, Taxonomy: deps.Taxonomy, Audit: deps.Staff, Log: deps.Log})
	if err != nil {
		t.Fatal(err)
	}
	deps.Items = its
	con, err := New(deps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { con.Close() })
	r := gin.New()
	con.Mount(r)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	ir := &importRig{t: t, db: db, items: its, base: srv.URL, client: &http.Client{Jar: jar}}
	ir.post("/admin/login", url.Values{"user": {"admin"}, "password": {testOwnerPassword}, "next": {"/admin/items"}})
	return ir
}

// post posts a form and returns the page it ends on and its address.
func (ir *importRig) post(path string, form url.Values) (string, *url.URL) {
	ir.t.Helper()
	resp, err := ir.client.PostForm(ir.base+path, form)
	if err != nil {
		ir.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		ir.t.Fatalf("POST %s: %d: %s", path, resp.StatusCode, b)
	}
	return html.UnescapeString(string(b)), resp.Request.URL
}

func (ir *importRig) get(path string) string {
	ir.t.Helper()
	resp, err := ir.client.Get(ir.base + path)
	if err != nil {
		ir.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		ir.t.Fatalf("GET %s: %d: %s", path, resp.StatusCode, b)
	}
	return html.UnescapeString(string(b))
}

var confirmButton = regexp.MustCompile(`(?s)<form[^>]*id="import-confirm".*?<button type="submit">([^<]*)</button>`)

// button is the text of a preview's confirmation button, "" for none.
func button(page string) string {
	if m := confirmButton.FindStringSubmatch(page); m != nil {
		return m[1]
	}
	return ""
}

// TestImportPreviewButtonSaysWhatConfirmingDoes: a listing of ten stories,
// nine of them stored already, one of those with a corrected summary. The
// preview's button says, in each language, that confirming imports the
// new one and updates the nine; confirming does exactly that.
func TestImportPreviewButtonSaysWhatConfirmingDoes(t *testing.T) {
	t.Parallel()
	ir := newImportRig(t)
	ctx := context.Background()
	fixture, err := os.ReadFile("../../ingest/testdata/iom-rosanjose-news-2020.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(fixture), "\n")
	firstNine := strings.Join(lines[:59], "") // the tenth story starts on line 60
	if _, err := ir.items.Import(ctx, "admin", items.ImportSpec{Format: items.FormatListing}, strings.NewReader(firstNine)); err != nil {
		t.Fatal(err)
	}
	const old = "during the economic recovery from the situation caused by COVID-19."
	const corrected = "during the economic recovery from the crisis caused by COVID-19."
	listing := strings.Replace(string(fixture), old, corrected, 1)

	page, preview := ir.post("/admin/items/import", url.Values{"listing": {listing}})
	if !strings.Contains(page, "10 stories read: 1 new, 9 already stored.") {
		t.Fatalf("the preview at %s does not count 1 new and 9 stored: %.2000s", preview, page[max(0, strings.Index(page, "<main")):])
	}
	for lang, want := range map[string]string{
		"en": "Import 1 new story and update 9 already stored",
		"es": "Importar 1 noticia nueva y actualizar 9 ya guardadas",
		"fr": "Importer 1 nouvel article et mettre à jour 9 déjà enregistrés",
	} {
		if got := button(ir.get(preview.Path + "?lang=" + lang)); got != want {
			t.Errorf("%s: the button says %q, want %q", lang, got, want)
		}
	}

	if _, end := ir.post(preview.Path, nil); end.Query().Get("new") != "1" || end.Query().Get("duplicates") != "9" {
		t.Errorf("the import ended at %s, want 1 new and 9 duplicates", end)
	}
	stored, err := ir.db.Items(ctx, domain.ItemFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	updated := 0
	for _, it := range stored {
		if strings.HasSuffix(it.Summary, corrected) {
			updated++
		}
		if strings.HasSuffix(it.Summary, old) {
			t.Errorf("item %d kept its old summary", it.ID)
		}
	}
	if len(stored) != 10 || updated != 1 {
		t.Errorf("%d items stored, %d with the corrected summary; want 10 and 1", len(stored), updated)
	}

	// A listing all stored already only updates.
	_, again := ir.post("/admin/items/import", url.Values{"listing": {firstNine}})
	if got, want := button(ir.get(again.Path+"?lang=en")), "Update 9 stories already stored"; got != want {
		t.Errorf("a listing all stored: the button says %q, want %q", got, want)
	}
}
