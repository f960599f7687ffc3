package admin

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/overview"
)

// TestTimesNameTheDesksZoneOnce: the console writes a time in the desk's
// zone (DIGEST_TZ) with the zone's name, through when, and nothing
// beside it names another: "12:56 CST (UTC)" for the tagger's last training, or "12:56
// CST UTC" for the last wrong password, would be six hours off for a
// reader who believed the second name.
func TestTimesNameTheDesksZoneOnce(t *testing.T) {
	zone, err := time.LoadLocation("America/Costa_Rica")
	if err != nil {
		t.Fatal(err)
	}
	pages, err := parsePages(zone)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 6, 18, 56, 0, 0, time.UTC)
	for _, tc := range []struct {
		template string
		data     any
		sel      *regexp.Regexp // the part of the page that shows at
	}{
		{"tagging.html", taggingData{Model: &domain.TagModelInfo{TrainedAt: at}}, regexp.MustCompile(`(?s)<p id="tagging-model">.*?</p>`)},
		{"dashboard.html", dashboardData{Logins: []loginWatch{{Account: "admin", Failures: 3, First: at, Last: at}}},
			regexp.MustCompile(`(?s)<tr data-account="admin">.*?</tr>`)},
		{"dashboard.html", dashboardData{Dashboard: overview.Dashboard{NextEdition: at}},
			regexp.MustCompile(`(?s)<p class="figure home-when">.*?</p>`)},
	} {
		for _, lang := range domain.Languages {
			var out bytes.Buffer
			if err := pages.ExecuteTemplate(&out, tc.template, page{Lang: lang, User: &user{Name: domain.OwnerAccount, Roles: domain.AllRoles}, Data: tc.data}); err != nil {
				t.Fatalf("%s (%s): %v", tc.template, lang, err)
			}
			part := tc.sel.FindString(out.String())
			if !strings.Contains(part, "2026-12-06 12:56 CST") || strings.Contains(part, "UTC") {
				t.Errorf("%s (%s) shows the time as %q, want 2026-12-06 12:56 CST and no other zone", tc.template, lang, part)
			}
		}
	}
}
