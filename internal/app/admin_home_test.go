package app_test

import (
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hibiken/asynq"
)

// homeFigure is the number a dashboard card shows.
func (b *browserSession) homeFigure(card string) string {
	b.t.Helper()
	return b.text("figure of "+card, chromedp.CSS(`#`+card+` .figure`))
}

// homeCells returns the text of every cell sel matches.
func (b *browserSession) homeCells(what, sel string) []string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll(`+strconv.Quote(sel)+`)).map(e => e.textContent.trim())`))
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return got
}

// TestBrowserAdminDashboard: the dashboard's figures match data seeded
// through the API; the queues page shows the worker's queues; the console
// speaks Spanish when asked and keeps to it.
func TestBrowserAdminDashboard(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	fixture, err := os.ReadFile("../ingest/testdata/iom-rosanjose-news-2020.txt")
	if err != nil {
		t.Fatal(err)
	}
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", fixture, true); status != http.StatusOK {
		t.Fatalf("import: %d: %s", status, body)
	}
	var items struct {
		Items []struct {
			ID                         int64
			Countries, Regions, Topics []string
			Hidden                     bool
		}
	}
	s.jsonCall("GET", "/api/v1/items?limit=1000", nil, &items, http.StatusOK)
	if len(items.Items) < 3 {
		t.Fatalf("%d items imported", len(items.Items))
	}
	s.jsonCall("PATCH", "/api/v1/items/"+itoa(items.Items[0].ID), map[string]any{"hidden": true}, nil, http.StatusOK)
	s.jsonCall("PATCH", "/api/v1/items/"+itoa(items.Items[1].ID),
		map[string]any{"countries": []string{}, "regions": []string{}, "topics": []string{}}, nil, http.StatusOK)
	s.jsonCall("GET", "/api/v1/items?limit=1000", nil, &items, http.StatusOK)
	var tagged, untagged, hidden int
	for _, it := range items.Items {
		switch {
		case it.Hidden:
			hidden++
		case len(it.Countries)+len(it.Regions)+len(it.Topics) == 0:
			untagged++
		default:
			tagged++
		}
	}

	csv := "email,countries,topics,language\n" +
		"uno@example.org,CR,health,es\n" +
		"dos@example.org,CR,trafficking-smuggling,en\n" +
		"tres@example.org,GT,health,en\n" +
		"cinco@example.org,*,,en\n"
	if status, body := s.do("POST", "/api/v1/subscribers/import", "text/csv", []byte(csv), true); status != http.StatusOK {
		t.Fatalf("subscriber import: %d: %s", status, body)
	}
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{
		"email": "cuatro@example.org", "countries": []string{"HN"}, "topics": []string{}, "language": "es", "mode": "any",
	}, nil, http.StatusAccepted)

	const badFeed = "http://feed.invalid/rss.xml"
	s.jsonCall("POST", "/api/v1/sources", map[string]any{"url": badFeed, "kind": "feed", "interval": "1m"}, nil, http.StatusCreated)
	deadline := time.Now().Add(60 * time.Second)
	for {
		var list struct {
			Sources []struct {
				LastError *string `json:"last_error"`
			}
		}
		s.jsonCall("GET", "/api/v1/sources", nil, &list, http.StatusOK)
		if len(list.Sources) == 1 && list.Sources[0].LastError != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the unreachable source has no error after 60s")
		}
		time.Sleep(100 * time.Millisecond)
	}

	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", stories2020, &created, http.StatusAccepted)
	e := s.waitEdition(created.ID)
	if e.Status != "done" || e.Total != 4 {
		t.Fatalf("edition: %+v, want done with 4 recipients", e)
	}

	b := newBrowser(t, 4*time.Minute)
	if st := b.adminLogin(s.base, "admin", adminPassword); st != http.StatusOK {
		t.Fatalf("login: %d", st)
	}
	b.open(s.base+"/admin/", chromedp.CSS(`#subscribers-total`))
	if u := b.currentURL(); u != s.base+"/admin" {
		t.Errorf("/admin/ ends at %s, want /admin", u)
	}
	for card, want := range map[string]int{
		"subscribers-total": 5, "subscribers-active": 4, "subscribers-pending": 1,
		"week-tagged": tagged, "week-untagged": untagged, "week-hidden": hidden,
	} {
		if got := b.homeFigure(card); got != strconv.Itoa(want) {
			t.Errorf("dashboard %s shows %q, want %d", card, got, want)
		}
	}
	wantTable := func(id string, want []string) {
		t.Helper()
		names := b.homeCells(id, `#`+id+` tbody th`)
		counts := b.homeCells(id, `#`+id+` tbody td`)
		var got []string
		for i := range names {
			got = append(got, names[i]+" "+counts[i])
		}
		if strings.Join(got, ", ") != strings.Join(want, ", ") {
			t.Errorf("dashboard %s: %q, want %q", id, got, want)
		}
	}
	// The reader of all stories is counted apart, not in the tables.
	if all := b.text("all stories", chromedp.CSS(`#subscribers-all-stories`)); !strings.HasPrefix(all, "Active subscribers who take all stories: 1.") {
		t.Errorf("dashboard all-stories line: %q", all)
	}
	wantTable("by-country", []string{"Costa Rica 2", "Guatemala 1"})
	wantTable("by-topic", []string{"Health 2", "Trafficking and smuggling 1"})
	for fig, want := range map[string]int{"total": e.Total, "sent": e.Sent, "failed": e.Failed, "skipped": e.Skipped} {
		if got := b.text("last edition "+fig, chromedp.CSS(`#last-edition [data-figure=`+fig+`]`)); got != strconv.Itoa(want) {
			t.Errorf("last edition %s shows %q, want %d", fig, got, want)
		}
	}
	if link := b.homeCells("edition link", `#last-edition a`); len(link) != 1 || link[0] != "Edition "+itoa(e.ID) {
		t.Errorf("last edition link: %q", link)
	}
	if next := b.text("next edition", chromedp.CSS(`#next-edition .figure`)); !strings.HasSuffix(next, " 07:00 "+s.cfg.DigestTZ.String()) {
		t.Errorf("next edition %q: want Monday 07:00 (DIGEST_CRON 0 7 * * 1)", next)
	}
	if rule := b.text("the desk's rule", chromedp.CSS(`#desk-rule`)); rule != "Every Monday at 07:00 (UTC)" {
		t.Errorf("the dashboard words the schedule as %q, want Every Monday at 07:00 (UTC)", rule)
	}
	if errs := b.homeCells("source errors", `#source-errors td.home-url`); len(errs) != 1 || errs[0] != badFeed {
		t.Errorf("sources with errors: %q, want [%s]", errs, badFeed)
	}
	if qs := b.homeCells("queues", `#queue-depth tbody th`); strings.Join(qs, ",") != "critical,default" {
		t.Errorf("queue depth rows: %q", qs)
	}
	b.checkAccessible("dashboard")
	b.shots(t, "dashboard")

	b.open(s.base+"/admin/queues", chromedp.CSS(`table#queues`))
	if qs := b.homeCells("queues", `#queues tbody th`); strings.Join(qs, ",") != "critical,default" {
		t.Errorf("queues page rows: %q", qs)
	}
	processed := 0
	for _, n := range b.homeCells("processed", `#queues tbody td:nth-of-type(8)`) {
		v, _ := strconv.Atoi(n)
		processed += v
	}
	if processed == 0 {
		t.Error("the queues page shows no task processed today, after an edition was sent")
	}
	b.checkAccessible("queues")

	// A task the worker has no handler for is given up on at once: the
	// page lists it with its error.
	redisOpt, err := asynq.ParseRedisURI(s.cfg.RedisURL)
	if err != nil {
		t.Fatal(err)
	}
	client := asynq.NewClient(redisOpt)
	defer client.Close()
	dead, err := client.Enqueue(asynq.NewTask("home:no-such-task", nil), asynq.MaxRetry(0), asynq.Queue("default"))
	if err != nil {
		t.Fatal(err)
	}
	archived := chromedp.CSS(`table.queues-archived[data-queue=default]`)
	deadline = time.Now().Add(60 * time.Second)
	for {
		b.open(s.base+"/admin/queues", chromedp.CSS(`table#queues`))
		if len(b.homeCells("archived", `table.queues-archived[data-queue=default] tbody tr`)) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no archived task listed after 60s: %s", b.pageText())
		}
		time.Sleep(200 * time.Millisecond)
	}
	row := b.text("archived task", archived)
	if !strings.Contains(row, "home:no-such-task") || !strings.Contains(row, dead.ID) || !strings.Contains(row, "handler not found") {
		t.Errorf("archived task row: %q, want its type, id %s and error", row, dead.ID)
	}
	b.checkAccessible("queues with an archived task")

	// Spanish, and it sticks.
	b.open(s.base+"/admin?lang=es", chromedp.CSS(`#by-topic`))
	if h := b.text("heading", mainHeading); h != "Resumen" {
		t.Errorf("Spanish dashboard heading %q", h)
	}
	wantTable("by-topic", []string{"Salud 2", "Trata y tráfico ilícito de migrantes 1"})
	b.checkAccessible("dashboard in Spanish")
	b.open(s.base+"/admin/queues", chromedp.CSS(`table#queues`))
	if h := b.text("heading", mainHeading); h != "Colas" {
		t.Errorf("after choosing Spanish the queues page is %q", h)
	}
	// Paging: 55 logins make more than a page of the log.
	lc := newLoginClient(s, "")
	for range 55 {
		if resp, _ := lc.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: %d", resp.StatusCode)
		}
	}
	b.open(s.base+"/admin/audit?actor=admin&sessions=1", chromedp.CSS(`form#audit-filter`))
	first := b.homeCells("first page", `#audit tbody tr`)
	if len(first) != 50 {
		t.Fatalf("first page of the log: %d rows, want 50", len(first))
	}
	b.do("older", chromedp.Click(chromedp.CSS(`a[rel=next]`), chromedp.NodeVisible), chromedp.WaitVisible(chromedp.CSS(`table#audit`)))
	second := b.homeCells("second page", `#audit tbody tr`)
	// The owner logged in 56 times (once in the browser) and did nothing else.
	if len(second) != 6 {
		t.Errorf("second page of the log: %d rows, want the 6 older logins", len(second))
	}
	if n := len(b.homeCells("older link", `a[rel=next]`)); n != 0 {
		t.Error("the last page of the log links to an older one")
	}
	for _, a := range b.homeCells("actors", `#audit .audit-actor`) {
		if a != "admin" {
			t.Errorf("the second page lost the actor filter: an entry by %q", a)
		}
	}
	b.open(s.base+"/admin/audit", chromedp.CSS(`form#audit-filter`))
	if h := b.text("heading", mainHeading); h != "Registro de actividad" {
		t.Errorf("after choosing Spanish the audit page is %q", h)
	}
	b.checkAccessible("audit in Spanish")
}
