package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// addEditor has the owner (logged in as owner) add an editor with roles
// ("edit", "subscribers") and returns the editor's id.
func addEditor(t *testing.T, owner *loginClient, email, password string, roles ...string) string {
	t.Helper()
	form := url.Values{"email": {email}, "password": {password}, "password_again": {password}}
	for _, r := range roles {
		form.Set("role_"+r, "1")
	}
	if resp, page := owner.post("/admin/editors", "/admin/editors", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add editor %s: %d %.300s", email, resp.StatusCode, page)
	}
	_, page := owner.request("GET", "/admin/editors", nil)
	m := regexp.MustCompile(`(?s)<tr data-editor="` + regexp.QuoteMeta(email) + `">.*?href="/admin/editors/(\d+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the editors page does not list %s", email)
	}
	return m[1]
}

// TestAdminEditorRoles: an editor the owner gives only "edit and send"
// cannot see or export the subscribers, erase or unsubscribe anyone,
// import addresses as active, preview a named subscriber's digest, see
// who failed in an edition, or read the audit log; posted by hand, each
// answers 403 and changes nothing. Given "manage subscribers", they can,
// from their next request. The owner lists an editor's sessions, with
// where they came from, and ends one, or all of them once a page has
// asked, saying how many; the notice says how many ended.
func TestAdminEditorRoles(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"TRUSTED_PROXIES": "127.0.0.1/32"})
	if status, a := s.importCSV("email,countries,topics,language\nperson@example.org,CR,,en\n"); status != http.StatusOK || a.Imported != 1 {
		t.Fatalf("import: %d %+v", status, a)
	}
	person := subscriberRow(t, s, "person@example.org")
	owner := newLoginClient(s, "192.0.2.1")
	if resp, _ := owner.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner login: %d", resp.StatusCode)
	}
	const ed, edPW = "plain.editor@example.org", "a plain editor's passphrase 61"
	id := addEditor(t, owner, ed, edPW, "edit")
	// Added again, the address is refused, and its field is marked and
	// focused for the fix.
	again := url.Values{"email": {strings.ToUpper(ed)}, "password": {edPW}, "password_again": {edPW}, "role_edit": {"1"}}
	if resp, page := owner.post("/admin/editors", "/admin/editors", again); resp.StatusCode != http.StatusConflict ||
		!regexp.MustCompile(`id="new-email"[^>]*aria-invalid="true" autofocus`).MatchString(page) {
		t.Errorf("an editor added twice: %d, the address field not marked: %.300s", resp.StatusCode, page)
	}
	editor := newLoginClient(s, "198.51.100.77")
	if resp, _ := editor.login(ed, edPW); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("editor login: %d", resp.StatusCode)
	}

	if resp, page := editor.request("GET", "/admin/items", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("an editor who edits, at /admin/items: %d %.300s", resp.StatusCode, page)
	}
	if _, page := editor.request("GET", "/admin", nil); strings.Contains(page, `href="/admin/subscribers"`) || strings.Contains(page, `href="/admin/audit"`) {
		t.Error("the plain editor's menu links to the subscribers or the audit log")
	}
	for _, path := range []string{"/admin/subscribers", "/admin/subscribers.csv", "/admin/subscribers/" + itoa(person.ID),
		"/admin/subscribers/import", "/admin/audit", "/admin/editions/preview?email=person%40example.org",
		"/admin/editions/preview.html?email=person%40example.org"} {
		if resp, page := editor.request("GET", path, nil); resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "manage subscribers") {
			t.Errorf("a plain editor at %s: %d, want 403 naming the role: %.200s", path, resp.StatusCode, page)
		}
	}
	for _, p := range []struct {
		action string
		form   url.Values
	}{
		{"/admin/subscribers/" + itoa(person.ID) + "/erase", url.Values{}},
		{"/admin/subscribers/" + itoa(person.ID) + "/unsubscribe", url.Values{}},
		{"/admin/subscribers/import", url.Values{"csv": {"email,countries,topics,language\nsneaky@example.org,CR,,en\n"}}},
		{"/admin/editions/test-send", url.Values{"email": {"person@example.org"}, "to": {ed}}},
	} {
		if resp, page := editor.post("/admin/editors", p.action, p.form); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a plain editor posting %s: %d, want 403: %.200s", p.action, resp.StatusCode, page)
		}
	}
	if row := subscriberRow(t, s, "person@example.org"); row.Status != "active" {
		t.Fatalf("after refused posts the person is %s", row.Status)
	}
	if subscriberRow(t, s, "sneaky@example.org") != nil {
		t.Fatal("a plain editor imported an address")
	}

	// The owner gives "manage subscribers": the next request may.
	if resp, page := owner.post("/admin/editors/"+id, "/admin/editors/"+id+"/roles",
		url.Values{"role_edit": {"1"}, "role_subscribers": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("set roles: %d %.300s", resp.StatusCode, page)
	}
	for _, path := range []string{"/admin/subscribers", "/admin/subscribers.csv", "/admin/audit"} {
		if resp, _ := editor.request("GET", path, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("a subscriber manager at %s: %d, want 200", path, resp.StatusCode)
		}
	}
	// And takes "edit and send" away.
	if resp, _ := owner.post("/admin/editors/"+id, "/admin/editors/"+id+"/roles",
		url.Values{"role_subscribers": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatal("set roles")
	}
	if resp, page := editor.request("GET", "/admin/items", nil); resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "edit and send") {
		t.Errorf("an editor without edit and send, at /admin/items: %d", resp.StatusCode)
	}

	// The owner sees the editor's sessions, and ends them.
	second := newLoginClient(s, "203.0.113.88")
	if resp, _ := second.login(ed, edPW); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("editor's second login: %d", resp.StatusCode)
	}
	_, page := owner.request("GET", "/admin/editors/"+id, nil)
	sessions := regexp.MustCompile(`<tr data-session="(\d+)">`).FindAllStringSubmatch(page, -1)
	if len(sessions) != 2 || !strings.Contains(page, "198.51.100.77") || !strings.Contains(page, "203.0.113.88") {
		t.Fatalf("the owner's page lists %d sessions of the editor, want 2 with their IPs", len(sessions))
	}
	if resp, _ := owner.post("/admin/editors/"+id, "/admin/editors/"+id+"/sessions",
		url.Values{"session": {sessions[0][1]}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatal("end one session")
	}
	if live := []bool{editor.sessionLive("/admin/editors"), second.sessionLive("/admin/editors")}; live[0] == live[1] {
		t.Errorf("after ending one of two sessions, live = %v, want one of them", live)
	}
	// Ending them all asks first, saying how many will end, and says how
	// many did.
	confirm := "/admin/editors/" + id + "/sessions/end"
	if resp, page := owner.request("GET", confirm+"?lang=en", nil); resp.StatusCode != http.StatusOK || !strings.Contains(page, ed+" has 1 session open") {
		t.Fatalf("the page asking to end all sessions: %d: %.1500s", resp.StatusCode, page)
	}
	resp, _ := owner.post(confirm, "/admin/editors/"+id+"/sessions", url.Values{"session": {"all"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatal("end all sessions")
	}
	if _, page := owner.request("GET", resp.Header.Get("Location")+"&lang=en", nil); !strings.Contains(page, "1 session ended.") {
		t.Errorf("after ending all sessions, the editor's page says: %.1500s", page)
	}
	if editor.sessionLive("/admin/editors") || second.sessionLive("/admin/editors") {
		t.Error("a session survived the owner ending them all")
	}
	if !owner.sessionLive("/admin/editors") {
		t.Error("ending an editor's sessions ended the owner's")
	}
}

// TestExportNamesNoStaff: the copy of a person's data names whoever acted
// for the desk only as "an editor": not the editor's address, nor the IP
// and browser of the request that imported them.
func TestExportNamesNoStaff(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"TRUSTED_PROXIES": "127.0.0.1/32"})
	owner := newLoginClient(s, "192.0.2.1")
	if resp, _ := owner.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner login: %d", resp.StatusCode)
	}
	const ed, edPW = "staff.member@example.org", "a staff member's passphrase 17"
	addEditor(t, owner, ed, edPW, "subscribers")
	staff := newLoginClient(s, "198.51.100.99")
	if resp, _ := staff.login(ed, edPW); resp.StatusCode != http.StatusSeeOther {
		t.Fatal("staff login")
	}
	req, _ := http.NewRequest("POST", s.base+"/api/v1/subscribers/import",
		strings.NewReader("email,countries,topics,language\nimported@example.org,CR,,en\n"))
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("User-Agent", "StaffBrowser/7.1")
	req.Header.Set("X-Forwarded-For", "198.51.100.99")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("import: %v %v", err, resp)
	}
	resp.Body.Close()
	person := subscriberRow(t, s, "imported@example.org")
	if resp, page := staff.post("/admin/subscribers/"+itoa(person.ID), "/admin/subscribers/"+itoa(person.ID)+"/unsubscribe",
		url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the editor unsubscribes the person: %d %.300s", resp.StatusCode, page)
	}

	raw := s.exportJSON(s.exportOf(s.base+"/preferences/"+person.Token, "imported@example.org"))
	var data struct {
		Consents []struct {
			Action, IP, Actor string
			UserAgent         string `json:"user_agent"`
		}
	}
	if err := json.Unmarshal(raw, &data); err != nil {
		t.Fatal(err)
	}
	if len(data.Consents) != 2 {
		t.Fatalf("export consents: %s", raw)
	}
	for _, c := range data.Consents {
		if c.Actor != "an editor" || c.IP != "" || c.UserAgent != "" {
			t.Errorf("export consent %s: actor %q, IP %q, browser %q; want \"an editor\" and no staff IP or browser", c.Action, c.Actor, c.IP, c.UserAgent)
		}
	}
	for _, staffDetail := range []string{ed, "198.51.100.99", "StaffBrowser"} {
		if strings.Contains(string(raw), staffDetail) {
			t.Errorf("the export holds %q", staffDetail)
		}
	}
}
