package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestEditorLoginNamesTheStoredAccount: an editor signs in with their
// address however they type it (another case, the domain in its own
// script as the owner typed it when adding them), and the audit log
// names them by the one address the desk holds for every entry, their
// log-in as their log-out, so the log filtered by who shows all they did.
func TestEditorLoginNamesTheStoredAccount(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"TRUSTED_PROXIES": "127.0.0.1/32"})
	owner := newLoginClient(s, "192.0.2.1")
	if resp, _ := owner.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner login: %d", resp.StatusCode)
	}
	const typed, pw = "Ana.Perez@München-Noticias.org", "ana's console passphrase 83"
	form := url.Values{"email": {typed}, "password": {pw}, "password_again": {pw}, "role_edit": {"1"}}
	if resp, page := owner.post("/admin/editors", "/admin/editors", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add editor: %d %.300s", resp.StatusCode, page)
	}
	_, page := owner.request("GET", "/admin/editors", nil)
	m := regexp.MustCompile(`<tr data-editor="([^"]+)">`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the editors page lists no editor")
	}
	stored := m[1]
	if !strings.HasPrefix(stored, "Ana.Perez@xn--") {
		t.Fatalf("stored address %q, want the local part as typed and the domain in ASCII", stored)
	}

	for i, name := range []string{typed, "ana.perez@münchen-noticias.org", strings.ToUpper(stored)} {
		ed := newLoginClient(s, "198.51.100."+itoa(int64(10+i)))
		if resp, page := ed.login(name, pw); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("login as %q: %d, want 303: %.200s", name, resp.StatusCode, page)
			continue
		}
		if resp, _ := ed.post("/admin/editors", "/admin/logout", url.Values{}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("logout after logging in as %q: %d", name, resp.StatusCode)
		}
	}

	_, page = owner.request("GET", "/admin/audit?sessions=1&actor="+url.QueryEscape(stored), nil)
	rows := regexp.MustCompile(`data-action="(session\.log(?:in|out))"`).FindAllStringSubmatch(page, -1)
	var ins, outs int
	for _, r := range rows {
		if r[1] == "session.login" {
			ins++
		} else {
			outs++
		}
	}
	if ins != 3 || outs != 3 {
		t.Errorf("the audit log under %s: %d log-ins and %d log-outs, want 3 of each", stored, ins, outs)
	}
	_, page = owner.request("GET", "/admin/audit?sessions=1", nil)
	for _, a := range regexp.MustCompile(`<td class="audit-actor">([^<]*)</td>`).FindAllStringSubmatch(page, -1) {
		if a[1] != "admin" && a[1] != stored {
			t.Errorf("the audit log names an actor %q: not an account the desk holds", a[1])
		}
	}
}
