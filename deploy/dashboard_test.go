package deploy_test

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"
)

// TestDashboardAddsUpEditionStates: every worker reports each recent
// edition's deliveries by state, so a panel first takes one worker's
// figure for each state (max by edition and state), then adds the states
// up. A max by edition alone over several states shows the largest of
// them (the sent ones), not sent + failed + skipped as the panel says.
func TestDashboardAddsUpEditionStates(t *testing.T) {
	raw, err := os.ReadFile("grafana/newsdigest-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	acrossStates := regexp.MustCompile(`max by \(edition\) \(newsdigest_edition_deliveries\{state=~`)
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			if acrossStates.MatchString(tg.Expr) {
				t.Errorf("%s: %q takes the largest of several states, not their sum", p.Title, tg.Expr)
			}
		}
	}
}
