package digest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/domain"
	"newsdigest/internal/taxonomy"
)

func TestMatch(t *testing.T) {
	regions := RegionMembers{"central-america": {"CR", "GT", "HN", "NI", "PA", "SV", "BZ"}, "rcm": {"CR", "MX", "US"}}
	items := []domain.Item{
		{ID: 1, Countries: []string{"CR"}, Topics: []string{"labour-migration"}},
		{ID: 2, Countries: []string{"MX", "CR"}, Topics: []string{"trafficking-smuggling"}},
		{ID: 3, Regions: []string{"central-america"}, Topics: []string{"trafficking-smuggling"}},
		{ID: 4, Countries: []string{"HN"}, Topics: []string{"health"}},
		{ID: 5, Topics: []string{"trafficking-smuggling"}},
		{ID: 6, Countries: []string{"CR"}, Hidden: true},
		{ID: 7, Regions: []string{"rcm"}, Topics: []string{"health"}},
		{ID: 8, Title: "untagged"},
		{ID: 9, Countries: []string{"JM"}},
	}
	for _, tc := range []struct {
		name    string
		f       domain.Filter
		exclude map[int64]bool
		want    []Section
	}{
		{
			name: "country picks direct tags, then regional",
			f:    domain.Filter{Countries: []string{"CR"}, Mode: domain.ModeAny},
			want: []Section{
				{Kind: KindCountry, Key: "CR", Items: []int64{1, 2}, Fixed: true}, // the one choice
				{Kind: KindRegional, Key: KindRegional, Items: []int64{3, 7}},
			},
		},
		{
			name: "topic alone",
			f:    domain.Filter{Topics: []string{"trafficking-smuggling"}, Mode: domain.ModeAny},
			want: []Section{{Kind: KindTopic, Key: "trafficking-smuggling", Items: []int64{2, 3, 5}, Fixed: true}},
		},
		{
			name: "an item appears once, under its country first",
			f:    domain.Filter{Countries: []string{"MX"}, Topics: []string{"trafficking-smuggling", "health"}, Mode: domain.ModeAny},
			want: []Section{
				{Kind: KindCountry, Key: "MX", Items: []int64{2}},
				{Kind: KindRegional, Key: KindRegional, Items: []int64{7}},
				{Kind: KindTopic, Key: "trafficking-smuggling", Items: []int64{3, 5}},
				{Kind: KindTopic, Key: "health", Items: []int64{4}},
			},
		},
		{
			name: "narrow needs a country and a topic",
			f:    domain.Filter{Countries: []string{"CR"}, Topics: []string{"trafficking-smuggling"}, Mode: domain.ModeNarrow},
			want: []Section{
				{Kind: KindCountry, Key: "CR", Items: []int64{2}, Fixed: true}, // narrow's one country
				{Kind: KindRegional, Key: KindRegional, Items: []int64{3}},
			},
		},
		{
			name:    "excluded items are left out",
			f:       domain.Filter{Countries: []string{"CR"}, Mode: domain.ModeAny},
			exclude: map[int64]bool{1: true, 3: true, 7: true},
			want:    []Section{{Kind: KindCountry, Key: "CR", Items: []int64{2}, Fixed: true}},
		},
		{
			name: "all stories: every visible story, under its first country, Regional, its first topic, or Other",
			f:    domain.Filter{All: true, Mode: domain.ModeAny},
			want: []Section{
				{Kind: KindCountry, Key: "CR", Items: []int64{1, 2}, Fixed: true}, // none is a choice
				{Kind: KindCountry, Key: "HN", Items: []int64{4}, Fixed: true},
				{Kind: KindCountry, Key: "JM", Items: []int64{9}, Fixed: true},
				{Kind: KindRegional, Key: KindRegional, Items: []int64{3, 7}},
				{Kind: KindTopic, Key: "trafficking-smuggling", Items: []int64{5}, Fixed: true},
				{Kind: KindOther, Key: KindOther, Items: []int64{8}},
			},
		},
		{
			name:    "all stories leaves out what was received before",
			f:       domain.Filter{All: true, Mode: domain.ModeAny},
			exclude: map[int64]bool{1: true, 2: true, 3: true, 4: true, 5: true, 7: true, 8: true},
			want:    []Section{{Kind: KindCountry, Key: "JM", Items: []int64{9}, Fixed: true}},
		},
		{
			name: "nothing matches",
			f:    domain.Filter{Countries: []string{"BS"}, Mode: domain.ModeAny},
			want: nil,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Match(tc.f, items, regions, tc.exclude)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Match (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLimitSectionsSharesFairly(t *testing.T) {
	mk := func(n int) []int64 {
		ids := make([]int64, n)
		for i := range ids {
			ids[i] = int64(i + 1)
		}
		return ids
	}
	kept, omitted := LimitSections([]Section{{Items: mk(20)}, {Items: mk(2)}, {Items: mk(20)}}, 10)
	var got []int
	for _, s := range kept {
		got = append(got, len(s.Items))
	}
	if diff := cmp.Diff([]int{4, 2, 4}, got); diff != "" || omitted != 32 {
		t.Errorf("kept (-want +got):\n%s omitted %d, want 32", diff, omitted)
	}
	if kept[0].Items[3] != 4 {
		t.Errorf("kept %v, want the first (newest) of each section", kept[0].Items)
	}
	small, omitted := LimitSections([]Section{{Items: mk(3)}}, 10)
	if len(small[0].Items) != 3 || omitted != 0 {
		t.Errorf("a short digest was cut: %+v, %d", small, omitted)
	}
}

// TestBuildDigestOrdersCountriesByName: country sections read in the
// order of their names in the reader's language, not of their codes
// (ES, GD, US is Spain, Grenada, United States in English).
func TestBuildDigestOrdersCountriesByName(t *testing.T) {
	tax := taxonomy.Default()
	items := []domain.Item{
		{ID: 1, Countries: []string{"US"}}, {ID: 2, Countries: []string{"ES"}}, {ID: 3, Countries: []string{"GD"}},
		{ID: 4, Regions: []string{"caribbean"}}, {ID: 5},
	}
	sections := Match(domain.Filter{All: true}, items, nil, nil)
	for lang, want := range map[string][]string{
		"en": {"Grenada", "Spain", "United States", "Regional", "Other stories"},
		"es": {"España", "Estados Unidos", "Granada", "Regional", "Otras noticias"},
	} {
		var got []string
		for _, s := range BuildDigest(tax, lang, sections, items).Sections {
			got = append(got, s.Title)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s section titles (-want +got):\n%s", lang, diff)
		}
	}
	if sections[0].Key != "ES" {
		t.Errorf("BuildDigest reordered the sections it was given: first is %s", sections[0].Key)
	}
}
