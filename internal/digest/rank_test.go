package digest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/domain"
)

// TestRankStories: within a section, featured stories lead (only while
// featured at the edition's time), then those that meet more of the
// reader's choices, then the newest by day, then the later stored.
func TestRankStories(t *testing.T) {
	at := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)
	later, earlier := at.Add(time.Hour), at.Add(-time.Hour)
	day := func(d int) domain.Date { return domain.NewDate(2026, 2, d) }
	regions := RegionMembers{"CAM": {"HN", "GT"}}
	items := []domain.Item{
		{ID: 1, PublishedOn: day(20), Countries: []string{"HN"}},                                                                 // one match, newest
		{ID: 2, PublishedOn: day(10), Countries: []string{"HN"}, Topics: []string{"health"}},                                     // two matches
		{ID: 3, PublishedOn: day(5), Countries: []string{"HN"}, FeaturedUntil: &later},                                           // featured
		{ID: 4, PublishedOn: day(25), Countries: []string{"HN"}, FeaturedUntil: &earlier},                                        // featured before: no more
		{ID: 5, PublishedOn: day(20), Countries: []string{"HN"}},                                                                 // same day as 1, stored later
		{ID: 6, PublishedOn: day(1), Countries: []string{"HN"}, Regions: []string{"CAM"}, Topics: []string{"health", "climate"}}, // three: HN, health, climate (the region adds nothing: HN is tagged)
		{ID: 7, PublishedOn: day(2), Regions: []string{"CAM"}, Topics: []string{"health"}},                                       // region + topic: two
	}
	f := domain.Filter{Countries: []string{"HN"}, Topics: []string{"climate", "health"}}
	in := []Section{
		{Kind: KindCountry, Key: "HN", Items: []int64{4, 1, 5, 2, 3, 6}},
		{Kind: KindRegional, Key: KindRegional, Items: []int64{7, 99}},
	}
	got := RankStories(f, in, items, at, regions)
	want := []Section{
		{Kind: KindCountry, Key: "HN", Items: []int64{3, 6, 2, 4, 5, 1}},
		{Kind: KindRegional, Key: KindRegional, Items: []int64{7, 99}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ranked (-want +got):\n%s", diff)
	}
	if in[0].Items[0] != 4 {
		t.Errorf("RankStories changed its input: %v", in[0].Items)
	}

	// A reader of all stories: featured, then newest.
	all := RankStories(domain.Filter{All: true}, in[:1], items, at, regions)
	if diff := cmp.Diff([]int64{3, 4, 5, 1, 2, 6}, all[0].Items); diff != "" {
		t.Errorf("all stories (-want +got):\n%s", diff)
	}
}

// TestMatches counts each chosen country and topic met, and a region
// holding a chosen country once, only when no chosen country is tagged.
func TestMatches(t *testing.T) {
	regions := RegionMembers{"CAM": {"HN", "GT"}}
	f := domain.Filter{Countries: []string{"GT", "HN"}, Topics: []string{"health"}}
	for _, tc := range []struct {
		it   domain.Item
		want int
	}{
		{domain.Item{Countries: []string{"HN", "GT"}, Topics: []string{"health"}}, 3},
		{domain.Item{Regions: []string{"CAM"}}, 1},
		{domain.Item{Countries: []string{"HN"}, Regions: []string{"CAM"}}, 1},
		{domain.Item{Countries: []string{"MX"}, Topics: []string{"climate"}}, 0},
	} {
		if got := Matches(f, tc.it, regions); got != tc.want {
			t.Errorf("Matches(%+v) = %d, want %d", tc.it, got, tc.want)
		}
	}
}

// TestLimitSectionsDropsLowestRanked: the cap takes the first of each
// section in turn, so what is left out is the tail of each ranked section.
func TestLimitSectionsDropsLowestRanked(t *testing.T) {
	in := []Section{
		{Kind: KindCountry, Key: "HN", Items: []int64{1, 2, 3, 4}},
		{Kind: KindTopic, Key: "health", Items: []int64{5}},
	}
	got, omitted := LimitSections(in, 3)
	want := []Section{
		{Kind: KindCountry, Key: "HN", Items: []int64{1, 2}},
		{Kind: KindTopic, Key: "health", Items: []int64{5}},
	}
	if diff := cmp.Diff(want, got); diff != "" || omitted != 2 {
		t.Errorf("LimitSections: omitted %d, want 2; (-want +got):\n%s", omitted, diff)
	}
}
