package app_test

import (
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
		{"fr", "À corriger :", "« Jour d’abord »"},
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
