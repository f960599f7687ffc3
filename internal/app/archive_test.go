package app_test

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// archiveRSS is what the test reads of a feed.
type archiveRSS struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title       string `xml:"title"`
		Link        string `xml:"link"`
		Description string `xml:"description"`
		Items       []struct {
			Title   string `xml:"title"`
			Link    string `xml:"link"`
			PubDate string `xml:"pubDate"`
			GUID    struct {
				IsPermaLink string `xml:"isPermaLink,attr"`
				Value       string `xml:",chardata"`
			} `xml:"guid"`
		} `xml:"item"`
	} `xml:"channel"`
}

// archiveGet GETs a path and returns status, content type and body.
func archiveGet(t *testing.T, s *stack, path string) (int, string, string) {
	t.Helper()
	resp, err := http.Get(s.base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

// archiveFeed GETs a feed and parses it.
func archiveFeed(t *testing.T, s *stack, path string) []string {
	t.Helper()
	status, ctype, body := archiveGet(t, s, path)
	if status != http.StatusOK || ctype != "application/rss+xml; charset=utf-8" {
		t.Fatalf("GET %s: %d %q\n%s", path, status, ctype, body)
	}
	var doc archiveRSS
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("%s does not parse: %v\n%s", path, err, body)
	}
	if doc.Version != "2.0" || doc.Channel.Title == "" || !strings.HasPrefix(doc.Channel.Link, s.base+"/archive") {
		t.Errorf("%s: channel %q %q, version %q", path, doc.Channel.Title, doc.Channel.Link, doc.Version)
	}
	var titles []string
	for _, it := range doc.Channel.Items {
		titles = append(titles, it.Title)
		if it.GUID.IsPermaLink != "false" || !regexp.MustCompile(`/archive#item-\d+$`).MatchString(it.GUID.Value) {
			t.Errorf("%s: item %q guid %+v", path, it.Title, it.GUID)
		}
		if at, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil {
			t.Errorf("%s: item %q pubDate %q: %v", path, it.Title, it.PubDate, err)
		} else if at.Hour() != 12 || at.Minute() != 0 {
			t.Errorf("%s: item %q pubDate %q is not midday of its day in the desk's zone: a reader west of it sees the day before", path, it.Title, it.PubDate)
		}
	}
	slices.Sort(titles)
	return titles
}

// TestArchiveAndFeeds: the stories of a sent edition show on /archive in
// both languages and in the country and topic feeds; hidden, unsent and
// personal things never do.
func TestArchiveAndFeeds(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	const (
		shelters = `Shelters & <services> expand in Guatemala`
		corridor = "Regional labour corridor agreed"
		officeEN = "Costa Rica opens a migrant office"
		officeES = "Costa Rica abre una oficina para migrantes"
		hidden   = "Withdrawn story about Guatemala"
		late     = "Late story about Guatemala"
	)
	today := time.Now().UTC().Format("2006-01-02")
	add := func(title, lang string, countries, regions, topics []string) {
		s.jsonCall("POST", "/api/v1/items", map[string]any{
			"published_on": today, "title": title, "summary": "Summary of " + title + ".", "language": lang,
			"url":       "https://example.org/" + strings.ReplaceAll(strings.ToLower(title[:12]), " ", "-") + "-" + lang,
			"countries": countries, "regions": regions, "topics": topics,
		}, nil, http.StatusCreated)
	}
	add(shelters, "en", []string{"GT"}, nil, []string{"protection"})
	add(corridor, "en", nil, []string{"central-america"}, []string{"labour-migration"})
	add(officeEN, "en", []string{"CR"}, nil, []string{"protection"})
	add(officeES, "es", []string{"CR"}, nil, []string{"protection"})
	add(hidden, "en", []string{"GT"}, nil, []string{"protection"})
	ids := archiveIDs(t, s)
	s.jsonCall("PATCH", fmt.Sprintf("/api/v1/items/%d", ids[officeES]), map[string]any{"translation_of": ids[officeEN]}, nil, http.StatusOK)

	const reader = "archive-reader@example.org"
	if status, body := s.do("POST", "/api/v1/subscribers/import", "text/csv",
		[]byte("email,countries,topics,language\n"+reader+",GT;CR,,en\n"), true); status != http.StatusOK {
		t.Fatalf("subscriber import: %d: %s", status, body)
	}
	var ed struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", nil, &ed, http.StatusAccepted)
	if e := s.waitEdition(ed.ID); e.Status != "done" || e.Sent != 1 {
		t.Fatalf("edition: %+v", e)
	}
	tok, view := s.digestLinks(reader)
	// Hidden after it went out, and one that no edition carried.
	s.jsonCall("PATCH", fmt.Sprintf("/api/v1/items/%d", ids[hidden]), map[string]any{"hidden": true}, nil, http.StatusOK)
	add(late, "en", []string{"GT"}, nil, []string{"protection"})

	esc := func(s string) string { return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s) }
	for _, tc := range []struct {
		path      string
		want, not []string
	}{
		{"/archive?lang=en", []string{esc(shelters), corridor, officeEN, "Archive of past editions"}, []string{officeES, `<h2 lang=`}},
		// The English stories on the Spanish page say they are English.
		{"/archive?lang=es", []string{esc(shelters), corridor, officeES, "Archivo de ediciones anteriores", "Centroamérica", `<h2 lang="en">`}, []string{officeEN}},
		{"/archive?lang=en&country=GT", []string{esc(shelters), corridor, "/feeds/country/GT.xml?lang=en"}, []string{officeEN, officeES}},
		{"/archive?lang=es&topic=protection", []string{esc(shelters), officeES, "/feeds/topic/protection.xml?lang=es"}, []string{corridor, officeEN}},
	} {
		status, _, page := archiveGet(t, s, tc.path)
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d\n%s", tc.path, status, page)
		}
		for _, w := range tc.want {
			if !strings.Contains(page, w) {
				t.Errorf("GET %s lacks %q", tc.path, w)
			}
		}
		for _, n := range append(tc.not, hidden, late, reader, tok, "/digest/") {
			if strings.Contains(page, n) {
				t.Errorf("GET %s shows %q", tc.path, n)
			}
		}
	}
	for path, want := range map[string]int{
		"/archive?country=ZZ":     http.StatusNotFound,
		"/archive?topic=nope":     http.StatusNotFound,
		"/archive?before=garbage": http.StatusBadRequest,
		"/feeds/country/ZZ.xml":   http.StatusNotFound,
		"/feeds/topic/nope.xml":   http.StatusNotFound,
		"/feeds/country/GT":       http.StatusNotFound,
		"/favicon.ico":            http.StatusOK, // redirected to the SVG
		"/favicon.svg":            http.StatusOK,
		"/no-such-page?lang=es":   http.StatusNotFound,
	} {
		if status, _, _ := archiveGet(t, s, path); status != want {
			t.Errorf("GET %s: %d, want %d", path, status, want)
		}
	}
	// An unknown country or a broken page link leads back to the archive
	// it speaks of.
	for _, path := range []string{"/archive?country=ZZ&lang=fr", "/archive?before=garbage&lang=fr"} {
		if _, _, page := archiveGet(t, s, path); !strings.Contains(page, `<a href="/archive?lang=fr" id="next-link">`) {
			t.Errorf("GET %s does not link to the archive:\n%s", path, page)
		}
	}
	if _, _, page := archiveGet(t, s, "/no-such-page"); !strings.Contains(page, "<title>Page not found · News Digest</title>") {
		t.Errorf("404 page title:\n%s", page)
	}
	// The list's name is the mails' (MAIL_FROM's, until the desk sets
	// one per language), in every language.
	if _, _, page := archiveGet(t, s, "/no-such-page?lang=es"); !strings.Contains(page, "<title>Página no encontrada · News Digest</title>") {
		t.Errorf("Spanish 404 page title:\n%s", page)
	}
	if _, _, page := archiveGet(t, s, "/?lang=en"); !strings.Contains(page, `href="/archive?lang=en"`) {
		t.Error("the subscribe form does not point to the archive's feeds")
	}

	if got, want := archiveFeed(t, s, "/feeds/country/GT.xml"), []string{corridor, shelters}; !slices.Equal(got, want) {
		t.Errorf("GT feed: %q, want %q", got, want)
	}
	if got, want := archiveFeed(t, s, "/feeds/topic/protection.xml?lang=es"), []string{officeES, shelters}; !slices.Equal(got, want) {
		t.Errorf("protection feed in Spanish: %q, want %q", got, want)
	}
	// A code or a slug typed in another case is the same feed, and page.
	if got, want := archiveFeed(t, s, "/feeds/country/gt.xml"), []string{corridor, shelters}; !slices.Equal(got, want) {
		t.Errorf("gt feed: %q, want %q", got, want)
	}
	if got, want := archiveFeed(t, s, "/feeds/topic/Protection.xml?lang=es"), []string{officeES, shelters}; !slices.Equal(got, want) {
		t.Errorf("Protection feed in Spanish: %q, want %q", got, want)
	}
	if status, _, page := archiveGet(t, s, "/archive?lang=en&country=gt"); status != http.StatusOK || !strings.Contains(page, esc(shelters)) || strings.Contains(page, officeEN) {
		t.Errorf("/archive?country=gt: %d, want Guatemala's stories", status)
	}
	if got := archiveFeed(t, s, "/feeds/country/MX.xml"); len(got) != 0 {
		t.Errorf("MX feed: %q, want none", got)
	}
	// A French feed's title and description are worded as French is
	// written: a no-break space before the colon, the country's name as
	// a heading (no "Articles sur Guatemala").
	_, _, body := archiveGet(t, s, "/feeds/country/GT.xml?lang=fr")
	var fr archiveRSS
	if err := xml.Unmarshal([]byte(body), &fr); err != nil {
		t.Fatalf("the French GT feed does not parse: %v\n%s", err, body)
	}
	if fr.Channel.Title != "News Digest\u00a0: Guatemala" || !strings.HasPrefix(fr.Channel.Description, "Guatemala\u00a0: articles") {
		t.Errorf("the French GT feed: title %q, description %q", fr.Channel.Title, fr.Channel.Description)
	}

	b := newBrowser(t, 3*time.Minute)
	for _, lang := range []string{"en", "es"} {
		b.open(s.base+"/archive?lang="+lang, chromedp.CSS(`ol.stories`))
		b.checkAccessible("archive " + lang)
	}
	b.shots(t, "archive")
	b.open(s.base+"/archive?lang=en&country=GT", chromedp.CSS(`ol.stories`))
	b.checkAccessible("archive for Guatemala")
	// The language switch keeps the filter: Spanish shows Guatemala's
	// stories, not the whole archive.
	b.do("switch the filtered archive to Spanish",
		chromedp.Click(chromedp.CSS(`header nav a[hreflang=es]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`html[lang=es] ol.stories`)))
	if got := b.value("country filter in Spanish", chromedp.CSS(`#archive-country`)); got != "GT" {
		t.Errorf("after switching to Spanish the country filter is %q, want GT", got)
	}
	if txt := b.pageText(); strings.Contains(txt, officeES) || !strings.Contains(txt, "Guatemala") {
		t.Errorf("the Spanish archive after the switch is not Guatemala's: %q", txt)
	}
	b.checkAccessible("archive for Guatemala in Spanish")
	b.shots(t, "archive-guatemala-es")
	b.open(s.base+view, chromedp.CSS(`main h1`))
	b.checkAccessible("web digest")
	b.open(s.base+"/no-such-page", chromedp.CSS(`main h1`))
	b.checkAccessible("404 page")
}

// archiveIDs maps the stored items' titles to their ids.
func archiveIDs(t *testing.T, s *stack) map[string]int64 {
	t.Helper()
	var page struct{ Items []item }
	s.jsonCall("GET", "/api/v1/items?limit=100", nil, &page, http.StatusOK)
	out := map[string]int64{}
	for _, it := range page.Items {
		out[it.Title] = it.ID
	}
	return out
}
