package app_test

import (
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
)

// TestAcceptAllDoubleClicked: an editor who clicks "Accept all" twice on
// the tagger's suggestions is told, on the page the browser shows last,
// that the suggestions are accepted, not that those the first click took
// no longer fitted their story and were withdrawn: all are accepted.
// Each is accepted, and audited, once.
func TestAcceptAllDoubleClicked(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	editionsImportFixture(t, s)
	release := s.holdRetraining() // no retraining replaces the suggestions meanwhile
	defer release()
	db, err := postgres.Open(s.ctx, s.cfg.DatabaseURL, s.cfg.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	list := suggestTopic(t, s, db, 1, "protection")
	if len(list) < 4 {
		t.Fatalf("%d suggestions made", len(list))
	}
	if err := db.ReplaceTagSuggestions(s.ctx, list); err != nil {
		t.Fatal(err)
	}

	c := s.consoleLogin()
	form := url.Values{"csrf_token": {s.csrfToken(c, "/admin/tagging/suggestions")}}
	counts := regexp.MustCompile(`Accepted: (\d+)\. No longer fitting their story, so withdrawn: (\d+)`)
	for i, a := range twiceAtOnce(func() (int, string) {
		return s.postForm(c, "/admin/tagging/suggestions/accept-all?lang=en", form)
	}) {
		m := counts.FindStringSubmatch(html.UnescapeString(a.page))
		if a.status != http.StatusOK || m == nil {
			t.Fatalf("click %d: %d, no counts", i+1, a.status)
		}
		// A click that began after the other had accepted some does not
		// see those: it counts what it found, and withdrew none.
		if m[2] != "0" {
			t.Errorf("click %d: the page says %s accepted and %s no longer fitted and were withdrawn; all %d were accepted",
				i+1, m[1], m[2], len(list))
		}
	}
	var audits, left int
	s.subsQuery(`SELECT count(*) FROM audit_log WHERE action = 'item.retag'`, nil, &audits)
	s.subsQuery(`SELECT count(*) FROM tag_suggestions`, nil, &left)
	if audits != len(list) || left != 0 {
		t.Errorf("%d suggestions: %d retags audited, %d left", len(list), audits, left)
	}
}

// TestImportConfirmDoubleClicked: an editor who clicks "Import" twice on
// a listing's preview imports it once, and the page the browser shows
// last says it was imported: not that it expired and is to be uploaded
// again.
func TestImportConfirmDoubleClicked(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	listing, err := os.ReadFile("../ingest/testdata/iom-rosanjose-news-2020.txt")
	if err != nil {
		t.Fatal(err)
	}
	c := s.consoleLogin()
	csrf := s.csrfToken(c, "/admin/items/import")
	resp, err := c.PostForm(s.base+"/admin/items/import", url.Values{"csrf_token": {csrf}, "listing": {string(listing)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	preview := resp.Request.URL.Path
	if resp.StatusCode != http.StatusOK || !regexp.MustCompile(`^/admin/items/import/\d+$`).MatchString(preview) {
		t.Fatalf("upload: %d at %s", resp.StatusCode, preview)
	}
	for i, a := range twiceAtOnce(func() (int, string) {
		return s.postForm(c, preview+"?lang=en", url.Values{"csrf_token": {csrf}})
	}) {
		page := html.UnescapeString(a.page)
		if a.status != http.StatusOK || strings.Contains(page, "no longer waiting") ||
			!strings.Contains(page, "New stories stored: 10.") && !strings.Contains(page, "was imported already") {
			t.Errorf("click %d: %d: %.1500s", i+1, a.status, page[max(0, strings.Index(page, "<main")):])
		}
	}
	var stored, audits int
	s.subsQuery(`SELECT count(*) FROM items`, nil, &stored)
	s.subsQuery(`SELECT count(*) FROM audit_log WHERE action = 'items.import'`, nil, &audits)
	if stored != 10 || audits != 1 {
		t.Errorf("%d stories stored, %d imports audited; want 10 and 1", stored, audits)
	}
}

// TestSubscribersImportConfirmDoubleClicked: the same for a list of
// addresses: imported once, and the page shown last says so.
func TestSubscribersImportConfirmDoubleClicked(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	c := s.consoleLogin()
	csrf := s.csrfToken(c, "/admin/subscribers/import")
	csv := "email,countries,topics,language\na@example.org,MX,,en\nb@example.org,GT,,es\n"
	st, page := s.postForm(c, "/admin/subscribers/import", url.Values{"csrf_token": {csrf}, "csv": {csv}, "consent": {"yes"}})
	m := regexp.MustCompile(`name="draft" value="(\d+)"`).FindStringSubmatch(page)
	if st != http.StatusOK || m == nil {
		t.Fatalf("preview: %d, no draft", st)
	}
	for i, a := range twiceAtOnce(func() (int, string) {
		return s.postForm(c, "/admin/subscribers/import/confirm?lang=en", url.Values{"csrf_token": {csrf}, "draft": {m[1]}})
	}) {
		page := html.UnescapeString(a.page)
		if a.status != http.StatusOK || strings.Contains(page, "no longer waiting") ||
			!strings.Contains(page, "The list was imported: 2 people added.") && !strings.Contains(page, "This list was imported already.") {
			t.Errorf("click %d: %d: %.1500s", i+1, a.status, page[max(0, strings.Index(page, "<main")):])
		}
	}
	var audits int
	s.subsQuery(`SELECT count(*) FROM audit_log WHERE action = 'subscriber.import'`, nil, &audits)
	if n := s.subsCount(`status = 'active'`); n != 2 || audits != 1 {
		t.Errorf("%d subscribers active, %d imports audited; want 2 and 1", n, audits)
	}
}

// suggestTopic is a suggestion of model that topic be added to each story
// stored that has neither it nor the other topic these tests suggest.
func suggestTopic(t *testing.T, s *stack, db *postgres.DB, model int64, topic string) []domain.TagSuggestion {
	t.Helper()
	stories, err := db.Items(s.ctx, domain.ItemFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var list []domain.TagSuggestion
	for _, it := range stories {
		if slices.Contains(it.Topics, "protection") || slices.Contains(it.Topics, "integration") {
			continue
		}
		sg := domain.TagSuggestion{ItemID: it.ID, ModelID: model, From: it.TagLists(), To: it.TagLists(), Reasons: it.TagReasons,
			FromText: domain.StoryText(it),
			Changes:  []domain.TagChange{{Kind: domain.FieldTopics, Code: topic, Add: true, Why: "model: " + topic}}}
		sg.To.Topics = append(slices.Clone(it.Topics), topic)
		list = append(list, sg)
	}
	return list
}
