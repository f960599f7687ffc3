package digest_test

import (
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/subscribers"
)

// TestFewerLinkAgreesWithItsPage: a digest offers "fewer like this" on a
// section (domain.Filter.CanDrop) exactly when the page behind the link
// can drop the section's choice (subscribers.Without), so the mail never
// offers what the page refuses, nor hides what it would do.
func TestFewerLinkAgreesWithItsPage(t *testing.T) {
	for _, f := range []domain.Filter{
		{All: true},
		{Countries: []string{"CR"}},
		{Topics: []string{"health"}},
		{Countries: []string{"CR", "MX"}},
		{Countries: []string{"CR"}, Topics: []string{"health"}},
		{Countries: []string{"CR"}, Topics: []string{"health", "climate"}, Mode: domain.ModeNarrow},
		{Countries: []string{"CR", "MX"}, Topics: []string{"health"}, Mode: domain.ModeNarrow},
		{Countries: []string{"CR", "MX"}, Topics: []string{"health", "climate"}, Mode: domain.ModeNarrow},
	} {
		f.Language = "en"
		f.Normalize()
		for kind, keys := range map[string][]string{subscribers.DropCountry: f.Countries, subscribers.DropTopic: f.Topics} {
			for _, key := range keys {
				_, err := subscribers.Without(f, kind, key)
				if got, want := f.CanDrop(kind), err == nil; got != want {
					t.Errorf("%+v: CanDrop(%s) = %v, but dropping %s: %v", f, kind, got, key, err)
				}
			}
		}
		if f.All && (f.CanDrop(subscribers.DropCountry) || f.CanDrop(subscribers.DropTopic)) {
			t.Errorf("a reader of all stories may drop a choice")
		}
	}
}
