package ingest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/domain"
)

func TestFingerprint(t *testing.T) {
	day := domain.NewDate(2020, time.December, 16)
	tests := []struct{ name, a, b string }{
		{"scheme, www and trailing slash", "http://www.iom.int/news/a/", "https://iom.int/news/a"},
		{"tracking parameters", "https://iom.int/news/a?utm_source=x&id=2", "https://iom.int/news/a?id=2"},
		{"fragment", "https://iom.int/news/a#top", "https://iom.int/news/a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := Fingerprint(domain.Item{URL: tc.a}), Fingerprint(domain.Item{URL: tc.b})
			if a != b {
				t.Errorf("%q and %q differ: %q, %q", tc.a, tc.b, a, b)
			}
		})
	}
	noLink := Fingerprint(domain.Item{PublishedOn: day, Title: "Costa Rica: IOM’s study"})
	if want := "t:2020-12-16:costaricaiomsstudy"; noLink != want {
		t.Errorf("no link: %q, want %q", noLink, want)
	}
}

func TestTitleTokens(t *testing.T) {
	got := TitleTokens("México: IOM and the IOM´s “caravans”, México")
	want := []string{"and", "caravans", "iom", "mexico", "s", "the"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Language versions are linked only by what the addresses say.
func TestTranslationKeys(t *testing.T) {
	// shared: an "l:" key in common, or a's alternate ("a:") naming b's
	// own link ("u:"): what postgres.linkTranslations matches (a claim
	// only counts there when the other side names this one back).
	shared := func(a, b []string) bool {
		for _, k := range a {
			if strings.HasPrefix(k, "l:") && slices.Contains(b, k) {
				return true
			}
			if strings.HasPrefix(k, "a:") && slices.Contains(b, "u:"+strings.TrimPrefix(k, "a:")) {
				return true
			}
		}
		return false
	}
	tests := []struct {
		name        string
		a, b        string
		altA        []string
		linked      bool
		languageOfA string
		languageOfB string
	}{
		{"path segment", "https://rosanjose.iom.int/en/news/upala-study", "https://rosanjose.iom.int/es/news/upala-study", nil, true, "en", "es"},
		{"region in the segment", "https://site.example/en-us/node/12", "https://site.example/es_MX/node/12", nil, true, "en", "es"},
		{"subdomain", "https://en.site.example/story/12", "https://es.site.example/story/12", nil, true, "en", "es"},
		{"query parameter", "https://site.example/story?id=12&lang=en", "https://site.example/story?lang=es&id=12", nil, true, "en", "es"},
		{"hreflang alternate", "https://site.example/es/noticias/upala", "https://site.example/en/news/upala", []string{"https://site.example/en/news/upala"}, true, "es", "en"},
		{"different slugs, no alternate", "https://site.example/es/noticias/upala", "https://site.example/en/news/upala", nil, false, "es", "en"},
		{"different stories", "https://site.example/en/news/1", "https://site.example/es/news/2", nil, false, "en", "es"},
		{"no language marker", "https://site.example/news/1", "https://other.example/news/1", nil, false, "", ""},
		{"a word that looks like a language", "https://site.example/news/es-el-salvador", "https://site.example/news/en-el-salvador", nil, false, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ka, kb := TranslationKeys(tc.a, tc.altA), TranslationKeys(tc.b, nil)
			if got := shared(ka, kb); got != tc.linked {
				t.Errorf("linked = %v, want %v (keys %q and %q)", got, tc.linked, ka, kb)
			}
			if la, lb := urlLanguage(tc.a), urlLanguage(tc.b); la != tc.languageOfA || lb != tc.languageOfB {
				t.Errorf("languages %q, %q; want %q, %q", la, lb, tc.languageOfA, tc.languageOfB)
			}
		})
	}
	if got := TranslationKeys("", nil); len(got) != 0 {
		t.Errorf("no link: keys %q", got)
	}
	// An alternate is a claim, kept apart from the item's own link.
	keys := TranslationKeys("https://a.example/es/x", []string{"https://b.example/en/y"})
	if !slices.Contains(keys, "a:b.example/en/y") || slices.Contains(keys, "u:b.example/en/y") {
		t.Errorf("keys %q: want the alternate as a claim (a:), not as a link (u:)", keys)
	}
}

// fakeStore records what it is given.
type fakeStore struct{ items []domain.Item }

func (s *fakeStore) InsertItems(_ context.Context, items []domain.Item) (int, int, error) {
	s.items = append(s.items, items...)
	return len(items), 0, nil
}

// refreshingFake is also a RefreshingStore.
type refreshingFake struct{ fakeStore }

func (s *refreshingFake) IngestItems(_ context.Context, items []domain.Item) (domain.StoreCounts, error) {
	s.items = append(s.items, items...)
	return domain.StoreCounts{Duplicates: len(items), Updated: 1}, nil
}

func TestImporterItem(t *testing.T) {
	im := &Importer{Tagger: newTestTagger(t)}
	day := domain.NewDate(2020, time.December, 16)
	it := im.Item(day, " Costa Rica: estudio en Upala ", "Una  encuesta\u00a0sobre el mercado laboral.", "https://site.example/en/news/x", "")
	if it.Language != "en" {
		t.Errorf("language %q: the address says en", it.Language)
	}
	want := domain.TagReasons{Countries: map[string]string{"CR": "name: Costa Rica"}, Regions: map[string]string{},
		Topics: map[string]string{"data-research": "phrase: estudio", "labour-migration": "phrase: mercado laboral"}}
	if diff := cmp.Diff(want, it.TagReasons); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
	if it.Title != "Costa Rica: estudio en Upala" || it.Summary != "Una encuesta sobre el mercado laboral." || it.Fingerprint != "u:site.example/en/news/x" ||
		!slices.Contains(it.TranslationKeys, "l:site.example/*/news/x") || !slices.Contains(it.TitleTokens, "upala") {
		t.Errorf("item %+v", it)
	}
	if got := im.Item(day, "Estudio en Upala", "", "", "").Language; got != "es" {
		t.Errorf("no link: language %q, want detected es", got)
	}
}

// ImportItems derives the keys after the caller's last change (a feed's
// alternates), and uses a store's refresh when it has one.
func TestImportItemsKeysAndStores(t *testing.T) {
	tg := newTestTagger(t)
	day := domain.NewDate(2020, time.December, 16)
	plain := &fakeStore{}
	im := &Importer{Store: plain, Tagger: tg}
	it := im.Item(day, "Upala", "", "https://site.example/es/noticias/upala", "")
	it.Alternates = []string{"https://site.example/en/news/upala"}
	res, err := im.ImportItems(context.Background(), []domain.Item{it}, []int{1})
	if err != nil || res.Imported != 1 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	if !slices.Contains(plain.items[0].TranslationKeys, "a:site.example/en/news/upala") {
		t.Errorf("alternate not among keys %q", plain.items[0].TranslationKeys)
	}
	refreshing := &refreshingFake{}
	im.Store = refreshing
	res, err = im.ImportItems(context.Background(), []domain.Item{it}, []int{1})
	if err != nil || res != (Result{Duplicates: 1, Updated: 1}) {
		t.Errorf("refreshing store: %+v, %v", res, err)
	}
}
