package ingest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/domain"
	"newsdigest/internal/tagging"
	"newsdigest/internal/taxonomy"
)

// TestParseFeedAlternates: the hreflang links of Atom entries and of RSS
// items (Atom and XHTML namespaces) are read, each entry keeping its own;
// the feed's links, links inside content, other rels, x-default and
// script addresses are not.
func TestParseFeedAlternates(t *testing.T) {
	for _, tc := range []struct {
		file string
		want [][]Alternate
	}{
		{"hreflang-atom.xml", [][]Alternate{
			{
				{Language: "es", URL: "https://news.example.org/es/2021/03/retornados-capacitacion"},
				{Language: "pt", URL: "https://news.example.org/pt/2021/03/formacao-retornados"},
			},
			{{Language: "es-hn", URL: "https://news.example.org/es/2021/03/centro-ninez"}}, // relative, resolved
			nil,
		}},
		{"hreflang-rss.xml", [][]Alternate{
			{{Language: "en", URL: "https://news.example.org/en/2021/03/returnees-training"}},
			{{Language: "en-gb", URL: "https://news.example.org/en/2021/03/children-centre"}},
			nil,
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			entries, lineErrs, err := ParseFeed(strings.NewReader(readFeed(t, tc.file)), "")
			if err != nil || len(lineErrs) > 0 {
				t.Fatal(err, lineErrs)
			}
			var got [][]Alternate
			for _, e := range entries {
				got = append(got, e.Alternates)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("alternates (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseFeedAlternatesBounded: a hostile feed cannot make an entry
// carry more than a few alternates, nor over-long or non-web addresses,
// nor give one entry's alternates to another.
func TestParseFeedAlternatesBounded(t *testing.T) {
	var links strings.Builder
	for i := range 500 {
		fmt.Fprintf(&links, `<link rel="alternate" hreflang="es" href="https://spam.example/%d"/>`, i)
	}
	links.WriteString(`<link rel="alternate" hreflang="es" href="https://spam.example/` + strings.Repeat("a", 2100) + `"/>`)
	links.WriteString(`<link rel="alternate" hreflang="es" href="ftp://spam.example/file"/>`)
	links.WriteString(`<link rel="alternate" hreflang="` + strings.Repeat("e", 40) + `" href="https://spam.example/tag"/>`)
	links.WriteString(`<link rel="alternate" hreflang="es&quot;&gt;" href="https://spam.example/quote"/>`)
	doc := `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
	<entry><title>Many links</title><link href="https://a.example/1"/>` + links.String() + `<updated>2021-03-01T00:00:00Z</updated></entry>
	<entry><title>None</title><link href="https://a.example/2"/><updated>2021-03-01T00:00:00Z</updated></entry>
	</feed>`
	entries, lineErrs, err := ParseFeed(strings.NewReader(doc), "")
	if err != nil || len(lineErrs) > 0 || len(entries) != 2 {
		t.Fatal(err, lineErrs, len(entries))
	}
	if n := len(entries[0].Alternates); n != maxAlternates {
		t.Errorf("first entry keeps %d alternates, want %d", n, maxAlternates)
	}
	for _, a := range entries[0].Alternates {
		if !strings.HasPrefix(a.URL, "https://spam.example/") || len(a.URL) > 40 || a.Language != "es" {
			t.Errorf("kept %+v", a)
		}
	}
	if entries[1].Alternates != nil {
		t.Errorf("second entry got alternates %v", entries[1].Alternates)
	}

	// An element gofeed does not count as an entry (an item of another
	// namespace) would shift every later entry's alternates: none are
	// kept then, rather than a wrong one.
	shifted := `<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>x</title>
	<item><title>One</title><link>https://a.example/1</link><pubDate>Mon, 01 Mar 2021 00:00:00 GMT</pubDate></item>
	<ext:item xmlns:ext="https://ext.example/ns"><title>Not an entry</title>
	  <atom:link rel="alternate" hreflang="es" href="https://a.example/es/other-story"/></ext:item>
	<item><title>Two</title><link>https://a.example/2</link><pubDate>Mon, 01 Mar 2021 00:00:00 GMT</pubDate></item>
	</channel></rss>`
	// Nesting deeper than a feed does is not followed to its end.
	deep := `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
	<entry><title>Deep</title><link href="https://a.example/1"/><link hreflang="es" href="https://a.example/es/1"/>
	<updated>2021-03-01T00:00:00Z</updated><content type="xhtml">` + strings.Repeat("<div>", 200) + strings.Repeat("</div>", 200) +
		`</content></entry></feed>`
	for name, doc := range map[string]string{"shifted": shifted, "deep": deep} {
		entries, _, err = ParseFeed(strings.NewReader(doc), "")
		if err != nil || len(entries) == 0 {
			t.Fatal(name, err)
		}
		for _, e := range entries {
			if e.Alternates != nil {
				t.Errorf("%s: entry %q got alternates %v", name, e.Title, e.Alternates)
			}
		}
	}
}

// TestImportFeedAlternates: an imported entry keeps as alternates the
// addresses of its versions in the digest's other language, and they
// become translation keys that its translation's own link shares.
func TestImportFeedAlternates(t *testing.T) {
	tagger, err := tagging.NewTagger(taxonomy.Default())
	if err != nil {
		t.Fatal(err)
	}
	store := &recordingStore{}
	im := &Importer{Store: store, Tagger: tagger}
	for _, file := range []string{"hreflang-atom.xml", "hreflang-rss.xml"} {
		if _, err := im.ImportFeed(context.Background(), strings.NewReader(readFeed(t, file)), ""); err != nil {
			t.Fatal(err)
		}
	}
	if len(store.items) != 6 {
		t.Fatalf("%d items stored, want 6", len(store.items))
	}
	en, es := store.items[0], store.items[3]
	if !cmp.Equal(en.Alternates, []string{"https://news.example.org/es/2021/03/retornados-capacitacion"}) {
		t.Errorf("English alternates %q: want the Spanish version only (not Portuguese, which the digest does not have)", en.Alternates)
	}
	// Each names the other: each one's alternate ("a:") is the other's
	// link ("u:").
	names := func(a, b domain.Item) bool {
		for _, k := range a.TranslationKeys {
			if strings.HasPrefix(k, "a:") && slices.Contains(b.TranslationKeys, "u:"+strings.TrimPrefix(k, "a:")) {
				return true
			}
		}
		return false
	}
	if !names(en, es) || !names(es, en) {
		t.Errorf("the versions do not name each other: en %q, es %q", en.TranslationKeys, es.TranslationKeys)
	}
	if alone := store.items[2]; len(alone.Alternates) != 0 {
		t.Errorf("an entry without hreflang links has alternates %q", alone.Alternates)
	}
}
