package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdigest/internal/listname"
)

// TestDeskSettingsInTheBrowser: the settings page names the list per
// language in the console's language, shows each language's default and
// the From line its mails carry, bounds each field as the desk bounds a
// name, marks a bad name's field and saves nothing; saved, the public
// pages' header follows. Only an editor who edits and sends may open it.
// Send now's date fields take the dates as the console writes them
// (year-month-day), whatever the browser's own locale would show in a
// date picker.
func TestDeskSettingsInTheBrowser(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	b := newBrowser(t, 4*time.Minute)
	editionsLogin(b, s)

	b.open(s.base+"/admin/settings?lang=fr", chromedp.CSS(`form#list-names`))
	if got := b.text("the Spanish field's label", chromedp.CSS(`label[for=list_name_es]`)); got != "Nom en espagnol" {
		t.Errorf("the Spanish field reads %q in the French console", got)
	}
	if got := b.text("the Spanish default", chromedp.CSS(`#list_name_es-hint`)); !strings.Contains(got, "«\u00a0News Digest\u00a0»") {
		t.Errorf("the Spanish default reads %q", got)
	}
	if got := b.text("the From line", chromedp.CSS(`#list_name_es-from`)); !strings.Contains(got, "News Digest <digest@example.org>") {
		t.Errorf("the From line reads %q", got)
	}
	if got := editionsEval[int](b, "the Spanish field's bound", `document.getElementById("list_name_es").maxLength`); got != listname.MaxLength {
		t.Errorf("the Spanish field takes %d characters, the desk keeps %d", got, listname.MaxLength)
	}
	b.checkAccessible("settings page (fr)")
	deskShots(t, b, "settings-fr")

	// A line break pasted into a name: refused, the field marked.
	b.do("type names", chromedp.SetValue(chromedp.CSS(`#list_name_es`), "Resumen\u2028semanal"),
		chromedp.SetValue(chromedp.CSS(`#list_name_fr`), "Résumé de l’actualité"))
	if st := b.submit("save", chromedp.CSS(`form#list-names button[type=submit]`)); st != http.StatusUnprocessableEntity {
		t.Fatalf("a name with a line separator: %d", st)
	}
	if got := b.text("error", chromedp.CSS(`main p.error`)); !strings.HasPrefix(got, "Nom en espagnol\u00a0: contient un saut de ligne") {
		t.Errorf("the error reads %q", got)
	}
	if n := itemsCount(b, `#list_name_es[aria-invalid=true]`); n != 1 {
		t.Error("the bad field is not marked")
	}
	if got := b.value("the French name kept", chromedp.CSS(`#list_name_fr`)); got != "Résumé de l’actualité" {
		t.Errorf("the form lost what was typed: %q", got)
	}
	b.checkAccessible("settings page with an error")
	deskShots(t, b, "settings-error-fr")
	if _, page := s.page(s.browser(), "GET", "/?lang=fr", nil); strings.Contains(page, "Résumé de l’actualité") {
		t.Fatal("a refused form changed the list's name")
	}

	b.do("fix the Spanish name", chromedp.SetValue(chromedp.CSS(`#list_name_es`), "Resumen semanal"))
	if st := b.submit("save", chromedp.CSS(`form#list-names button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("save: %d: %s", st, b.pageText())
	}
	if got := b.text("flash", flashStatus); !strings.Contains(got, "enregistrés") {
		t.Errorf("after saving the page says %q", got)
	}
	if got := b.text("the From line", chromedp.CSS(`#list_name_fr-from`)); !strings.Contains(got, "Résumé de l’actualité <digest@example.org>") {
		t.Errorf("the French From line reads %q", got)
	}
	for lang, want := range map[string]string{"es": "Resumen semanal", "fr": "Résumé de l’actualité", "en": "News Digest"} {
		b.open(s.base+"/?lang="+lang, chromedp.CSS(`header a`))
		if got := b.text("the header", chromedp.CSS(`header div > a`)); got != want {
			t.Errorf("the %s front page's header reads %q, want %q", lang, got, want)
		}
	}

	// Send now in the Spanish console: text fields for year-month-day.
	b.open(s.base+"/admin/editions/new?lang=es", chromedp.CSS(`form#edition-range`))
	for _, id := range []string{"from", "to"} {
		typ := editionsEval[string](b, "the type of #"+id, `document.getElementById("`+id+`").type`)
		ph := editionsEval[string](b, "the placeholder of #"+id, `document.getElementById("`+id+`").placeholder`)
		if typ != "text" || ph != "AAAA-MM-DD" {
			t.Errorf("#%s is a %s field with placeholder %q", id, typ, ph)
		}
	}
	b.do("type the range", chromedp.SetValue(chromedp.CSS(`#from`), "2020-01-01"), chromedp.SetValue(chromedp.CSS(`#to`), "2020-12-31"))
	if st := b.submit("update the range", chromedp.CSS(`form#edition-range button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("range: %d: %s", st, b.pageText())
	}
	if got := b.text("the window", chromedp.CSS(`#edition-plan dd`)); !strings.Contains(got, "2020-01-01") || !strings.Contains(got, "2020-12-31") {
		t.Errorf("the plan's window reads %q", got)
	}
	b.checkAccessible("send now (es) with a range")
	deskShots(t, b, "send-now-range-es")

	// Only an editor who edits may rename the list.
	owner := newLoginClient(s, "192.0.2.1")
	if resp, _ := owner.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner login: %d", resp.StatusCode)
	}
	const ed, edPW = "people.only@example.org", "a people editor's passphrase 17"
	addEditor(t, owner, ed, edPW, "subscribers")
	editor := newLoginClient(s, "198.51.100.8")
	if resp, _ := editor.login(ed, edPW); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("editor login: %d", resp.StatusCode)
	}
	if resp, _ := editor.request("GET", "/admin/settings", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an editor of people only at /admin/settings: %d", resp.StatusCode)
	}
	if resp, _ := editor.post("/admin/editors", "/admin/settings", url.Values{"list_name_en": {"Sneaky"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an editor of people only posting /admin/settings: %d", resp.StatusCode)
	}
	if _, page := s.page(s.browser(), "GET", "/?lang=en", nil); strings.Contains(page, "Sneaky") {
		t.Error("a refused post renamed the list")
	}
}
