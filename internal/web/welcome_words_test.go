package web

import (
	"strings"
	"testing"

	"newsdigest/internal/i18n"
)

// The welcome page's status line, under its heading, says something the
// heading does not, in every language.
func TestWelcomeStatusIsNotItsHeading(t *testing.T) {
	for _, lang := range i18n.Languages() {
		heading, status := msg(lang, "confirmed_title"), msg(lang, "welcome_confirmed")
		if strings.EqualFold(strings.TrimRight(status, ". "), strings.TrimRight(heading, ". ")) {
			t.Errorf("%s: the welcome page's status line %q repeats its heading %q", lang, status, heading)
		}
	}
}
