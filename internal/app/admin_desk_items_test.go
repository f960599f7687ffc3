package app_test

import (
	"html"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// deskShots is where these tests leave their screenshots when
// DESK_SHOTS names a directory (for a person to look at); else the test's
// artifact directory.
func deskShots(t *testing.T, b *browserSession, name string) {
	t.Helper()
	if dir := os.Getenv("DESK_SHOTS"); dir != "" {
		b.screenshot(dir, name+"-1280", 1280)
		b.screenshot(dir, name+"-375", 375)
		return
	}
	b.shots(t, name)
}

// TestAdminImportShowsGoodItemsBesideBadLine: a listing with one
// ambiguous date still previews its good items; the bad line is marked
// where it stands, in the console's language, naming the menu's own
// choices; nothing can be confirmed and nothing is stored.
func TestAdminImportShowsGoodItemsBesideBadLine(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	b := newBrowser(t, 3*time.Minute)
	if st := itemsLogin(b, s.base); st != http.StatusOK {
		t.Fatalf("login: status %d", st)
	}
	listing := "3 March, 2021\n\nGuatemala: a first good item\n\nA summary about Guatemala.\n\n" +
		"05/09/2021\n\nHonduras: an item with an ambiguous date\n\nA summary about Honduras.\n\n" +
		"4 March, 2021\n\nPanama: a second good item\n\nA summary about Panama.\n"
	for _, tc := range []struct{ lang, fault, dayFirst string }{
		{"es", "Por corregir:", "«Día primero»"},
		{"en", "To fix:", "“Day first”"},
		{"fr", "À corriger\u00a0:", "«\u00a0Jour d’abord\u00a0»"}, // French spaces that do not break
	} {
		b.open(s.base+"/admin/items/import?lang="+tc.lang, chromedp.CSS(`#import-form`))
		b.do("paste the listing", chromedp.SetValue(chromedp.CSS(`#listing`), listing))
		if st := b.submit("preview", chromedp.CSS(`#import-preview`)); st != http.StatusOK {
			t.Fatalf("%s: preview: status %d: %s", tc.lang, st, b.pageText())
		}
		rows := b.text("preview rows", chromedp.CSS(`#preview-items tbody`))
		if !strings.Contains(rows, "a first good item") || !strings.Contains(rows, "a second good item") {
			t.Errorf("%s: the good items are not previewed: %q", tc.lang, rows)
		}
		fault := b.text("the bad line", chromedp.CSS(`#preview-items tr.line-fault#line-7`))
		if !strings.HasPrefix(fault, "7") || !strings.Contains(fault, tc.fault) || !strings.Contains(fault, "05/09/2021") ||
			!strings.Contains(fault, tc.dayFirst) {
			t.Errorf("%s: the bad line reads %q", tc.lang, fault)
		}
		ids := b.text("row order", chromedp.CSS(`#preview-items tbody`))
		if i, j, k := strings.Index(ids, "first good"), strings.Index(ids, "05/09/2021"), strings.Index(ids, "second good"); !(i < j && j < k) {
			t.Errorf("%s: the bad line is not in its place between the good items: %q", tc.lang, ids)
		}
		all := b.text("errors", chromedp.CSS(`#preview-errors`))
		for _, internal := range []string{"mdy", "dmy", "nothing was imported", "unreadable line"} {
			if strings.Contains(all, internal) || strings.Contains(fault, internal) {
				t.Errorf("%s: the page says %q: %q / %q", tc.lang, internal, all, fault)
			}
		}
		if n := itemsCount(b, `#import-confirm`); n != 0 {
			t.Errorf("%s: a listing with a bad line can be confirmed", tc.lang)
		}
		if tc.lang == "es" {
			b.checkAccessible("import preview with a bad line")
			deskShots(t, b, "import-bad-line-es")
		}
	}
	if n := len(itemsAll(s)); n != 0 {
		t.Fatalf("previews stored %d items", n)
	}
}

// TestAdminItemCountriesByName: countries are added by code or by name
// in English, Spanish or French; what is no country is named in the
// message and never shown as a ticked box.
func TestAdminItemCountriesByName(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	b := newBrowser(t, 3*time.Minute)
	if st := itemsLogin(b, s.base); st != http.StatusOK {
		t.Fatalf("login: status %d", st)
	}
	listing := "3 March, 2021\n\nA workshop on labour migration\n\nOfficials met in a workshop.\n"
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
	stored := itemsAll(s)
	if len(stored) != 1 {
		t.Fatalf("stored %d items", len(stored))
	}
	id := strconv.FormatInt(stored[0].ID, 10)

	b.open(s.base+"/admin/items/"+id+"?lang=en", chromedp.CSS(`#item-form`))
	b.do("type a code that is no country", chromedp.SetValue(chromedp.CSS(`#add_countries`), "XX, Atlantis"))
	if st := b.submit("save", chromedp.CSS(`#item-form button[type=submit]`)); st != http.StatusUnprocessableEntity {
		t.Fatalf("saving XX: status %d", st)
	}
	if e := b.text("error", chromedp.CSS(`main p.error`)); !strings.Contains(e, "XX") || !strings.Contains(e, "Atlantis") {
		t.Errorf("the error %q does not name what was not understood", e)
	}
	if n := itemsCount(b, `#tags-countries input[type=checkbox]`); n != 0 {
		t.Errorf("%d country boxes shown after an unknown country; want none", n)
	}
	if v := b.value("typed text", chromedp.CSS(`#add_countries`)); v != "XX, Atlantis" {
		t.Errorf("the typed text is not offered back: %q", v)
	}
	deskShots(t, b, "item-unknown-country")

	b.open(s.base+"/admin/items/"+id+"?lang=es", chromedp.CSS(`#item-form`))
	b.do("type names", chromedp.SetValue(chromedp.CSS(`#add_countries`), "México, haiti; Guatemala, Belice, Costa Rica; ni"))
	if st := b.submit("save", chromedp.CSS(`#item-form button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("saving names: status %d: %s", st, b.pageText())
	}
	b.open(s.base+"/admin/items/"+id+"?lang=fr", chromedp.CSS(`#item-form`))
	b.do("type French names", chromedp.SetValue(chromedp.CSS(`#add_countries`), "Salvador, États-Unis"))
	if st := b.submit("save", chromedp.CSS(`#item-form button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("saving French names: status %d: %s", st, b.pageText())
	}
	got := itemsByID(t, itemsAll(s), stored[0].ID).Countries
	slices.Sort(got)
	if want := []string{"BZ", "CR", "GT", "HT", "MX", "NI", "SV", "US"}; !slices.Equal(got, want) {
		t.Errorf("countries %v, want %v", got, want)
	}
}

// stories2020 asks for an edition of the stories published in 2020 (the
// fixture's year): older than a week, they join no edition of new stories.
var stories2020 = map[string]any{"published_from": "2020-01-01", "published_to": "2020-12-31"}

// TestAdminItemVersionsLinkAndArchive: an English story and its Spanish
// version at unrelated addresses are suggested on the item page (same
// day, same country, same figures and names), linked there and unlinked;
// linked, the English reader gets one and the English archive and feed
// carry the English version only.
func TestAdminItemVersionsLinkAndArchive(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	b := newBrowser(t, 3*time.Minute)
	if st := itemsLogin(b, s.base); st != http.StatusOK {
		t.Fatalf("login: status %d", st)
	}
	day := time.Now().UTC().Format("2 January, 2006")
	en := "Costa Rica: 1,250 workers in Upala join a labour survey"
	es := "Costa Rica: 1.250 trabajadores de Upala participan en una encuesta laboral"
	other := "Panama: a workshop on protection"
	listing := day + "\n\n" + en + "\n\nThe survey in Upala counted 1,250 workers.\n\nhttps://news.example.org/upala-survey\n\n" +
		day + "\n\n" + other + "\n\nOfficials met in Panama.\n\nhttps://news.example.org/panama\n\n" +
		day + "\n\n" + es + "\n\nLa encuesta en Upala contó 1.250 trabajadores.\n\nhttps://noticias.example.net/encuesta-upala\n"
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
	ids := map[string]int64{}
	for _, it := range itemsAll(s) {
		ids[it.Title] = it.ID
	}
	if ids[en] == 0 || ids[es] == 0 {
		t.Fatalf("stored %v", ids)
	}
	page := s.base + "/admin/items/" + strconv.FormatInt(ids[en], 10) + "?lang=en"
	b.open(page, chromedp.CSS(`#item-versions`))
	sugg := b.text("suggestions", chromedp.CSS(`#version-suggestions`))
	if !strings.Contains(sugg, es) || strings.Contains(sugg, other) || !strings.Contains(sugg, "upala") {
		t.Fatalf("suggestions: %q", sugg)
	}
	b.checkAccessible("item page with version suggestions")
	deskShots(t, b, "item-versions-suggested")
	if st := b.submit("link", chromedp.CSS(`#version-suggestions li[data-item="`+strconv.FormatInt(ids[es], 10)+`"] button`)); st != http.StatusOK {
		t.Fatalf("link: %d %s", st, b.pageText())
	}
	if v := b.text("versions", chromedp.CSS(`#versions`)); !strings.Contains(v, es) {
		t.Errorf("after linking, versions: %q", v)
	}
	if tr := translationsOf(t, s, ids[en]); !slices.Equal(tr, []int64{ids[es]}) {
		t.Errorf("translations %v, want the Spanish one", tr)
	}
	deskShots(t, b, "item-versions-linked")

	// An English reader gets one version; the English archive and feed
	// carry the English one, the Spanish archive the Spanish one.
	if status, got := s.importCSV("email,countries,topics,language\nreader@example.org,CR,,en\n"); status != http.StatusOK || got.Imported != 1 {
		t.Fatalf("import subscribers: %d %+v", status, got)
	}
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", map[string]any{}, &created, http.StatusAccepted)
	if e := s.waitEdition(created.ID); e.Status != "done" || e.Sent != 1 {
		t.Fatalf("edition: %+v", e)
	}
	mail := string(s.smtp.To("reader@example.org")[0].Raw)
	if !strings.Contains(mail, "Upala join") || strings.Contains(mail, "trabajadores") {
		t.Errorf("the English reader's digest does not hold the English version alone")
	}
	for _, tc := range []struct{ path, want, not string }{
		{"/archive?lang=en", en, es}, {"/archive?lang=es", es, en},
		{"/feeds/country/CR.xml?lang=en", "Upala join", "trabajadores"},
	} {
		status, body := s.do("GET", tc.path, "", nil, false)
		text := html.UnescapeString(string(body))
		if status != http.StatusOK || !strings.Contains(text, tc.want) || strings.Contains(text, tc.not) {
			t.Errorf("%s: %d, want %q and not %q", tc.path, status, tc.want, tc.not)
		}
	}

	b.open(page, chromedp.CSS(`#versions`))
	if st := b.submit("unlink", chromedp.CSS(`#versions li button`)); st != http.StatusOK {
		t.Fatalf("unlink: %d", st)
	}
	b.text("no versions", chromedp.CSS(`#no-versions`))
	if tr := translationsOf(t, s, ids[en]); len(tr) != 0 {
		t.Errorf("after unlinking, translations %v", tr)
	}
}

// translationsOf reads an item's other language versions from the API.
func translationsOf(t *testing.T, s *stack, id int64) []int64 {
	t.Helper()
	var page struct {
		Items []struct {
			ID           int64   `json:"id"`
			Translations []int64 `json:"translations"`
		} `json:"items"`
	}
	s.jsonCall("GET", "/api/v1/items?limit=1000", nil, &page, http.StatusOK)
	for _, it := range page.Items {
		if it.ID == id {
			return it.Translations
		}
	}
	t.Fatalf("item %d not listed", id)
	return nil
}
