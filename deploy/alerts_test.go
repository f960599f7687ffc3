package deploy_test

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
)

// alertRule is what the tests read of a Prometheus alerting rule.
type alertRule struct {
	Alert       string            `yaml:"alert"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for"`
	Annotations map[string]string `yaml:"annotations"`
}

func readAlerts(t *testing.T) []alertRule {
	t.Helper()
	raw, err := os.ReadFile("prometheus/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Groups []struct {
			Rules []alertRule `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(raw, &f); err != nil {
		t.Fatalf("prometheus/alerts.yml: %v", err)
	}
	var rules []alertRule
	for _, g := range f.Groups {
		rules = append(rules, g.Rules...)
	}
	if len(rules) == 0 {
		t.Fatal("prometheus/alerts.yml: no rules")
	}
	return rules
}

// selector is a metric's name and label matchers in a PromQL expression.
var selector = regexp.MustCompile(`([a-z_:][a-z0-9_:]*)(\{[^}]*\})?\[`)

// TestAlertRatiosNeedWhatTheyDivideBy: a rule that divides one counter
// by another, where the first is not a part of the second (bounces or
// complaints over messages sent), divides by zero in a window in which
// nothing was sent, and a number over zero is +Inf, above any threshold:
// one complaint arriving the day after a weekly edition would page. Such
// a rule also asks that the window hold enough of what it divides by for
// the ratio to mean something (`and <denominator> >= N`). A part over its
// whole (5xx answers over all answers) is NaN over nothing, which fires
// no alert.
func TestAlertRatiosNeedWhatTheyDivideBy(t *testing.T) {
	for _, r := range readAlerts(t) {
		expr := strings.Join(strings.Fields(r.Expr), " ")
		condition, guard, guarded := strings.Cut(expr, " and ")
		num, rest, ok := strings.Cut(condition, " / ")
		if !ok {
			continue
		}
		den, _, _ := strings.Cut(rest, " > ")
		n, d := selector.FindStringSubmatch(num), selector.FindStringSubmatch(den)
		if n == nil || d == nil {
			t.Errorf("%s: cannot read the metrics of %q", r.Alert, expr)
			continue
		}
		if n[1] == d[1] {
			continue // a part of the same counter over all of it
		}
		if !guarded {
			t.Errorf("%s divides %s by %s, which may be 0 while %s is not: +Inf fires it; add `and %s >= N`",
				r.Alert, n[1], d[1], n[1], strings.TrimSpace(den))
			continue
		}
		g, min, ok := strings.Cut(guard, " >= ")
		if !ok || strings.TrimSpace(g) != strings.TrimSpace(den) {
			t.Errorf("%s: its guard %q is not `%s >= N`", r.Alert, guard, strings.TrimSpace(den))
			continue
		}
		if v, err := strconv.ParseFloat(strings.TrimSpace(min), 64); err != nil || v < 1 {
			t.Errorf("%s: its guard asks for %q of %s, want at least 1", r.Alert, min, d[1])
		}
	}
}

// TestArchivedTasksAlertOnNewOnes: asynq keeps an archived task (one that
// used up its retries) for 90 days, and neither the console nor the
// reconciler removes most of them (a confirmation mail's, a poll's). An
// alert on how many are kept would fire for 90 days after one relay
// outage, long after the system is healthy again, with nothing in
// /admin/queues to clear it; it watches for tasks newly archived.
func TestArchivedTasksAlertOnNewOnes(t *testing.T) {
	found := false
	for _, r := range readAlerts(t) {
		if !strings.Contains(r.Expr, `newsdigest_queue_tasks{state="archived"}`) {
			continue
		}
		found = true
		if !regexp.MustCompile(`(delta|increase|deriv|changes)\(newsdigest_queue_tasks\{state="archived"\}\[`).MatchString(r.Expr) {
			t.Errorf("%s fires on the archived tasks kept (%q), which stay 90 days; want those archived lately (delta(...[1h]) > 0)",
				r.Alert, r.Expr)
		}
	}
	if !found {
		t.Error("no alert on archived tasks")
	}
}

// TestEditionAlertsFireWhenTheySay: an edition sending nothing pages
// after the time its summary names (the window of nothing sent and the
// time held add up to it, not twice it), and an edition that paused
// itself on its bounces or complaints, which waits for an editor, pages.
func TestEditionAlertsFireWhenTheySay(t *testing.T) {
	rules := map[string]alertRule{}
	for _, r := range readAlerts(t) {
		rules[r.Alert] = r
	}
	stuck, ok := rules["NewsdigestEditionStuck"]
	if !ok {
		t.Fatal("no NewsdigestEditionStuck rule")
	}
	window := regexp.MustCompile(`\[(\d+)m\]`).FindStringSubmatch(stuck.Expr)
	held, err := time.ParseDuration(stuck.For)
	if window == nil || err != nil {
		t.Fatalf("NewsdigestEditionStuck: window %v, for %q (%v)", window, stuck.For, err)
	}
	minutes, _ := strconv.Atoi(window[1])
	fires := time.Duration(minutes)*time.Minute + held
	said := regexp.MustCompile(`(\d+) minutes`).FindStringSubmatch(stuck.Annotations["summary"])
	if said == nil || said[1] != strconv.Itoa(int(fires.Minutes())) {
		t.Errorf("NewsdigestEditionStuck fires after %v of nothing sent; its summary says %q", fires, stuck.Annotations["summary"])
	}
	paused := false
	for _, r := range rules {
		paused = paused || strings.Contains(r.Expr, `newsdigest_edition_status{status="paused"}`)
	}
	if !paused {
		t.Error("no rule fires on an edition that paused itself")
	}
}

// TestBlocksPage: a block (a provider refusing the sender) counts against
// no reader, so only an alert tells anyone that a provider's readers get
// nothing; every kind of bounce the worker counts is watched.
func TestBlocksPage(t *testing.T) {
	watched := map[string]bool{}
	for _, r := range readAlerts(t) {
		for _, m := range regexp.MustCompile(`newsdigest_bounces_total\{kind="([a-z]+)"\}`).FindAllStringSubmatch(r.Expr, -1) {
			watched[m[1]] = true
		}
	}
	for _, kind := range []string{"hard", "blocked"} {
		if !watched[kind] {
			t.Errorf("no alert watches bounces of kind %q", kind)
		}
	}
}
