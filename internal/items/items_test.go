package items

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/domain"
)

// A form sends every field; only those that differ become the editor's.
func TestItemChanges(t *testing.T) {
	t.Parallel()
	before := domain.Item{Title: "T", Summary: "S", URL: "https://a.example/x",
		Countries: []string{"CR", "MX"}, Topics: []string{"health"}}
	same := before
	same.Countries = []string{"MX", "CR"} // order is not a change
	if u := ItemChanges(before, same); !IsEmpty(u) {
		t.Errorf("no change gave %+v", u)
	}
	if IsEmpty(domain.ItemUpdate{FeaturedUntil: domain.OptionalTime{Set: true}}) {
		t.Errorf("an update that stops featuring the story is taken for no change")
	}
	after := before
	after.Title = "T2"
	after.Topics = nil
	u := ItemChanges(before, after)
	if u.Title == nil || *u.Title != "T2" || u.Topics == nil || len(*u.Topics) != 0 {
		t.Errorf("changes = %+v; want the title and no topics", u)
	}
	if u.Summary != nil || u.URL != nil || u.Countries != nil || u.Regions != nil || u.Hidden != nil {
		t.Errorf("fields left alone were set: %+v", u)
	}
	if got := updatedFields(u); !cmp.Equal(got, []string{"title", "topics"}) {
		t.Errorf("audited fields = %v", got)
	}
}

func TestSniffFormat(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ media, body, want string }{
		{"text/plain", "<rss>", FormatListing}, // the label wins
		{"application/rss+xml", "x", FormatFeed},
		{"", "\ufeff  <?xml version='1.0'?><rss/>", FormatFeed},
		{"application/octet-stream", `{"version": "https://jsonfeed.org/version/1.1"}`, FormatFeed},
		{"", "16 December, 2020\n\nA title\n", FormatListing},
	} {
		if got := SniffFormat(c.media, []byte(c.body)); got != c.want {
			t.Errorf("SniffFormat(%q, %q) = %q, want %q", c.media, c.body, got, c.want)
		}
	}
}

func TestDraftFormat(t *testing.T) {
	t.Parallel()
	for _, spec := range []ImportSpec{{Format: FormatListing}, {Format: FormatFeed}, {Format: FormatListing, DateOrder: 2}} {
		got, err := parseDraftFormat(spec.draftFormat())
		if err != nil || got != spec {
			t.Errorf("draft format of %+v read back as %+v, %v", spec, got, err)
		}
	}
}
