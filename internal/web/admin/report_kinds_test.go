package admin

import (
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
)

// TestEveryReportKindHasItsWords: the edition's reports name each kind
// of what came back by the key edition_report_<kind>; a kind added
// without its words would show the key to the editor.
func TestEveryReportKindHasItsWords(t *testing.T) {
	for _, k := range domain.BounceKinds {
		if !i18n.Exists("console.edition_report_" + k) {
			t.Errorf("no words for reports of kind %q (console.edition_report_%s)", k, k)
		}
	}
}
