package ops

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"newsdigest/internal/testenv"
)

// TestDashboardAndAlertsUseExportedNames: every metric name in the
// Grafana dashboard's and the alert rules' PromQL is one web or the
// worker exports, once both have served requests, run tasks and sent an
// edition.
func TestDashboardAndAlertsUseExportedNames(t *testing.T) {
	t.Parallel()
	r := newRig(t, 5, "")
	web := r.start(bins.web, nil)
	worker := r.start(bins.worker, nil)
	r.api(web, "POST", "/api/v1/subscriptions", map[string]any{"email": "metrics@example.org", "countries": []string{"CR"}}, nil)
	r.checkOnePerReader(r.startEdition(web), 5)

	exported := map[string]bool{}
	for _, p := range []*proc{web, worker} {
		for name := range scrapeNames(t, p.metrics+"/metrics") {
			exported[name] = true
		}
	}
	used := map[string][]string{}
	for _, e := range dashboardExprs(t, "../../deploy/grafana/newsdigest-dashboard.json") {
		for _, n := range metricNames(e) {
			used[n] = append(used[n], "dashboard")
		}
	}
	for _, e := range ruleExprs(t, "../../deploy/prometheus/alerts.yml") {
		for _, n := range metricNames(e) {
			used[n] = append(used[n], "alerts")
		}
	}
	if len(used) < 10 {
		t.Fatalf("only %d metric names found in the dashboard and rules: %v", len(used), used)
	}
	var names []string
	for n := range used {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !exported[n] {
			t.Errorf("%s (in %s) is not exported by web or the worker", n, strings.Join(used[n], ", "))
		}
	}
}

// scrapeNames are the sample names a metrics endpoint serves.
func scrapeNames(t *testing.T, u string) map[string]bool {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", u, resp.StatusCode, b)
	}
	out := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out[sampleName.FindString(line)] = true
	}
	return out
}

var (
	sampleName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*`)
	// What in PromQL is not a metric name: strings, label matchers,
	// ranges and the label lists of grouping clauses.
	promStrings  = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	promMatchers = regexp.MustCompile(`\{[^}]*\}`)
	promRanges   = regexp.MustCompile(`\[[^\]]*\]`)
	promGrouping = regexp.MustCompile(`\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	promIdent    = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?`)
	promKeywords = map[string]bool{"and": true, "or": true, "unless": true, "bool": true, "offset": true,
		"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true, "inf": true, "nan": true}
)

// metricNames are the metric names a PromQL expression reads: the
// identifiers left once strings, matchers, ranges and grouping labels
// are taken out, that are not functions, aggregations or keywords.
func metricNames(expr string) []string {
	e := promStrings.ReplaceAllString(expr, `""`)
	e = promMatchers.ReplaceAllString(e, "")
	e = promRanges.ReplaceAllString(e, "")
	e = promGrouping.ReplaceAllString(e, "")
	var out []string
	for _, m := range promIdent.FindAllStringSubmatch(e, -1) {
		name := strings.TrimRight(strings.TrimSuffix(strings.TrimSpace(m[0]), "("), " ")
		if m[1] != "" || promKeywords[strings.ToLower(name)] {
			continue // a function or aggregation, or a keyword
		}
		out = append(out, name)
	}
	return out
}

// dashboardExprs are the expr fields of every panel's targets.
func dashboardExprs(t *testing.T, path string) []string {
	t.Helper()
	var d struct {
		Panels []struct {
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []string
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			out = append(out, tg.Expr)
		}
	}
	return out
}

// ruleExprs are the expr fields of every rule.
func ruleExprs(t *testing.T, path string) []string {
	t.Helper()
	var f struct {
		Groups []struct {
			Rules []struct {
				Expr string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []string
	for _, g := range f.Groups {
		for _, r := range g.Rules {
			out = append(out, r.Expr)
		}
	}
	return out
}

var (
	confirmLink = regexp.MustCompile(`https?://[^\s"<>]+/confirm/([A-Za-z0-9_-]{22})`)
	anyToken    = regexp.MustCompile(`/(?:confirm|preferences|unsubscribe|digest/\d+)/([A-Za-z0-9_-]{16,})`)
	csrfField   = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
)

