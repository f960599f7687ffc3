package digest

import (
	"slices"
	"time"

	"newsdigest/internal/domain"
)

// Within a section, stories come in the order a reader would pick them
// up: first the ones an editor featured for the edition, then those that
// match more of the reader's choices (a story about Honduras and
// trafficking for a reader of both before one about Honduras alone), then
// the newest. The email's cap and its size bound take stories from the
// top of each section (LimitSections), so this order is also which
// stories stay in the mail and which wait on the web.

// RankStories returns sections with the stories of each in that order,
// for a reader with filter f in an edition made at at. items holds the
// stories the sections name; ids it lacks keep their place at the end.
// It does not change sections.
func RankStories(f domain.Filter, sections []Section, items []domain.Item, at time.Time, regions RegionMembers) []Section {
	byID := make(map[int64]*domain.Item, len(items))
	for i := range items {
		byID[items[i].ID] = &items[i]
	}
	out := make([]Section, len(sections))
	for i, sec := range sections {
		ids := slices.Clone(sec.Items)
		slices.SortStableFunc(ids, func(a, b int64) int {
			return compareStories(f, byID[a], byID[b], at, regions)
		})
		out[i] = sec
		out[i].Items = ids
	}
	return out
}

// compareStories orders two stories of a section: negative when a comes
// first. A missing story (nil) goes last.
func compareStories(f domain.Filter, a, b *domain.Item, at time.Time, regions RegionMembers) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	if fa, fb := a.FeaturedAt(at), b.FeaturedAt(at); fa != fb {
		if fa {
			return -1
		}
		return 1
	}
	if d := Matches(f, *b, regions) - Matches(f, *a, regions); d != 0 {
		return d
	}
	if c := b.PublishedOn.Compare(a.PublishedOn.Time); c != 0 {
		return c
	}
	switch {
	case a.ID > b.ID: // the later stored first
		return -1
	case a.ID < b.ID:
		return 1
	}
	return 0
}

// Matches counts the reader's choices a story meets: each chosen country
// it is tagged with, one more if a region of it holds a chosen country it
// is not tagged with, and each chosen topic. A reader of all stories has
// made no choice, and every story meets none.
func Matches(f domain.Filter, it domain.Item, regions RegionMembers) int {
	if f.All {
		return 0
	}
	n := 0
	for _, c := range f.Countries {
		if slices.Contains(it.Countries, c) {
			n++
		}
	}
	if n == 0 && regionIncludesAny(it.Regions, f.Countries, regions) {
		n++
	}
	for _, t := range f.Topics {
		if slices.Contains(it.Topics, t) {
			n++
		}
	}
	return n
}
