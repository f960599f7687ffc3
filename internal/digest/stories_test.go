package digest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/taxonomy"
)

// TestStoriesReadiedOncePerEdition: the digests of an edition share its
// stories made ready once (Issue.Stories): each story's counted link is
// signed once however many digests hold it, only stories with a link of
// their own get one, and the tags are named in each digest's language.
func TestStoriesReadiedOncePerEdition(t *testing.T) {
	tax := taxonomy.Default()
	items := []domain.Item{
		{ID: 1, Title: "Linked", URL: "https://example.org/a", Countries: []string{"MX"}, Topics: []string{"health"}},
		{ID: 2, Title: "Not linked", Countries: []string{"MX"}},
	}
	signed := map[int64]int{}
	m := Masthead{BaseURL: "https://news.example.org", StoryLink: func(edition, item int64) string {
		signed[item]++
		return fmt.Sprintf("https://news.example.org/r/%d.%d", edition, item)
	}}
	stories := NewStories(tax, items)
	sections := []Section{{Kind: KindCountry, Key: "MX", Items: []int64{1, 2}}}
	for _, lang := range []string{"en", "es", "en", "es"} {
		d := m.Email(Issue{EditionID: 7, Language: lang, Sections: sections, Items: items, Tax: tax, Stories: stories})
		got := d.Sections[0].Items
		if got[0].URL != "https://news.example.org/r/7.1" || got[1].URL != "" {
			t.Errorf("%s: links %q and %q, want the first counted and the second none", lang, got[0].URL, got[1].URL)
		}
		if want := TagNames(tax, lang, items[0]); !slices.Equal(got[0].Tags, want) {
			t.Errorf("%s: tags %q, want %q", lang, got[0].Tags, want)
		}
	}
	if signed[1] != 1 || signed[2] != 0 {
		t.Errorf("links signed %v, want story 1 once and story 2 never", signed)
	}
	// Without Stories, an issue readies its own: the same digest.
	d := m.Email(Issue{EditionID: 7, At: time.Time{}, Language: "es", Sections: sections, Items: items, Tax: tax})
	if d.Sections[0].Items[0].URL != "https://news.example.org/r/7.1" || d.Sections[0].Items[0].Tags[0] != TagNames(tax, "es", items[0])[0] {
		t.Errorf("an issue without Stories: %+v", d.Sections[0].Items[0])
	}
}
