package app_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"newsdigest/internal/postgres"
)

// TestAcceptTakesWhatThePageShowed: an editor reading the tagger's
// suggestions while a retraining replaces them accepts what the page
// showed, not what the retraining made since. Accepting one, or all,
// leaves each replaced suggestion for them to look at, says so, and
// changes no story's tags.
func TestAcceptTakesWhatThePageShowed(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	editionsImportFixture(t, s)
	release := s.holdRetraining() // the test makes the retraining's replacement itself
	defer release()
	db, err := postgres.Open(s.ctx, s.cfg.DatabaseURL, s.cfg.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	shown := suggestTopic(t, s, db, 1, "protection")
	if len(shown) < 2 {
		t.Fatalf("%d suggestions made", len(shown))
	}
	if err := db.ReplaceTagSuggestions(s.ctx, shown); err != nil {
		t.Fatal(err)
	}
	c := s.consoleLogin()
	page := html.UnescapeString(s.consoleGet(c, "/admin/tagging/suggestions?lang=en"))
	token := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(page)
	one := regexp.MustCompile(`action="/admin/tagging/suggestions/(\d+)/accept"[^>]*>.*?name="shown" value="([^"]*)"`).FindStringSubmatch(page)
	var all []string
	for _, m := range regexp.MustCompile(`<input type="hidden" name="shown" value="(\d+=[^"]*)">`).FindAllStringSubmatch(page, -1) {
		all = append(all, m[1])
	}
	if token == nil || one == nil || len(all) != len(shown) {
		t.Fatalf("the page's forms: csrf %v, one accept %v, accept-all showing %d of %d suggestions", token != nil, one, len(all), len(shown))
	}

	// A retraining replaces every suggestion while the editor reads.
	if err := db.ReplaceTagSuggestions(s.ctx, suggestTopic(t, s, db, 2, "integration")); err != nil {
		t.Fatal(err)
	}
	_, after := s.postForm(c, "/admin/tagging/suggestions/"+one[1]+"/accept?lang=en",
		url.Values{"csrf_token": {token[1]}, "shown": {one[2]}})
	if !strings.Contains(html.UnescapeString(after), "changed after the page was shown") {
		t.Errorf("accepting one replaced since: the page says %.600s", after[max(0, strings.Index(after, "<main")):])
	}
	_, after = s.postForm(c, "/admin/tagging/suggestions/accept-all?lang=en",
		url.Values{"csrf_token": {token[1]}, "shown": all})
	if want := "Accepted: 0."; !strings.Contains(html.UnescapeString(after), want) ||
		!strings.Contains(html.UnescapeString(after), "changed after the page was shown and are left for you") {
		t.Errorf("accepting all replaced since: the page says %.600s", after[max(0, strings.Index(after, "<main")):])
	}
	var edited, left int
	s.subsQuery(`SELECT count(*) FROM items WHERE 'topics' = ANY (edited_fields)`, nil, &edited)
	s.subsQuery(`SELECT count(*) FROM tag_suggestions`, nil, &left)
	if edited != 0 || left != len(shown) {
		t.Errorf("after both: %d stories with the editor's topics, %d suggestions left; want none, and all %d", edited, left, len(shown))
	}
}
