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
