package ingest

import (
	"strings"
	"testing"

	"newsdigest/internal/domain"
)

// TestFeedDatesInNamedZones: RSS dates may name their zone (RFC 822's EST,
// CDT, PST, …) rather than give an offset; the entry's day is the one
// where it was written, as with an offset.
func TestFeedDatesInNamedZones(t *testing.T) {
	for _, tc := range []struct {
		pubDate string
		want    domain.Date
	}{
		{"Wed, 16 Dec 2020 23:30:00 EST", domain.NewDate(2020, 12, 16)},
		{"Wed, 16 Dec 2020 22:30:00 CST", domain.NewDate(2020, 12, 16)},
		{"Thu, 16 Jul 2020 21:15:00 PDT", domain.NewDate(2020, 7, 16)},
		{"16 Dec 2020 23:30 MST", domain.NewDate(2020, 12, 16)},
		{"Wed, 16 Dec 2020 23:30:00 GMT", domain.NewDate(2020, 12, 16)},
		{"Wed, 16 Dec 2020 23:30:00 -0600", domain.NewDate(2020, 12, 16)},
	} {
		doc := `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>A story</title>` +
			`<pubDate>` + tc.pubDate + `</pubDate><link>https://news.example.org/a</link></item></channel></rss>`
		entries, lineErrs, err := ParseFeed(strings.NewReader(doc), "")
		if err != nil || len(lineErrs) > 0 || len(entries) != 1 {
			t.Fatalf("%s: %v %v", tc.pubDate, lineErrs, err)
		}
		if got := entries[0].PublishedOn; got != tc.want {
			t.Errorf("%s: day %s, want %s", tc.pubDate, got, tc.want)
		}
	}
}

// TestFeedDatesOutsideNews: an entry dated in a year no story is from (a
// placeholder's year 1, a typo's 2102) has a date the feed could not
// give, as an unreadable one, rather than a story dated then.
func TestFeedDatesOutsideNews(t *testing.T) {
	for date, says := range map[string]string{
		"0001-01-01T00:00:00Z":          "unreadable date", // Go's zero time: no date at all
		"Mon, 01 Jan 1883 10:00:00 GMT": "want a year from 1900 to 2200",
		"2999-12-31T10:00:00Z":          "want a year from 1900 to 2200",
	} {
		doc := `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>A story</title>` +
			`<pubDate>` + date + `</pubDate><link>https://news.example.org/a</link></item></channel></rss>`
		entries, lineErrs, err := ParseFeed(strings.NewReader(doc), "")
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 0 || len(lineErrs) != 1 || lineErrs[0].Code != "feed_date_unreadable" || lineErrs[0].Arg != date ||
			!strings.Contains(lineErrs[0].Message, says) {
			t.Errorf("%s: entries %+v, errors %+v; want the entry refused for its year", date, entries, lineErrs)
		}
	}
}
