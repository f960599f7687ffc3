package postgres_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"newsdigest/internal/domain"
)

// TestArchiveItems: only stories of sent editions, one version per story
// in the reader's language, filtered by country (regions count) and
// topic, paged by keyset with nothing lost or repeated.
func TestArchiveItems(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	var items []domain.Item
	for i := range 6 {
		items = append(items, domain.Item{
			PublishedOn: domain.NewDate(2026, time.March, 1+i), Title: fmt.Sprintf("Archive story number %d about nothing", i),
			Summary: "A summary.", URL: fmt.Sprintf("https://example.org/archive/%d", i), Language: "en",
		})
	}
	f.ingest(items...)
	all := f.all()
	id := func(i int) int64 { return all[i].ID }
	pool := f.db.Pool()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(f.ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	// 0..3 went out; 4 was in a failed edition; 5 was hidden; 3 is the
	// Spanish version of 2.
	exec(`UPDATE items SET countries = '{GT}', regions = '{}', topics = '{health}' WHERE id = $1`, id(0))
	exec(`UPDATE items SET countries = '{}', regions = '{central-america}', topics = '{}' WHERE id = $1`, id(1))
	exec(`UPDATE items SET countries = '{CR}', regions = '{}', topics = '{health}' WHERE id IN ($1, $2)`, id(2), id(3))
	exec(`UPDATE items SET language = 'es', translation_of = $1 WHERE id = $2`, id(2), id(3))
	exec(`UPDATE items SET hidden = true WHERE id = $1`, id(5))
	exec(`INSERT INTO editions (id, status) VALUES (901, 'done'), (902, 'failed'), (903, 'sending')`)
	exec(`INSERT INTO edition_items (edition_id, item_id) VALUES (901, $1), (901, $2), (903, $3), (903, $4), (902, $5), (901, $6)`,
		id(0), id(1), id(2), id(3), id(4), id(5))

	list := func(af domain.ArchiveFilter) []int64 {
		t.Helper()
		got, err := f.db.ArchiveItems(f.ctx, af)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, it := range got {
			ids = append(ids, it.ID)
		}
		return ids
	}
	for _, tc := range []struct {
		name string
		af   domain.ArchiveFilter
		want []int64
	}{
		{"english", domain.ArchiveFilter{Language: "en", Limit: 10}, []int64{id(2), id(1), id(0)}},
		{"spanish", domain.ArchiveFilter{Language: "es", Limit: 10}, []int64{id(3), id(1), id(0)}},
		{"guatemala with its regions", domain.ArchiveFilter{Country: "GT", Regions: []string{"central-america"}, Language: "en", Limit: 10}, []int64{id(1), id(0)}},
		{"guatemala alone", domain.ArchiveFilter{Country: "GT", Language: "en", Limit: 10}, []int64{id(0)}},
		{"health", domain.ArchiveFilter{Topic: "health", Language: "es", Limit: 10}, []int64{id(3), id(0)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := list(tc.af); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}

	// Paged two at a time, the pages join up to the whole list.
	var paged []int64
	var before *domain.ItemCursor
	for range 5 {
		got, err := f.db.ArchiveItems(f.ctx, domain.ArchiveFilter{Language: "en", Limit: 2, Before: before})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			break
		}
		for _, it := range got {
			paged = append(paged, it.ID)
		}
		last := got[len(got)-1]
		before = &domain.ItemCursor{PublishedOn: last.PublishedOn, ID: last.ID}
	}
	if want := []int64{id(2), id(1), id(0)}; !slices.Equal(paged, want) {
		t.Errorf("paged: %v, want %v", paged, want)
	}
}
