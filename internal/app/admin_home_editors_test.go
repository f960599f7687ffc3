package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserAdminEditors: the owner adds an editor, who logs in with
// their email, cannot reach the owner's actions, and changes their
// password (ending their sessions); the owner resets it (ending them
// again) and removes the editor (ending them for good); the audit log
// shows all of it with who did it.
func TestBrowserAdminEditors(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	b := newBrowser(t, 4*time.Minute)
	const ed = "editor.one@example.org"
	const firstPW, ownPW, resetPW = "first editor password 1", "the editor's own choice 2", "reset by the owner 3"

	if st := b.adminLogin(s.base, "admin", adminPassword); st != http.StatusOK {
		t.Fatalf("owner login: %d: %s", st, b.pageText())
	}
	addForm := chromedp.CSS(`form#editor-add`)
	b.open(s.base+"/admin/editors", addForm)
	if !strings.Contains(b.text("owner note", chromedp.CSS(`#owner-note`)), "ADMIN_PASSWORD") {
		t.Error("the owner's page does not say the owner's password is ADMIN_PASSWORD")
	}
	b.checkAccessible("editors page, owner")

	// A short password: refused, naming the field, nothing added.
	b.do("fill a short password",
		chromedp.SetValue(chromedp.CSS(`#new-email`), ed),
		chromedp.SetValue(chromedp.CSS(`#new-password`), "too short"),
		chromedp.SetValue(chromedp.CSS(`#new-password-again`), "too short"),
		chromedp.RemoveAttribute(chromedp.CSS(`#new-password`), "minlength"),
		chromedp.RemoveAttribute(chromedp.CSS(`#new-password-again`), "minlength"))
	if st := b.submit("add with a short password", chromedp.CSS(`form#editor-add button[type=submit]`)); st != http.StatusUnprocessableEntity {
		t.Fatalf("short password: status %d, want 422", st)
	}
	if msg := b.text("error", chromedp.CSS(`main p.error`)); !strings.Contains(msg, "Password: at least 12 characters") {
		t.Errorf("short password: the page says %q", msg)
	}
	if got := b.value("email kept", chromedp.CSS(`#new-email`)); got != ed {
		t.Errorf("after the error the email field holds %q", got)
	}
	if rows := b.homeCells("editor rows", `#editors tbody th`); len(rows) != 0 {
		t.Fatalf("a refused editor was added: %v", rows)
	}
	// Long enough, yet a breached password or a pattern: refused, saying why.
	for pw, why := range map[string]string{"111111111111": "leaked", "P@ssw0rd1234": "too easy to guess"} {
		b.do("fill a weak password",
			chromedp.SetValue(chromedp.CSS(`#new-email`), ed),
			chromedp.SetValue(chromedp.CSS(`#new-password`), pw),
			chromedp.SetValue(chromedp.CSS(`#new-password-again`), pw))
		if st := b.submit("add with a weak password", chromedp.CSS(`form#editor-add button[type=submit]`)); st != http.StatusUnprocessableEntity {
			t.Fatalf("weak password %q: status %d, want 422", pw, st)
		}
		if msg := b.text("error", chromedp.CSS(`main p.error`)); !strings.Contains(msg, why) {
			t.Errorf("weak password %q: the page says %q, want it to say %q", pw, msg, why)
		}
		if rows := b.homeCells("editor rows", `#editors tbody th`); len(rows) != 0 {
			t.Fatalf("an editor with a weak password was added: %v", rows)
		}
	}

	b.do("fill the editor",
		chromedp.SetValue(chromedp.CSS(`#new-email`), ed),
		chromedp.SetValue(chromedp.CSS(`#new-password`), firstPW),
		chromedp.SetValue(chromedp.CSS(`#new-password-again`), firstPW))
	if st := b.submit("add the editor", chromedp.CSS(`form#editor-add button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("add editor: %d: %s", st, b.pageText())
	}
	if msg := b.text("flash", flashStatus); msg != "Editor added." {
		t.Errorf("after adding, the flash says %q", msg)
	}
	if rows := b.homeCells("editor rows", `#editors tbody th`); len(rows) != 1 || rows[0] != ed {
		t.Fatalf("editors listed: %v, want [%s]", rows, ed)
	}
	manage := chromedp.CSS(`#editors a[href^="/admin/editors/"]`)
	href := b.homeCells("manage link", `#editors a[href^="/admin/editors/"]`)
	if len(href) != 1 {
		t.Fatalf("no manage link for the editor")
	}
	b.do("log out", chromedp.Click(logoutSend, chromedp.NodeVisible), chromedp.WaitVisible(loginForm))

	// The editor logs in with their email (any case) and sees the page read-only.
	if st := b.adminLogin(s.base, strings.ToUpper(ed), firstPW); st != http.StatusOK {
		t.Fatalf("editor login: %d: %s", st, b.pageText())
	}
	if who := b.text("who", chromedp.CSS(`header .who`)); !strings.Contains(who, ed) {
		t.Errorf("the header says %q, want the editor's email", who)
	}
	b.open(s.base+"/admin/editors", chromedp.CSS(`form#own-password`))
	if n := len(b.homeCells("add form", `form#editor-add`)); n != 0 {
		t.Error("an editor is shown the form to add editors")
	}
	b.checkAccessible("editors page, editor")

	// Owner actions answer 403 to an editor, even posted by hand.
	other := newLoginClient(s, "")
	if resp, _ := other.login(ed, firstPW); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("editor HTTP login: %d", resp.StatusCode)
	}
	resp, page := other.post("/admin/editors", "/admin/editors", url.Values{"email": {"sneaky@example.org"},
		"password": {"a long enough password"}, "password_again": {"a long enough password"}})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "Only the owner") {
		t.Errorf("an editor adding an editor: %d: %.300s", resp.StatusCode, page)
	}
	for _, path := range []string{"/admin/editors/1", "/admin/editors/1/remove"} {
		if resp, _ := other.request("GET", path, nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an editor at %s: %d, want 403", path, resp.StatusCode)
		}
	}

	// A wrong current password changes nothing.
	own := func(current, next string) int64 {
		b.do("fill the password change",
			chromedp.SetValue(chromedp.CSS(`#current-password`), current),
			chromedp.SetValue(chromedp.CSS(`#own-new`), next),
			chromedp.SetValue(chromedp.CSS(`#own-new-again`), next))
		return b.submit("change my password", chromedp.CSS(`form#own-password button[type=submit]`))
	}
	if st := own("not my password", ownPW); st != http.StatusUnprocessableEntity {
		t.Fatalf("wrong current password: %d, want 422", st)
	}
	if !other.sessionLive("/admin") {
		t.Fatal("a refused password change ended a session")
	}
	if st := own(firstPW, ownPW); st != http.StatusOK {
		t.Fatalf("change own password: %d: %s", st, b.pageText())
	}
	if u := b.currentURL(); !strings.HasPrefix(u, s.base+"/admin/login") {
		t.Errorf("after changing the password the browser shows %s, want the login", u)
	}
	if msg := b.text("flash", flashStatus); !strings.Contains(msg, "Your password was changed") {
		t.Errorf("after the change the login page says %q", msg)
	}
	if other.sessionLive("/admin") {
		t.Error("the editor's other session survived their password change")
	}
	if resp, _ := newLoginClient(s, "").login(ed, firstPW); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the old password after the change: %d, want 401", resp.StatusCode)
	}
	if st := b.adminLogin(s.base, ed, ownPW); st != http.StatusOK {
		t.Fatalf("login with the new password: %d: %s", st, b.pageText())
	}
	b.do("log out", chromedp.Click(logoutSend, chromedp.NodeVisible), chromedp.WaitVisible(loginForm))

	// The owner resets the password: the editor's session ends.
	other = newLoginClient(s, "")
	if resp, _ := other.login(ed, ownPW); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("editor HTTP login with their password: %d", resp.StatusCode)
	}
	if st := b.adminLogin(s.base, "admin", adminPassword); st != http.StatusOK {
		t.Fatalf("owner login: %d", st)
	}
	b.open(s.base+"/admin/editors", manage)
	b.do("manage the editor", chromedp.Click(manage, chromedp.NodeVisible), chromedp.WaitVisible(chromedp.CSS(`form#editor-reset`)))
	b.checkAccessible("editor page")
	b.do("fill the reset",
		chromedp.SetValue(chromedp.CSS(`#reset-new`), resetPW),
		chromedp.SetValue(chromedp.CSS(`#reset-again`), resetPW))
	if st := b.submit("reset the password", chromedp.CSS(`form#editor-reset button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("reset: %d: %s", st, b.pageText())
	}
	if other.sessionLive("/admin") {
		t.Error("the editor's session survived the owner's reset")
	}
	other = newLoginClient(s, "")
	if resp, _ := other.login(ed, resetPW); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("editor login with the reset password: %d", resp.StatusCode)
	}

	// The owner removes the editor, through the confirmation.
	b.do("ask to remove", chromedp.Click(chromedp.CSS(`#editor-remove-link`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`form#editor-remove`)))
	if !strings.Contains(b.pageText(), ed+" will be logged out") {
		t.Errorf("the confirmation does not say what removing does: %s", b.pageText())
	}
	if !other.sessionLive("/admin") {
		t.Fatal("asking to remove already removed the editor")
	}
	b.checkAccessible("remove confirmation")
	if st := b.submit("remove", chromedp.CSS(`form#editor-remove button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("remove: %d", st)
	}
	if msg := b.text("flash", flashStatus); !strings.Contains(msg, "Editor removed") {
		t.Errorf("after removing, the flash says %q", msg)
	}
	if other.sessionLive("/admin") {
		t.Error("a removed editor's session still opens the console")
	}
	if resp, _ := newLoginClient(s, "").login(ed, resetPW); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a removed editor logging in: %d, want 401", resp.StatusCode)
	}

	// The audit log: every action in words, newest first, with who did
	// it; log-ins and log-outs shown when asked for.
	b.open(s.base+"/admin/audit?sessions=1", chromedp.CSS(`table#audit`))
	actions := b.homeCells("actions", `#audit .audit-action`)
	actors := b.homeCells("actors", `#audit .audit-actor`)
	var seen []string
	for i := range actions {
		seen = append(seen, actors[i]+" "+actions[i])
	}
	log := strings.Join(seen, "\n")
	for _, want := range []string{
		"admin Removed an editor", "admin Changed a password", ed + " Changed a password",
		"admin Added an editor", ed + " Logged in", ed + " Logged out", "admin Logged in",
	} {
		if !strings.Contains(log+"\n", want+"\n") {
			t.Errorf("the audit log has no %q:\n%s", want, log)
		}
	}
	if len(seen) == 0 || seen[0] != "admin Logged in" && seen[0] != "admin Removed an editor" {
		t.Errorf("the newest entry is %q, want the owner's last action", seen)
	}
	b.checkAccessible("audit log")
	b.open(s.base+"/admin/audit?actor="+url.QueryEscape(ed), chromedp.CSS(`table#audit`))
	for _, a := range b.homeCells("actors", `#audit .audit-actor`) {
		if a != ed {
			t.Errorf("filtered by %s, the log shows an entry by %q", ed, a)
		}
	}
	b.open(s.base+"/admin/audit?object_type=editor&sessions=1", chromedp.CSS(`table#audit`))
	if got := len(b.homeCells("rows", `#audit tbody tr`)); got < 7 {
		t.Errorf("filtered by object type editor: %d rows, want every editor action", got)
	}
}
