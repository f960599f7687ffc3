package digest

import (
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/taxonomy"
)

// An issue that names no reader's frequency (a preview, a test send, the
// web digest) is worded for the desk's own readers, as their mail is; one
// that names a reader's (a slot's digest) keeps it, in the mail and on
// the web alike.
func TestIssuesAreWordedForTheDesksFrequency(t *testing.T) {
	tax := taxonomy.Default()
	items := []domain.Item{{ID: 1, Title: "Old story", Countries: []string{"MX"}}}
	sections := []Section{{Kind: KindCountry, Key: "MX", Items: []int64{1}}}
	is := Issue{EditionID: 7, At: time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC), Language: "en",
		Sections: sections, Items: items, Tax: tax}
	daily := Masthead{BaseURL: "https://news.example.org", Frequency: domain.FrequencyDaily}
	if got := daily.Email(is).Frequency; got != domain.FrequencyDaily {
		t.Errorf("a daily desk's preview is worded %q, want daily", got)
	}
	if got := daily.Web(is).Frequency; got != domain.FrequencyDaily {
		t.Errorf("a daily desk's web digest is worded %q, want daily", got)
	}
	is.Frequency = domain.FrequencyBiweekly
	if got := daily.Email(is).Frequency; got != domain.FrequencyBiweekly {
		t.Errorf("a reader's own digest is worded %q, want their biweekly", got)
	}
}
