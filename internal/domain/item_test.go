package domain

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The item shape of DESIGN.md stays as it is; the new fields only add.
func TestItemJSONShape(t *testing.T) {
	it := Item{ID: 7, PublishedOn: NewDate(2020, time.December, 16), Title: "T", Language: "en",
		Countries: []string{"CR"}, Regions: []string{}, Topics: []string{}, Translations: []int64{8},
		EditedFields: []string{}, Fingerprint: "u:x", TitleTokens: []string{"t"}, TranslationKeys: []string{"k"}}
	b, err := json.Marshal(it)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"countries", "edited_fields", "featured_until", "hidden", "id", "language", "published_on", "regions",
		"summary", "tag_reasons", "title", "topics", "translations", "url"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("JSON keys (-want +got):\n%s", diff)
	}
	if string(got["published_on"]) != `"2020-12-16"` || string(got["tag_reasons"]) != `{"countries":{},"regions":{},"topics":{}}` {
		t.Errorf("published_on %s, tag_reasons %s", got["published_on"], got["tag_reasons"])
	}
}

func TestApplyRecordsEditorChanges(t *testing.T) {
	it := Item{Title: "T", Countries: []string{"CR"}, Topics: []string{"health"},
		TagReasons: TagReasons{Countries: map[string]string{"CR": "place: Upala"}, Topics: map[string]string{"health": "phrase: salud"}}}
	countries, hidden := []string{"CR", "NI"}, true
	ItemUpdate{Countries: &countries, Hidden: &hidden, TranslationOf: OptionalID{Set: true}}.Apply(&it)
	if want := []string{FieldCountries, FieldHidden, FieldTranslations}; !slices.Equal(it.EditedFields, want) {
		t.Errorf("edited %v, want %v", it.EditedFields, want)
	}
	want := map[string]string{"CR": "place: Upala", "NI": ReasonEditor} // kept keeps its rule
	if diff := cmp.Diff(want, it.TagReasons.Countries); diff != "" {
		t.Errorf("country reasons (-want +got):\n%s", diff)
	}
	if it.TagReasons.Topics["health"] != "phrase: salud" || it.Title != "T" || !it.Hidden {
		t.Errorf("untouched fields changed: %+v", it)
	}
	title := "T"
	ItemUpdate{Title: &title}.Apply(&it) // the same value is still a decision
	if !it.IsEdited(FieldTitle) {
		t.Error("title not recorded as edited")
	}
}

