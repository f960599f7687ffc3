package postgres_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/ingest"
	"newsdigest/internal/postgres"
	"newsdigest/internal/tagging"
	"newsdigest/internal/taxonomy"
	"newsdigest/internal/testenv"
)

// itemsFixture is a migrated throwaway database and an importer on it.
type itemsFixture struct {
	t   *testing.T
	ctx context.Context
	db  *postgres.DB
	im  *ingest.Importer
}

func newItemsFixture(t *testing.T) *itemsFixture {
	t.Helper()
	ctx := context.Background()
	db := testenv.Database(t)
	tg, err := tagging.NewTagger(taxonomy.Default())
	if err != nil {
		t.Fatal(err)
	}
	return &itemsFixture{t: t, ctx: ctx, db: db, im: &ingest.Importer{Store: db, Tagger: tg}}
}

var dec16 = domain.NewDate(2020, time.December, 16)

// ingest imports items as a feed poll would, failing the test on error.
func (f *itemsFixture) ingest(items ...domain.Item) ingest.Result {
	f.t.Helper()
	lines := make([]int, len(items))
	for i := range lines {
		lines[i] = i + 1
	}
	res, err := f.im.ImportItems(f.ctx, items, lines)
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

func (f *itemsFixture) all() []domain.Item {
	f.t.Helper()
	items, err := f.db.Items(f.ctx, domain.ItemFilter{Limit: 1000})
	if err != nil {
		f.t.Fatal(err)
	}
	slices.SortFunc(items, func(a, b domain.Item) int { return int(a.ID - b.ID) })
	return items
}

func TestStoreRecognisesTheSameStory(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	title := "Costa Rica: IOM presents labor market research study for the border canton of Upala"
	first := f.im.Item(dec16, title, "A labor survey in Upala.", "https://rosanjose.iom.int/news/upala", "en")
	if res := f.ingest(first); res.Imported != 1 {
		t.Fatalf("first import: %+v", res)
	}
	tests := []struct {
		name string
		it   domain.Item
		new  bool
	}{
		{"same link again", f.im.Item(dec16, title, "A labor survey in Upala.", "http://www.rosanjose.iom.int/news/upala/", "en"), false},
		{"from a listing, a day later, title fixed", f.im.Item(domain.NewDate(2020, time.December, 17),
			"Costa Rica: IOM presents labour market research study for the border canton of Upala", "", "", "en"), false},
		{"on another site, with a word added", f.im.Item(dec16,
			"Costa Rica: IOM presents new labor market research study for the border canton of Upala", "", "https://news.example/a", "en"), false},
		{"two days later", f.im.Item(domain.NewDate(2020, time.December, 18), title, "", "", "en"), true},
		{"another page of the same site", f.im.Item(domain.NewDate(2020, time.December, 15), title, "", "https://rosanjose.iom.int/news/upala-2", "en"), true},
		{"a different story the same day", f.im.Item(dec16, "Panama: IOM opens an office in Darién", "", "", "en"), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := f.ingest(tc.it)
			if (res.Imported == 1) != tc.new || res.Imported+res.Duplicates != 1 {
				t.Errorf("got %+v, want new=%v", res, tc.new)
			}
		})
	}
	// One listing naming a story twice stores it once.
	twice := f.im.Item(domain.NewDate(2021, time.March, 1), "Honduras: construction of migration policy continues", "", "", "en")
	if res := f.ingest(twice, twice); res != (ingest.Result{Imported: 1, Duplicates: 1}) {
		t.Errorf("a story twice in one import: %+v", res)
	}
	// The create path (POST /items) does not refresh.
	if n, d, err := f.db.InsertItems(f.ctx, []domain.Item{f.im.Item(dec16, title, "Other summary.", "https://rosanjose.iom.int/news/upala", "en")}); err != nil || n != 0 || d != 1 {
		t.Errorf("InsertItems of a stored story: %d new, %d duplicates, %v", n, d, err)
	}
}

