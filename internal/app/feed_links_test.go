package app_test

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestFeedLinksReachTheirStory: a feed holds more stories than an archive
// page; the link of each story that has no page of its own opens an
// archive page that shows it, in the feed's language, whatever its place
// in the feed.
func TestFeedLinksReachTheirStory(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	var listing strings.Builder
	day := time.Now().UTC().Format("2 January, 2006")
	for i := range 40 {
		fmt.Fprintf(&listing, "%s\n\nCosta Rica: workshop number %d on labour migration\n\nOfficials from Costa Rica met, session %d.\n\n", day, i, i)
	}
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing.String()), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
	s.subscribeAndConfirm("feed-links@example.org", []string{"CR"})
	var ed struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", nil, &ed, http.StatusAccepted)
	if e := s.waitEdition(ed.ID); e.Status != "done" || e.Sent != 1 {
		t.Fatalf("edition: %+v", e)
	}

	for _, path := range []string{"/feeds/country/CR.xml?lang=es", "/feeds/topic/labour-migration.xml?lang=fr"} {
		lang := path[len(path)-2:]
		status, _, body := archiveGet(t, s, path)
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d", path, status)
		}
		var doc archiveRSS
		if err := xml.Unmarshal([]byte(body), &doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(doc.Channel.Items) != 40 {
			t.Fatalf("%s holds %d stories, want 40", path, len(doc.Channel.Items))
		}
		for _, it := range doc.Channel.Items {
			_, anchor, _ := strings.Cut(it.GUID.Value, "#")
			u, err := url.Parse(it.Link)
			if err != nil || u.Fragment != anchor || !strings.HasPrefix(it.Link, s.base+"/archive") {
				t.Errorf("%s: %q links to %q, want an archive page at #%s", path, it.Title, it.Link, anchor)
				continue
			}
			u.Fragment = ""
			st, _, page := archiveGet(t, s, strings.TrimPrefix(u.String(), s.base))
			if st != http.StatusOK || !strings.Contains(page, `id="`+anchor+`"`) || !strings.Contains(page, `<html lang="`+lang+`"`) {
				t.Errorf("%s: %q links to %s, which answers %d without the story in %s", path, it.Title, it.Link, st, lang)
			}
		}
	}
}
