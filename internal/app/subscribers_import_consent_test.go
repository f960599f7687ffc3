package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestSubscriberImportConsentNamesTheEditor: a person imported from the
// console has a consent record naming the editor who attested their
// consent, and their page does not show the editor's IP address and
// browser as the person's own.
func TestSubscriberImportConsentNamesTheEditor(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	c := s.consoleLogin()
	csrf := s.csrfToken(c, "/admin/subscribers/import")
	_, page := s.postForm(c, "/admin/subscribers/import?lang=en", url.Values{"csrf_token": {csrf},
		"csv": {"email,countries,topics,language\nimported@example.org,MX,,en\n"}, "consent": {"yes"}})
	m := regexp.MustCompile(`name="draft" value="(\d+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("preview: no draft: %.1500s", page)
	}
	if st, page := s.postForm(c, "/admin/subscribers/import/confirm?lang=en", url.Values{"csrf_token": {csrf}, "draft": {m[1]}}); st != http.StatusOK {
		t.Fatalf("confirm: %d: %.1500s", st, page)
	}
	id := s.subsID("imported@example.org")
	var actor, ip, form string
	s.subsQuery(`SELECT actor, ip, form_version FROM consents WHERE subscriber_id = $1 AND action = 'import'`, []any{id}, &actor, &ip, &form)
	if actor != "admin" || ip == "" || form != "csv-import" {
		t.Errorf("the import's consent: actor %q, ip %q, form %q; want admin, the editor's IP, csv-import", actor, ip, form)
	}

	_, table, _ := strings.Cut(s.consoleGet(c, "/admin/subscribers/"+itoa(id)+"?lang=en"), `<table id="consents">`)
	table, _, _ = strings.Cut(table, "</table>")
	row := regexp.MustCompile(`(?s)<tr><td>imported</td><td>[^<]*</td><td>([^<]*)</td><td class="sub-ua">([^<]*)</td><td>[^<]*</td><td>(.*?)</td></tr>`).FindStringSubmatch(table)
	if row == nil {
		t.Fatalf("no import in the consent record: %s", table)
	}
	if row[1] != "" || row[2] != "" {
		t.Errorf("the person's IP address and browser are shown as %q and %q: the editor's", row[1], row[2])
	}
	if !strings.HasPrefix(row[3], "admin") || !strings.Contains(row[3], ip) {
		t.Errorf("done by %q; want the editor, admin, with the IP address of their request (%s)", row[3], ip)
	}
}