// TestRequestIDFollowsSignupToConfirmationMail: with JSON logs, a
// sign-up's request id is on web's request line and on the worker's line
// for the confirmation mail task; after the person confirms, neither log
// holds their address or any of their tokens at info level.
func TestRequestIDFollowsSignupToConfirmationMail(t *testing.T) {
	t.Parallel()
	r := newRig(t, 0, "")
	web := r.start(bins.web, nil)
	worker := r.start(bins.worker, nil)
	const addr = "traced.person@example.org"
	body := `{"email":"` + addr + `","countries":["CR"],"language":"en","mode":"any"}`
	resp, err := http.Post(web.http+"/api/v1/subscriptions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id := resp.Header.Get("X-Request-ID")
	if resp.StatusCode != http.StatusAccepted || id == "" {
		t.Fatalf("sign-up: %d, X-Request-ID %q", resp.StatusCode, id)
	}
	r.smtp.WaitFor(t, 30*time.Second, "the confirmation mail", func([]testenv.Received) bool { return len(r.smtp.To(addr)) > 0 })
	var tokens []string
	confirm := ""
	for _, text := range testenv.Parts(t, r.smtp.To(addr)[0].Raw) {
		if m := confirmLink.FindStringSubmatch(text); m != nil {
			confirm = m[1]
		}
	}
	if confirm == "" {
		t.Fatal("no confirm link in the confirmation mail")
	}
	jar, _ := cookiejar.New(nil)
	b := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	page, err := b.Get(web.http + "/confirm/" + confirm)
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(page.Body)
	page.Body.Close()
	m := csrfField.FindSubmatch(html)
	if m == nil {
		t.Fatalf("confirm page: %d, no csrf_token", page.StatusCode)
	}
	done, err := b.PostForm(web.http+"/confirm/"+confirm, url.Values{"csrf_token": {string(m[1])}})
	if err != nil {
		t.Fatal(err)
	}
	done.Body.Close()
	if done.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %d", done.StatusCode)
	}
	sub := r.waitSubscriber(addr)
	// Every token of the person's that a mail carried.
	r.smtp.WaitFor(t, 30*time.Second, "the welcome mail", func([]testenv.Received) bool { return len(r.smtp.To(addr)) > 1 })
	for _, msg := range r.smtp.To(addr) {
		for _, text := range testenv.Parts(t, msg.Raw) {
			for _, m := range anyToken.FindAllStringSubmatch(text, -1) {
				tokens = append(tokens, m[1])
			}
		}
	}
	tokens = append(tokens, confirm, sub)

	webLines, workerLines := jsonLines(t, web.log.String()), jsonLines(t, worker.log.String())
	if !hasLine(webLines, map[string]string{"msg": "request", "request_id": id, "route": "/api/v1/subscriptions"}) {
		t.Errorf("no request line with request_id %s in web's log", id)
	}
	if !hasLine(workerLines, map[string]string{"msg": "task", "type": "subscriber:confirmation_mail", "request_id": id, "outcome": "ok"}) {
		t.Errorf("no confirmation task line with request_id %s in the worker's log", id)
	}
	for who, lines := range map[string][]map[string]any{"web": webLines, "worker": workerLines} {
		for _, l := range lines {
			if l["level"] != "INFO" {
				continue
			}
			raw, _ := json.Marshal(l)
			for _, secret := range append(tokens, addr, "traced.person") {
				if strings.Contains(string(raw), secret) {
					t.Errorf("%s logs %q at info level: %s", who, secret, raw)
				}
			}
		}
	}
}

// waitSubscriber waits for addr to be active and returns its token.
func (r *rig) waitSubscriber(addr string) string {
	r.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var status, tok string
		err := r.db.Pool().QueryRow(r.ctx, `SELECT status, token FROM subscribers WHERE email = $1`, addr).Scan(&status, &tok)
		if err == nil && status == "active" {
			return tok
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("%s not active: %q %v", addr, status, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func jsonLines(t *testing.T, log string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, raw := range strings.Split(log, "\n") {
		if strings.TrimSpace(raw) == "" {
			continue
		}
		var l map[string]any
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			t.Errorf("a log line that is not JSON: %s", raw)
			continue
		}
		out = append(out, l)
	}
	return out
}

func hasLine(lines []map[string]any, want map[string]string) bool {
	for _, l := range lines {
		ok := true
		for k, v := range want {
			if s, _ := l[k].(string); s != v {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}
