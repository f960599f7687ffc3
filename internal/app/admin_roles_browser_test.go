package app_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserRolesSessionsAndLinks: the pages this work added, in English
// and Spanish, pass axe-core and fit a phone: the dashboard telling the
// owner an account is under attack, an editor's page with its roles and
// sessions and the page asking to end them all, the page that says a
// copy of one's data was mailed, and the
// web digest opened by its view token (no reader's links on it).
func TestBrowserRolesSessionsAndLinks(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"TRUSTED_PROXIES": "127.0.0.1/32"})
	b := newBrowser(t, 4*time.Minute)
	for i := 1; i <= 10; i++ {
		newLoginClient(s, "198.51.100."+strconv.Itoa(i)).login("admin", "wrong password")
	}
	owner := newLoginClient(s, "192.0.2.5")
	if resp, _ := owner.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner login: %d", resp.StatusCode)
	}
	id := addEditor(t, owner, "roles.editor@example.org", "an editor's own passphrase 42", "edit")
	editor := newLoginClient(s, "203.0.113.40")
	if resp, _ := editor.login("roles.editor@example.org", "an editor's own passphrase 42"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("editor login: %d", resp.StatusCode)
	}

	if st := b.adminLogin(s.base, "admin", adminPassword); st != http.StatusOK {
		t.Fatalf("owner browser login: %d", st)
	}
	for _, lang := range []string{"en", "es"} {
		b.open(s.base+"/admin?lang="+lang, chromedp.CSS(`#login-failures tr[data-account="admin"] [data-state="slowed"]`))
		b.checkAccessible("dashboard with an account under attack, " + lang)
		b.shots(t, "dashboard-logins-"+lang)
		b.open(s.base+"/admin/editors/"+id+"?lang="+lang, chromedp.CSS(`#sessions tr[data-session]`))
		b.checkAccessible("an editor's roles and sessions, " + lang)
		b.shots(t, "editor-roles-sessions-"+lang)
		b.open(s.base+"/admin/editors/"+id+"/sessions/end?lang="+lang, chromedp.CSS(`form#editor-sessions-end`))
		b.checkAccessible("the page asking to end all of an editor's sessions, " + lang)
	}
	b.open(s.base+"/admin/editors?lang=en", chromedp.CSS(`form#editor-add fieldset#roles`))
	b.checkAccessible("editors page with roles")

	// A reader's pages: the request for a copy, and the web digest.
	const reader = "roles.reader@example.org"
	s.subscribeAndConfirm(reader, []string{"CR"})
	if e := s.edition("a story for the web view"); e.Sent != 1 {
		t.Fatalf("edition: %+v", e)
	}
	tok, view := s.digestLinks(reader)
	for _, lang := range []string{"en", "es"} {
		b.open(s.base+"/preferences/"+tok+"/export?lang="+lang, pageHeading)
		if !strings.Contains(b.pageText(), "JSON") {
			t.Errorf("the export request page (%s) says %q", lang, b.pageText())
		}
		b.checkAccessible("export requested, " + lang)
		b.shots(t, "export-requested-"+lang)
	}
	b.open(s.base+view, chromedp.CSS(`main`))
	b.checkAccessible("web digest by its view token")
	b.shots(t, "web-digest")
	if text := b.pageText(); strings.Contains(text, "preferences") || strings.Contains(text, "Unsubscribe") {
		t.Errorf("the web digest shows a reader's links: %q", text)
	}
}
