package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdigest/internal/clicks"
)

// TestReadersAndFeatureInConsole: an editor features a story from its
// page (it says until when), and the readers page shows each story's
// counted readers and the countries and topics readers follow; both pass
// axe-core.
func TestReadersAndFeatureInConsole(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, oldStories)
	text, ids := s.sendThreeStories("reader@example.org")
	found := storyLink.FindAllStringSubmatch(text, -1)
	l := clicks.NewLinks(s.base, []byte(secretKey))
	for _, f := range found {
		for range 2 { // two readers' messages
			s.follow("GET", f[1], l.NewStamp(time.Now().Add(-5*time.Minute)), browserUA)
		}
	}
	s.follow("GET", found[0][1], l.NewStamp(time.Now().Add(-5*time.Minute)), browserUA)

	b := newBrowser(t, 3*time.Minute)
	b.adminLogin(s.base, "admin", adminPassword)
	b.open(s.base+"/admin/readers", chromedp.CSS(`table#readers-stories`))
	b.checkAccessible("readers page")
	b.shots(t, "readers")
	rows := b.text("stories", chromedp.CSS(`table#readers-stories tbody`))
	if !strings.Contains(rows, "Story") || !strings.Contains(rows, "3") {
		t.Errorf("the readers table: %q", rows)
	}
	if got := b.text("countries", chromedp.CSS(`table#readers-countries tbody`)); !strings.Contains(got, "Costa Rica\t7") && !strings.Contains(got, "Costa Rica 7") {
		t.Errorf("the countries readers follow: %q, want Costa Rica with 7", got)
	}

	b.open(s.base+"/admin/items/"+itoa(ids[0]), chromedp.CSS(`form#item-feature`))
	if status := b.submit("feature for a week", chromedp.CSS(`form#item-feature button[value=week]`)); status != 200 {
		t.Fatalf("feature: %d", status)
	}
	if got := b.text("featured", chromedp.CSS(`#item-featured-state`)); !strings.Contains(got, "Featured until") {
		t.Errorf("after featuring: %q", got)
	}
	b.checkAccessible("item page, featured")
	b.shots(t, "item-featured")
	var listed struct {
		Items []struct {
			ID            int64      `json:"id"`
			FeaturedUntil *time.Time `json:"featured_until"`
		} `json:"items"`
	}
	s.jsonCall("GET", "/api/v1/items?limit=1000", nil, &listed, 200)
	for _, it := range listed.Items {
		if it.ID == ids[0] && (it.FeaturedUntil == nil || time.Until(*it.FeaturedUntil) < 6*24*time.Hour) {
			t.Errorf("the item is not featured for a week in the API: %v", it.FeaturedUntil)
		}
	}
}
