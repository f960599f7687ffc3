package digest

import (
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/taxonomy"
)

// The web digest offers the subscription form in its own language, and
// carries no reader's link; the mail offers no subscription form.
func TestWebDigestOffersTheForm(t *testing.T) {
	tax := taxonomy.Default()
	items := []domain.Item{{ID: 1, Title: "Une histoire", Countries: []string{"HT"}}}
	is := Issue{EditionID: 7, At: time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC), Language: "fr",
		Sections: []Section{{Kind: KindCountry, Key: "HT", Items: []int64{1}}}, Items: items, Tax: tax}
	m := Masthead{BaseURL: "https://news.example.org"}
	web := m.Web(is)
	if web.SubscribeURL != "https://news.example.org/?lang=fr" || web.PreferencesURL != "" || web.UnsubscribeURL != "" {
		t.Errorf("web digest: subscribe %q, preferences %q, unsubscribe %q", web.SubscribeURL, web.PreferencesURL, web.UnsubscribeURL)
	}
	if got := m.Email(is).SubscribeURL; got != "" {
		t.Errorf("the mail offers the subscription form %q", got)
	}
}