func TestOptionalIDJSON(t *testing.T) {
	tests := []struct {
		body string
		want OptionalID
		bad  bool
	}{
		{`{}`, OptionalID{}, false},
		{`{"translation_of": null}`, OptionalID{Set: true}, false},
		{`{"translation_of": 12}`, OptionalID{Set: true, ID: 12}, false},
		{`{"translation_of": "12"}`, OptionalID{}, true},
		{`{"translation_of": 0}`, OptionalID{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.body, func(t *testing.T) {
			var u ItemUpdate
			err := json.Unmarshal([]byte(tc.body), &u)
			if (err != nil) != tc.bad || !tc.bad && u.TranslationOf != tc.want {
				t.Errorf("got %+v, %v", u.TranslationOf, err)
			}
		})
	}
}

func TestRefreshLeavesEditorsFields(t *testing.T) {
	stored := Item{Title: "Edited title", Summary: "Old summary", Countries: []string{"CR", "NI"},
		Topics: []string{"health"}, EditedFields: []string{FieldCountries, FieldTitle},
		TagReasons: TagReasons{Countries: map[string]string{"CR": "name: Costa Rica", "NI": ReasonEditor}}}
	fresh := Item{Title: "Source title", Summary: "Corrected summary", URL: "https://example.org/a",
		Countries: []string{"CR"}, Topics: []string{"trafficking-smuggling"},
		TagReasons: TagReasons{Countries: map[string]string{"CR": "place: Upala"},
			Topics: map[string]string{"trafficking-smuggling": "phrase: trafficking"}}}
	if !stored.Refresh(fresh) {
		t.Fatal("Refresh reported no change")
	}
	want := Item{Title: "Edited title", Summary: "Corrected summary", URL: "https://example.org/a",
		Countries: []string{"CR", "NI"}, Topics: []string{"trafficking-smuggling"},
		EditedFields: []string{FieldCountries, FieldTitle},
		TagReasons: TagReasons{Countries: map[string]string{"CR": "name: Costa Rica", "NI": ReasonEditor},
			Topics: map[string]string{"trafficking-smuggling": "phrase: trafficking"}}}
	if diff := cmp.Diff(want, stored); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if stored.Refresh(fresh) {
		t.Error("a second identical refresh reported a change")
	}
	poorer := fresh
	poorer.Summary, poorer.Topics, poorer.TagReasons = "", []string{}, TagReasons{}
	if stored.Refresh(poorer) || stored.Summary != "Corrected summary" || len(stored.Topics) != 1 {
		t.Errorf("a copy without summary blanked or re-tagged: %+v", stored)
	}
	other := fresh
	other.URL = "https://elsewhere.example/b"
	if stored.Refresh(other); stored.URL != "https://example.org/a" {
		t.Errorf("a stored link was replaced: %q", stored.URL)
	}
}

func TestTitleSimilarity(t *testing.T) {
	toks := func(s string) []string { return strings.Fields(s) }
	tests := []struct {
		a, b string
		same bool // at least NearDuplicateTitle
	}{
		{"a b c", "a b c", true},
		{"", "a", false},
		{"costa rica iom presents labor market research study for the border canton of upala",
			"costa rica iom presents labour market research study for the border canton of upala", true}, // one letter
		{"mexico un agencies promote labor inclusion of migrants in the recovery phase of the covid 19 pandemic",
			"mexico un agencies promote new labor inclusion of migrants in the recovery phase of the covid 19 pandemic", true}, // a word added
		{"situation report darien 12 november", "situation report darien 13 november", false},
		{"iom delivers aid to migrants in tapachula", "iom delivers aid to migrants in tijuana", false},
		{"covid 2020", "covid 2021", false}, // numbers are never typos
	}
	for _, tc := range tests {
		got := TitleSimilarity(toks(tc.a), toks(tc.b))
		if got < 0 || got > 1 || (got >= NearDuplicateTitle) != tc.same {
			t.Errorf("TitleSimilarity(%q, %q) = %.3f, want same story %v", tc.a, tc.b, got, tc.same)
		}
	}
}

func TestNearDuplicate(t *testing.T) {
	day := NewDate(2020, time.December, 16)
	long := strings.Fields("costa rica iom presents labor market research study for upala")
	base := Item{PublishedOn: day, Language: "en", TitleTokens: long, URL: "https://iom.int/news/a", Fingerprint: "u:iom.int/news/a"}
	tests := []struct {
		name   string
		change func(*Item)
		want   bool
	}{
		{"same story from a listing a day later", func(it *Item) {
			it.PublishedOn, it.URL, it.Fingerprint = NewDate(2020, time.December, 17), "", "t:x"
		}, true},
		{"same story on another site", func(it *Item) { it.URL, it.Fingerprint = "https://news.example/x", "u:news.example/x" }, true},
		{"two days apart", func(it *Item) { it.PublishedOn = NewDate(2020, time.December, 18) }, false},
		{"another language", func(it *Item) { it.Language = "es" }, false},
		{"another page of the same site", func(it *Item) { it.URL, it.Fingerprint = "https://www.iom.int/news/b", "u:iom.int/news/b" }, false},
		{"a different title", func(it *Item) { it.TitleTokens = strings.Fields("panama iom opens an office in darien") }, false},
		{"short titles on neighbouring days", func(it *Item) {}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stored, fresh := base, base
			fresh.URL, fresh.Fingerprint = "", "t:fresh"
			tc.change(&fresh)
			if tc.name == "short titles on neighbouring days" {
				stored.TitleTokens, fresh.TitleTokens = []string{"press", "release"}, []string{"press", "release"}
				fresh.PublishedOn = NewDate(2020, time.December, 17)
			}
			if got := NearDuplicate(stored, fresh); got != tc.want {
				t.Errorf("NearDuplicate = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPickLanguage(t *testing.T) {
	en := Item{ID: 1, Language: "en", Translations: []int64{2}}
	es := Item{ID: 2, Language: "es", Translations: []int64{1}}
	single := Item{ID: 3, Language: "en"}
	onlyEN := Item{ID: 4, Language: "en", Translations: []int64{9}} // its Spanish version is elsewhere
	hiddenES := Item{ID: 6, Language: "es", Translations: []int64{5}, Hidden: true}
	visibleEN := Item{ID: 5, Language: "en", Translations: []int64{6}}
	items := []Item{es, single, en, onlyEN, hiddenES, visibleEN}
	ids := func(its []Item) []int64 {
		var out []int64
		for _, it := range its {
			out = append(out, it.ID)
		}
		return out
	}
	for _, tc := range []struct {
		lang string
		want []int64
	}{
		{"es", []int64{2, 3, 4, 5}},
		{"en", []int64{3, 1, 4, 5}},
		{"fr", []int64{2, 3, 4, 5}}, // no version in the language: the first
	} {
		if got := ids(PickLanguage(items, tc.lang)); !slices.Equal(got, tc.want) {
			t.Errorf("PickLanguage(%s) = %v, want %v", tc.lang, got, tc.want)
		}
	}
	if got := PickLanguage(nil, "en"); len(got) != 0 {
		t.Errorf("PickLanguage(nil) = %v", got)
	}
}

// TestPickLanguageJoinsTags: the version kept carries what every visible
// version is tagged with, and the items given are left as they were.
func TestPickLanguageJoinsTags(t *testing.T) {
	en := Item{ID: 1, Language: "en", Translations: []int64{2, 3}, Countries: []string{"GT"}, Topics: []string{"return-reintegration"}}
	es := Item{ID: 2, Language: "es", Translations: []int64{1, 3}, Countries: []string{"HN", "GT"}, Regions: []string{"CA"}}
	hidden := Item{ID: 3, Language: "fr", Translations: []int64{1, 2}, Countries: []string{"MX"}, Hidden: true}
	items := []Item{en, es, hidden}
	got := PickLanguage(items, "en")
	if len(got) != 1 || got[0].ID != 1 {
		t.Fatalf("kept %+v", got)
	}
	k := got[0]
	if !slices.Equal(k.Countries, []string{"GT", "HN"}) || !slices.Equal(k.Regions, []string{"CA"}) ||
		!slices.Equal(k.Topics, []string{"return-reintegration"}) {
		t.Errorf("kept tags %v %v %v, want the visible versions' together", k.Countries, k.Regions, k.Topics)
	}
	if !slices.Equal(items[0].Countries, []string{"GT"}) || !slices.Equal(items[1].Countries, []string{"HN", "GT"}) {
		t.Errorf("the items given changed: %v, %v", items[0].Countries, items[1].Countries)
	}
}
