package postgres_test

import (
	"os"
	"slices"
	"testing"
	"time"

	"newsdigest/internal/domain"
)

// translationsByURL maps each stored item's link to the links of its
// other language versions.
func (f *itemsFixture) translationsByURL() map[string][]string {
	f.t.Helper()
	items := f.all()
	url := map[int64]string{}
	for _, it := range items {
		url[it.ID] = it.URL
	}
	out := map[string][]string{}
	for _, it := range items {
		var others []string
		for _, id := range it.Translations {
			others = append(others, url[id])
		}
		out[it.URL] = others
	}
	return out
}

// TestFeedHreflangLinksTranslations: an English feed and, later, a Spanish
// one whose entries name each other as hreflang alternates store linked
// versions of the same stories; entries with no alternate stay alone.
func TestFeedHreflangLinksTranslations(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	for _, file := range []string{"hreflang-atom.xml", "hreflang-rss.xml"} {
		doc, err := os.Open("../ingest/testdata/feeds/" + file)
		if err != nil {
			t.Fatal(err)
		}
		res, err := f.im.ImportFeed(f.ctx, doc, "")
		doc.Close()
		if err != nil || res.Imported != 3 {
			t.Fatalf("import %s: %+v, %v", file, res, err)
		}
	}
	const site = "https://news.example.org/"
	pairs := [][2]string{
		{"en/2021/03/returnees-training", "es/2021/03/retornados-capacitacion"},
		{"en/2021/03/children-centre", "es/2021/03/centro-ninez"},
	}
	got := f.translationsByURL()
	for _, p := range pairs {
		en, es := site+p[0], site+p[1]
		if !slices.Equal(got[en], []string{es}) || !slices.Equal(got[es], []string{en}) {
			t.Errorf("%s ↔ %s: linked with %q and %q", p[0], p[1], got[en], got[es])
		}
	}
	for _, alone := range []string{"en/2021/03/work-permits", "es/2021/03/darien"} {
		if len(got[site+alone]) != 0 {
			t.Errorf("%s linked with %q, want none", alone, got[site+alone])
		}
	}
}

// TestRefreshLinksTranslation: a story stored alone is linked to its
// translation once each names the other as an alternate (sites add the
// link once the translation is out), whichever names it last; one an
// editor unlinked stays alone.
func TestRefreshLinksTranslation(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	day := domain.NewDate(2021, time.March, 4)
	const (
		esURL = "https://noticias.example.net/retorno-seguro"
		enURL = "https://news.example.net/safe-return"
	)
	f.ingest(f.im.Item(day, "Panamá: retorno seguro de 40 personas", "Cuarenta personas regresaron a sus países.", esURL, "es"))
	f.ingest(f.im.Item(day, "Panama: safe return of 40 people", "Forty people went back to their countries.", enURL, "en"))
	if got := f.translationsByURL(); len(got[enURL]) != 0 {
		t.Fatalf("linked with no signal: %q", got[enURL])
	}
	again := f.im.Item(day, "Panama: safe return of 40 people", "Forty people went back to their countries.", enURL, "en")
	again.Alternates = []string{esURL}
	if res := f.ingest(again); res.Duplicates != 1 || res.Updated != 1 {
		t.Fatalf("ingest again: %+v", res)
	}
	if got := f.translationsByURL(); len(got[enURL]) != 0 {
		t.Fatalf("linked while only one side names the other: %q", got[enURL])
	}
	esAgain := f.im.Item(day, "Panamá: retorno seguro de 40 personas", "Cuarenta personas regresaron a sus países.", esURL, "es")
	esAgain.Alternates = []string{enURL}
	if res := f.ingest(esAgain); res.Duplicates != 1 || res.Updated != 1 {
		t.Fatalf("ingest the Spanish copy again: %+v", res)
	}
	got := f.translationsByURL()
	if !slices.Equal(got[enURL], []string{esURL}) || !slices.Equal(got[esURL], []string{enURL}) {
		t.Errorf("after the alternate came: %q and %q, want linked", got[enURL], got[esURL])
	}

	var enID int64
	for _, it := range f.all() {
		if it.URL == enURL {
			enID = it.ID
		}
	}
	unlink := domain.ItemUpdate{TranslationOf: domain.OptionalID{Set: true}}
	if _, err := f.db.UpdateItem(f.ctx, "ed@example.org", enID, unlink, func(*domain.Item) error { return nil }); err != nil {
		t.Fatal(err)
	}
	corrected := f.im.Item(day, "Panama: safe return of 40 people", "Forty people went back home.", enURL, "en")
	corrected.Alternates = []string{esURL}
	if res := f.ingest(corrected); res.Updated != 1 {
		t.Fatalf("ingest a corrected copy: %+v", res)
	}
	fixed := f.im.Item(day, "Panamá: retorno seguro de 40 personas", "Cuarenta personas volvieron a casa.", esURL, "es")
	if res := f.ingest(fixed); res.Updated != 1 {
		t.Fatalf("ingest a corrected Spanish copy: %+v", res)
	}
	if got := f.translationsByURL(); len(got[enURL]) != 0 || len(got[esURL]) != 0 {
		t.Errorf("an editor unlinked them, re-ingest linked them again: %q, %q", got[enURL], got[esURL])
	}
}

// TestOneSidedHreflangLinksNothing: a feed that names another source's
// story as its translation (hreflang), which that story does not return,
// is not linked to it, whichever arrives first: otherwise it would take
// the story's place for the readers of its language. When the other side
// names it back, they are linked.
func TestOneSidedHreflangLinksNothing(t *testing.T) {
	t.Parallel()
	f := newItemsFixture(t)
	day := domain.NewDate(2021, time.March, 5)
	const (
		victim   = "https://news.example.org/en/2021/03/border-report"
		intruder = "https://intruder.example/es/informe"
		second   = "https://intruder.example/es/otro-informe"
	)
	f.ingest(f.im.Item(day, "Costa Rica: border report", "The report on the border.", victim, "en"))
	claim := f.im.Item(day, "Costa Rica: informe de frontera", "Texto de otro sitio.", intruder, "es")
	claim.Alternates = []string{victim}
	f.ingest(claim)
	if got := f.translationsByURL(); len(got[victim]) != 0 || len(got[intruder]) != 0 {
		t.Fatalf("a one-sided hreflang linked %q and %q", got[victim], got[intruder])
	}
	// The other order: the claim first, the story after.
	early := f.im.Item(day, "Panamá: otro informe", "Texto de otro sitio.", second, "es")
	early.Alternates = []string{"https://news.example.org/en/2021/03/darien"}
	f.ingest(early)
	f.ingest(f.im.Item(day, "Panama: Darien report", "The Darien report.", "https://news.example.org/en/2021/03/darien", "en"))
	if got := f.translationsByURL(); len(got[second]) != 0 {
		t.Fatalf("a one-sided hreflang stored first linked %q", got[second])
	}
	// Named back, they are versions of one story.
	back := f.im.Item(day, "Costa Rica: border report", "The report on the border.", victim, "en")
	back.Alternates = []string{intruder}
	f.ingest(back)
	if got := f.translationsByURL(); !slices.Equal(got[victim], []string{intruder}) {
		t.Errorf("named both ways: %q, want linked", got[victim])
	}
}
