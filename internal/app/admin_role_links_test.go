package app_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// consoleLink matches the console's links in a page.
var consoleLink = regexp.MustCompile(`href="(/admin[^"#]*)"`)

// TestLesserRolesFollowNoDeadLink: an editor who manages subscribers
// only, and one with no role at all, find on the pages they may open
// (the dashboard, the queues, the editors, and a subscriber's page and
// the audit log for the first) no link to a page their roles shut: the
// last edition, the week's stories and the sources are named, not
// linked.
func TestLesserRolesFollowNoDeadLink(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"TRUSTED_PROXIES": "127.0.0.1/32"})
	editionsImportFixture(t, s)
	if status, a := s.importCSV("email,countries,topics,language\nperson@example.org,*,,en\n"); status != http.StatusOK || a.Imported != 1 {
		t.Fatalf("import: %d %+v", status, a)
	}
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", stories2020, &created, http.StatusAccepted)
	if e := s.waitEdition(created.ID); e.Status != "done" {
		t.Fatalf("edition: %+v", e)
	}
	person := subscriberRow(t, s, "person@example.org")

	owner := newLoginClient(s, "192.0.2.1")
	if resp, _ := owner.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner login: %d", resp.StatusCode)
	}
	for _, who := range []struct {
		email string
		roles []string
		pages []string
	}{
		{"people@example.org", []string{"subscribers"}, []string{"/admin", "/admin/queues", "/admin/editors",
			"/admin/subscribers", "/admin/subscribers/" + itoa(person.ID), "/admin/audit"}},
		{"nobody@example.org", nil, []string{"/admin", "/admin/queues", "/admin/editors"}},
	} {
		const pw = "a lesser editor's passphrase 48"
		addEditor(t, owner, who.email, pw, who.roles...)
		ed := newLoginClient(s, "198.51.100.9")
		if resp, _ := ed.login(who.email, pw); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s login: %d", who.email, resp.StatusCode)
		}
		checked := map[string]bool{}
		for _, page := range who.pages {
			resp, body := ed.request("GET", page, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s at %s: %d", who.email, page, resp.StatusCode)
			}
			for _, m := range consoleLink.FindAllStringSubmatch(body, -1) {
				link := html.UnescapeString(m[1])
				if checked[link] || strings.HasSuffix(link, ".csv") {
					continue // an export is a download, checked where it is offered
				}
				checked[link] = true
				if resp, _ := ed.request("GET", link, nil); resp.StatusCode == http.StatusForbidden {
					t.Errorf("%s's %s links to %s, which answers them 403", who.email, page, link)
				}
			}
		}
		if len(checked) == 0 {
			t.Fatalf("%s's pages have no link at all", who.email)
		}
	}
}
