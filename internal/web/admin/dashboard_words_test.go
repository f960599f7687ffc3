package admin

import (
	"regexp"
	"strings"
	"testing"

	"newsdigest/internal/domain"
)

// TestDashboardCountsOwnSchedules: the dashboard's count of readers due
// soon says it counts those on a schedule of their own, so a 0 beside the
// desk's next edition (which the others follow) does not read as "no one
// gets a digest".
func TestDashboardCountsOwnSchedules(t *testing.T) {
	own := map[string]string{"en": "of their own", "es": "horario propio", "fr": "propre horaire"}
	due := regexp.MustCompile(`<p id="readers-due">(?:<a [^>]*>)?([^<]*)`)
	for _, lang := range domain.Languages {
		words, ok := own[lang]
		if !ok {
			t.Fatalf("no words for an own schedule in %s", lang)
		}
		out := renderConsole(t, "dashboard.html", lang, dashboardData{})
		m := due.FindStringSubmatch(out)
		if m == nil || !strings.Contains(m[1], words) || !strings.HasSuffix(m[1], " 0") {
			t.Errorf("dashboard (%s) counts readers due as %q, want it to say %q", lang, m, words)
		}
	}
}