// Re-ingest brings a story up to date but never undoes an editor.
func TestReingestKeepsEditorsChanges(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	link := "https://rosanjose.iom.int/news/upala"
	f.ingest(f.im.Item(dec16, "Costa Rica: study in Upala", "A labor survey in Upala.", link, "en"))
	id := f.all()[0].ID
	countries, title := []string{"CR", "NI"}, "Costa Rica: labour study in Upala, on the Nicaraguan border"
	edited, err := f.db.UpdateItem(f.ctx, "editor@example.org", id, domain.ItemUpdate{Countries: &countries, Title: &title},
		func(*domain.Item) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{domain.FieldCountries, domain.FieldTitle}; !slices.Equal(edited.EditedFields, want) {
		t.Errorf("edited fields %v, want %v", edited.EditedFields, want)
	}

	corrected := f.im.Item(dec16, "Costa Rica: study in Upala, updated", "Police rescued victims of trafficking in Upala.", link, "en")
	if res := f.ingest(corrected); res != (ingest.Result{Duplicates: 1, Updated: 1}) {
		t.Fatalf("re-ingest: %+v", res)
	}
	got := f.all()[0]
	if got.Title != title || !slices.Equal(got.Countries, countries) {
		t.Errorf("editor's fields overwritten: %q %v", got.Title, got.Countries)
	}
	if got.Summary != corrected.Summary || !slices.Contains(got.Topics, "trafficking-smuggling") {
		t.Errorf("fields the editor left were not refreshed: %q %v", got.Summary, got.Topics)
	}
	want := domain.TagReasons{
		Countries: map[string]string{"CR": "name: Costa Rica", "NI": domain.ReasonEditor},
		Regions:   map[string]string{},
		Topics:    map[string]string{"data-research": "phrase: study", "trafficking-smuggling": "phrase: victims of trafficking"},
	}
	if diff := cmp.Diff(want, got.TagReasons); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
	if res := f.ingest(corrected); res != (ingest.Result{Duplicates: 1}) {
		t.Errorf("the same copy again: %+v, want no update", res)
	}
}

// Language versions are linked by their addresses, by alternates that
// name each other, or by an editor; a story keeps one version per language.
func TestTranslations(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	res := f.ingest(
		f.im.Item(dec16, "Costa Rica: study in Upala", "", "https://site.example/en/news/upala", ""),
		f.im.Item(dec16, "Costa Rica: estudio en Upala", "", "https://site.example/es/news/upala", ""),
		f.im.Item(dec16, "Costa Rica: otro estudio en Upala", "", "https://site.example/es-cr/news/upala", ""), // a second es: not linked
	)
	if res.Imported != 3 {
		t.Fatalf("import: %+v", res)
	}
	es := f.im.Item(dec16, "Panamá: nueva oficina en Darién", "", "https://other.example/es/noticias/darien", "")
	es.Alternates = []string{"https://other.example/en/news/darien-office"}
	f.ingest(es)
	en := f.im.Item(dec16, "Panama: new office in Darién", "", "https://other.example/en/news/darien-office", "")
	en.Alternates = []string{"https://other.example/es/noticias/darien"}
	f.ingest(en)
	f.ingest(f.im.Item(dec16, "Honduras: returns rise", "", "", "en"), f.im.Item(dec16, "Guatemala: aumentan los retornos", "", "", "es"))

	items := f.all()
	translations := func() map[int64][]int64 {
		out := map[int64][]int64{}
		for _, it := range f.all() {
			out[it.ID] = it.Translations
		}
		return out
	}
	id := func(i int) int64 { return items[i].ID }
	want := map[int64][]int64{id(0): {id(1)}, id(1): {id(0)}, id(2): {}, id(3): {id(4)}, id(4): {id(3)}, id(5): {}, id(6): {}}
	if diff := cmp.Diff(want, translations()); diff != "" {
		t.Fatalf("translations (-want +got):\n%s", diff)
	}
	if got := domain.PickLanguage(items, "es"); len(got) != 5 || got[0].ID != id(1) {
		t.Errorf("PickLanguage(es) kept %d items, first %d", len(got), got[0].ID)
	}

	noCheck := func(*domain.Item) error { return nil }
	link := func(item, to int64) (domain.Item, error) {
		return f.db.UpdateItem(f.ctx, "editor@example.org", item, domain.ItemUpdate{TranslationOf: domain.OptionalID{Set: true, ID: to}}, noCheck)
	}
	// An editor links the Honduras and Guatemala items (wrongly), then
	// unlinks them.
	got, err := link(id(6), id(5))
	if err != nil || !slices.Equal(got.Translations, []int64{id(5)}) || !slices.Contains(got.EditedFields, domain.FieldTranslations) {
		t.Fatalf("link: %+v, %v", got, err)
	}
	if got, err = link(id(5), 0); err != nil || len(got.Translations) != 0 {
		t.Errorf("unlink: %+v, %v", got, err)
	}
	// Unlinking the first version of a story leaves the others together.
	if _, err := link(id(0), 0); err != nil {
		t.Fatal(err)
	}
	want[id(0)], want[id(1)], want[id(5)], want[id(6)] = []int64{}, []int64{}, []int64{}, []int64{}
	if diff := cmp.Diff(want, translations()); diff != "" {
		t.Errorf("after unlinking (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		name       string
		item, to   int64
		wantPrefix string
	}{
		{"two versions in one language", id(2), id(3), "translation_of: the story of item"},
		{"no such item", id(0), 999999, "translation_of: no item"},
		{"itself", id(0), id(0), "translation_of: an item is not"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := link(tc.item, tc.to)
			if !errs.Is(err, errs.Invalid) || len(errs.MessageOf(err)) < len(tc.wantPrefix) || errs.MessageOf(err)[:len(tc.wantPrefix)] != tc.wantPrefix {
				t.Errorf("got %v, want an invalid error starting %q", err, tc.wantPrefix)
			}
		})
	}
	if _, err := link(999999, id(0)); !errs.Is(err, errs.NotFound) {
		t.Errorf("linking a missing item: %v, want not found", err)
	}
}

// Two imports meeting the same story at once store it once.
func TestConcurrentImportsStoreOnce(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	var wg sync.WaitGroup
	results := make([]ingest.Result, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			day := dec16.AddDate(0, 0, i%2) // a day apart, so only the title can tell
			it := f.im.Item(domain.Date{Time: day}, "Guatemala: returnees receive support at the reception centre", "", "", "en")
			res, err := f.im.ImportItems(f.ctx, []domain.Item{it}, []int{1})
			if err != nil {
				t.Error(err)
			}
			results[i] = res
		}()
	}
	wg.Wait()
	if n := len(f.all()); n != 1 {
		t.Errorf("%d items stored, want 1 (%+v)", n, results)
	}
}
