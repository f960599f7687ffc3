package digest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/domain"
	"newsdigest/internal/taxonomy"
)

// TestBuildDigestOrdersSectionsByName: countries come by their name in the
// reader's language, not by code ("El Salvador" before "Panama", and
// before "Panamá" in Spanish), then Regional, then topics by name; every
// story carries the anchor the email links to.
func TestBuildDigestOrdersSectionsByName(t *testing.T) {
	tax := taxonomy.Default()
	// Match's order: the filter's codes, then Regional, then topics.
	sections := []Section{
		{Kind: KindCountry, Key: "PA", Items: []int64{1}},
		{Kind: KindCountry, Key: "SV", Items: []int64{2}},
		{Kind: KindCountry, Key: "CR", Items: []int64{3}},
		{Kind: KindRegional, Key: KindRegional, Items: []int64{4}},
		{Kind: KindTopic, Key: "trafficking-smuggling", Items: []int64{5}},
		{Kind: KindTopic, Key: "labour-migration", Items: []int64{6}},
	}
	var items []domain.Item
	for id := range int64(6) {
		items = append(items, domain.Item{ID: id + 1, Title: "Story"})
	}
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"Costa Rica", "El Salvador", "Panama", "Regional", "Labour migration", "Trafficking and smuggling"}},
		{"es", []string{"Costa Rica", "El Salvador", "Panamá", "Regional", "Migración laboral", "Trata y tráfico ilícito de migrantes"}},
	} {
		d := BuildDigest(tax, tc.lang, sections, items)
		var got []string
		for _, s := range d.Sections {
			got = append(got, s.Title)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: section order (-want +got):\n%s", tc.lang, diff)
		}
		if a := d.Sections[0].Items[0].Anchor; a != "story-3" {
			t.Errorf("%s: Costa Rica's story has anchor %q, want story-3", tc.lang, a)
		}
	}
}
