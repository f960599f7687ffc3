package admin

import (
	"regexp"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/overview"
)

// TestEditionsNamedAlike: every console page that links to an edition
// names it in the same words ("Édition 7"), as its own page's title does,
// not "Nº 7" in one list and "#7" in another.
func TestEditionsNamedAlike(t *testing.T) {
	const id = 7
	e := domain.Edition{ID: id, Status: domain.EditionDone}
	var person subscriberView
	person.Record = domain.SubscriberRecord{Subscriber: domain.Subscriber{ID: 1, Status: domain.StatusActive,
		Filter: domain.Filter{Language: "en", Mode: domain.ModeAny}}}
	person.Deliveries = []domain.SubscriberDelivery{{EditionID: id, Status: domain.DeliverySent}}
	link := regexp.MustCompile(`<a href="/admin/editions/7">([^<]*)</a>`)
	for _, lang := range domain.Languages {
		want := tf(lang, "edition_name", id)
		for _, tc := range []struct {
			template string
			data     any
		}{
			{"editions.html", []editionRow{{Edition: e}}},
			{"schedules.html", schedulesData{Slots: []slotRow{{Edition: e}}}},
			{"dashboard.html", dashboardData{Dashboard: overview.Dashboard{Dashboard: domain.Dashboard{LastEdition: &e}}}},
			{"subscriber.html", person},
		} {
			m := link.FindStringSubmatch(renderConsole(t, tc.template, lang, tc.data))
			if m == nil || m[1] != want {
				t.Errorf("%s (%s) names edition 7 %q, want %q", tc.template, lang, m, want)
			}
		}
	}
}

// TestPlanNamesStoryLanguages: the stories an edition would hold name
// their language in the page's, as the stories list does ("Anglais"), not
// in itself ("English"): it is a story's language, not a reader's choice.
func TestPlanNamesStoryLanguages(t *testing.T) {
	data := editionsNewData{Plan: editions.Plan{}, Shown: []editions.PlanStory{{}}}
	data.Shown[0].ID, data.Shown[0].Title, data.Shown[0].Language = 1, "Return", "en"
	data.Plan.Items = data.Shown
	cell := regexp.MustCompile(`<td><a href="/admin/items/1">Return</a></td>\s*<td>([^<]*)</td>`)
	for _, lang := range domain.Languages {
		m := cell.FindStringSubmatch(renderConsole(t, "editions_new.html", lang, data))
		if want := languageName(lang, "en"); m == nil || m[1] != want {
			t.Errorf("editions_new (%s) names English %q, want %q", lang, m, want)
		}
	}
}
