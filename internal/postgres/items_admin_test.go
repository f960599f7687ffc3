package postgres_test

import (
	"strings"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

func TestSearchItemsAndStoredStories(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	cr := f.im.Item(dec16, "Costa Rica: a 100% new shelter in Upala", "", "https://news.example/cr", "en")
	do := f.im.Item(dec16, "República Dominicana: un albergue en Dajabón", "La OIM abrió el centro de atención.", "https://news.example/do", "es")
	plain := f.im.Item(dec16, "A story with no place", "Nothing here either.", "https://news.example/none", "en")
	plain.Countries, plain.Regions, plain.Topics = nil, nil, nil
	f.ingest(cr, plain, do)

	// What an import would recognise: the stored copy of cr, nothing for a new one.
	fresh := f.im.Item(dec16, "Honduras: something else entirely", "", "https://news.example/hn", "en")
	ids, err := f.db.StoredStories(f.ctx, []domain.Item{cr, fresh})
	if err != nil {
		t.Fatal(err)
	}
	all := f.all()
	if len(all) != 3 || ids[0] == 0 || ids[1] != 0 {
		t.Fatalf("StoredStories = %v over %d stored items; want the stored id, then 0", ids, len(all))
	}
	if n := len(f.all()); n != 3 {
		t.Fatalf("StoredStories wrote: %d items", n)
	}

	search := func(s domain.ItemSearch) []string {
		t.Helper()
		s.Limit = 100
		items, err := f.db.SearchItems(f.ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, it := range items {
			titles = append(titles, it.Title)
		}
		return titles
	}
	if got := search(domain.ItemSearch{Text: "100%"}); len(got) != 1 || !strings.HasPrefix(got[0], "Costa Rica") {
		t.Errorf("search for 100%% = %v", got)
	}
	if got := search(domain.ItemSearch{Text: "_"}); len(got) != 0 {
		t.Errorf("an underscore matched as a wildcard: %v", got)
	}
	// Every word, in the title or the summary, in any order; accents
	// and case aside.
	for q, want := range map[string]string{"dajabon oim": do.Title, "  ATENCION   albergue ": do.Title,
		"upala costa": cr.Title, "upala dajabón": "", "dajabon oim nowhere": ""} {
		if got := strings.Join(search(domain.ItemSearch{Text: q}), "|"); got != want {
			t.Errorf("search for %q = %q, want %q", q, got, want)
		}
	}
	if got := search(domain.ItemSearch{Untagged: true}); len(got) != 1 || got[0] != plain.Title {
		t.Errorf("untagged = %v", got)
	}
	hidden := true
	if got := search(domain.ItemSearch{Hidden: &hidden}); len(got) != 0 {
		t.Errorf("hidden = %v, want none", got)
	}
	if got := search(domain.ItemSearch{Language: "es"}); len(got) != 1 || got[0] != do.Title {
		t.Errorf("Spanish = %v, want the Dominican story", got)
	}
}

func TestDeleteSourceKeepsItems(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	src, err := f.db.CreateSource(f.ctx, domain.NewSource{URL: "https://news.example/feed", Kind: domain.SourceFeed, Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	it := f.im.Item(dec16, "Costa Rica: a shelter in Upala", "", "https://news.example/cr", "en")
	f.ingest(it)
	if err := f.db.LinkSourceItems(f.ctx, src.ID, []string{it.Fingerprint}); err != nil {
		t.Fatal(err)
	}
	gone, err := f.db.DeleteSource(f.ctx, src.ID)
	if err != nil || gone.URL != src.URL || gone.ItemCount != 1 {
		t.Fatalf("DeleteSource = %+v, %v; want the source with its one item", gone, err)
	}
	if n := len(f.all()); n != 1 {
		t.Errorf("%d items after removing their source, want 1", n)
	}
	if _, err := f.db.DeleteSource(f.ctx, src.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("removing it again: %v, want not found", err)
	}
}
