package ingest

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/tagging"
	"newsdigest/internal/taxonomy"
)

func readFeed(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/feeds/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseFeed(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []FeedEntry
	}{
		{"rss2.xml", []FeedEntry{
			{
				Position: 1, PublishedOn: domain.NewDate(2020, 12, 16), // the publisher's day, not UTC's 17th
				Title:   "Guatemala and Honduras agree on labour migration pilot",
				Summary: "The two governments signed an agreement on temporary work programmes. It starts in “2021”.",
				URL:     "https://news.example.org/2020/12/labour-pilot", Language: "en",
			},
			{
				Position: 2, PublishedOn: domain.NewDate(2020, 12, 15),
				Title:   "Costa Rica opens a new border post",
				Summary: "Border Officials at Peñas Blancas said the post will process people faster.",
				URL:     "https://news.example.org/2020/12/border-post", Language: "en",
			},
			{
				Position: 3, PublishedOn: domain.NewDate(2020, 12, 14),
				Title:   "Panama reports arrivals through the Darién",
				Summary: "Authorities counted more arrivals in November.",
				URL:     "https://news.example.org/2020/12/darien", Language: "en",
			},
		}},
		{"atom.xml", []FeedEntry{
			{
				Position: 1, PublishedOn: domain.NewDate(2020, 12, 16), // published wins over updated
				Title:   "México y Guatemala refuerzan la protección de niñas y niños migrantes",
				Summary: "Los dos países firmaron un acuerdo para la protección de la niñez migrante.",
				URL:     "https://noticias.example.org/2020/12/proteccion", Language: "es", // xml:lang
			},
			{
				Position: 2, PublishedOn: domain.NewDate(2020, 12, 15), // updated only
				Title:   "El Salvador: retorno y reintegración & empleo",
				Summary: "Las personas retornadas reciben apoyo para encontrar empleo.",
				URL:     "https://noticias.example.org/2020/12/retorno", Language: "es",
			},
		}},
		{"feed.json", []FeedEntry{
			{
				Position: 1, PublishedOn: domain.NewDate(2020, 12, 16),
				Title:   "Haiti: returns from the Dominican Republic rise",
				Summary: "More people were returned across the border in December.",
				URL:     "https://caribbean.example.org/haiti-returns", Language: "en",
			},
			{
				Position: 2, PublishedOn: domain.NewDate(2020, 12, 13),
				Title:   "Jamaica holds a diaspora conference",
				Summary: "Officials met members of the diaspora to discuss investment.",
				URL:     "https://caribbean.example.org/jamaica-diaspora", Language: "en",
			},
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got, lineErrs, err := ParseFeed(strings.NewReader(readFeed(t, tc.file)), "")
			if err != nil {
				t.Fatal(err)
			}
			if len(lineErrs) > 0 {
				t.Fatalf("unexpected entry errors: %v", lineErrs)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseFeedNamesUnusableEntries(t *testing.T) {
	entries, lineErrs, err := ParseFeed(strings.NewReader(readFeed(t, "missing.xml")), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Position != 1 {
		t.Errorf("entries %+v, want only the first", entries)
	}
	want := []LineError{
		{Line: 2, Message: `no date (neither published nor updated) (title "An item without a date")`,
			Code: "feed_no_date", Arg: "An item without a date"},
		{Line: 3, Message: "no title", Code: "feed_no_title"},
		{Line: 4, Message: `unreadable date "the day after tomorrow" (title "A date nobody can read")`,
			Code: "feed_date_unreadable", Arg: "the day after tomorrow"},
	}
	if diff := cmp.Diff(want, lineErrs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestParseFeedRefusesWhatIsNotAFeed(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"html page", readFeed(t, "notafeed.html"), "not an RSS, Atom or JSON Feed document"},
		{"truncated XML", readFeed(t, "truncated.xml"), "cut short or damaged"},
		{"broken JSON", `{"version": "https://jsonfeed.org/version/1", "items": [`, "cut short or damaged"},
		{"empty", "", "not an RSS, Atom or JSON Feed document"},
		{"other JSON", `{"email": "a@example.org", "items": []}`, "not a JSON Feed"},
		{"listing", readFeed(t, "../iom-rosanjose-news-2020.txt")[:2000], "not an RSS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ParseFeed(strings.NewReader(tc.doc), "")
			if !errs.Is(err, errs.Invalid) || !strings.Contains(errs.MessageOf(err), tc.want) {
				t.Errorf("err = %v (%s); want invalid, %q", err, errs.KindOf(err), tc.want)
			}
		})
	}
}

func TestParseFeedTooLarge(t *testing.T) {
	doc := `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><description>` +
		strings.Repeat("a", MaxFeedBytes) + `</description></channel></rss>`
	_, _, err := ParseFeed(strings.NewReader(doc), "")
	if !errs.Is(err, errs.TooLarge) {
		t.Errorf("err = %v, want too_large", err)
	}
}

func TestParseFeedLinks(t *testing.T) {
	doc := `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>
	<item><title>Relative, no site link</title><link>/a/b#frag</link><pubDate>Wed, 16 Dec 2020 10:00:00 GMT</pubDate></item>
	<item><title>Script link</title><link>javascript:alert(1)</link><pubDate>Wed, 16 Dec 2020 10:00:00 GMT</pubDate></item>
	</channel></rss>`
	entries, lineErrs, err := ParseFeed(strings.NewReader(doc), "https://feeds.example.net/x/rss.xml")
	if err != nil || len(lineErrs) > 0 {
		t.Fatal(err, lineErrs)
	}
	if got := []string{entries[0].URL, entries[1].URL}; !cmp.Equal(got, []string{"https://feeds.example.net/a/b", ""}) {
		t.Errorf("links %q: want the relative one resolved against the feed URL and the script one dropped", got)
	}
}

func TestHTMLToText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text, no tags", "plain text, no tags"},
		{"AT&amp;T &lt;3 caf&eacute;", "AT&T <3 café"},
		{"<p>one</p><p>two</p>", " one  two "},
		{"<b>Hon</b>duras", "Honduras"},
		{"line<br>break", "line break"},
		{"before<script>var x = '<p>';</script>after", "beforeafter"},
		{"<style>p{color:red}</style>text", "text"},
		{"unclosed <a href='x'>link", "unclosed link"},
		{"a < b and c > d", "a < b and c > d"},
	} {
		if got := HTMLToText(tc.in); got != tc.want {
			t.Errorf("HTMLToText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestClipWords(t *testing.T) {
	long := strings.Repeat("word ", 400)
	got := clipWords(long, maxContentSummary)
	if n := utf8.RuneCountInString(got); n > maxContentSummary || !strings.HasSuffix(got, "word…") {
		t.Errorf("clipWords: %d characters ending %q", n, got[len(got)-10:])
	}
	if got := clipWords("short", 10); got != "short" {
		t.Errorf("clipWords(short) = %q", got)
	}
	if got := clipWords(strings.Repeat("é", 20), 10); got != strings.Repeat("é", 9)+"…" {
		t.Errorf("clipWords(one long word) = %q", got)
	}
}

func TestFeedLanguage(t *testing.T) {
	for in, want := range map[string]string{"en-us": "en", "es_MX": "es", "ES": "es", "fr-HT": "fr", "pt": "", "": ""} {
		if got := feedLanguage(in); got != want {
			t.Errorf("feedLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}

// recordingStore is an ItemStore that keeps what it was given.
type recordingStore struct{ items []domain.Item }

func (s *recordingStore) InsertItems(_ context.Context, items []domain.Item) (int, int, error) {
	s.items = append(s.items, items...)
	return len(items), 0, nil
}

func TestImportFeed(t *testing.T) {
	tagger, err := tagging.NewTagger(taxonomy.Default())
	if err != nil {
		t.Fatal(err)
	}
	store := &recordingStore{}
	im := &Importer{Store: store, Tagger: tagger}

	res, err := im.ImportFeed(context.Background(), strings.NewReader(readFeed(t, "atom.xml")), "")
	if err != nil || res.Imported != 2 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	first := store.items[0]
	if first.Language != "es" || !cmp.Equal(first.Countries, []string{"GT", "MX"}) || first.Fingerprint == "" {
		t.Errorf("first item: language %q, countries %v: want detected Spanish, tagged GT and MX", first.Language, first.Countries)
	}

	store.items = nil
	_, err = im.ImportFeed(context.Background(), strings.NewReader(readFeed(t, "missing.xml")), "")
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.Invalid || len(e.Details.([]LineError)) != 3 {
		t.Fatalf("err = %v; want invalid naming three entries", err)
	}
	if len(store.items) != 0 {
		t.Errorf("stored %d items from a feed with bad entries; want none", len(store.items))
	}
}
