package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"newsdigest/internal/subscribers"
	"newsdigest/internal/taxonomy"
	"newsdigest/internal/testenv"
)

var (
	allBox    = chromedp.CSS(`#all`)
	estimate  = chromedp.CSS(`#estimate`)
	regionBox = func(code string) chromedp.CSS { return chromedp.CSS(`input[name=regions][value=` + code + `]`) }
)

// scripts turns the page's scripts on or off, for what must work without.
func (b *browserSession) scripts(on bool) {
	b.t.Helper()
	b.scriptsOff = !on
	b.do(fmt.Sprintf("scripts on: %v", on), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	}))
}

// importStories imports a listing of one story a day about each title's
// country (days apart, so none is taken for a copy of another).
func (s *stack) importStories(titles ...string) {
	s.t.Helper()
	var listing strings.Builder
	// Dated today, so that an edition of new stories (and the schedule's)
	// holds them: they are of its period.
	today := time.Now().UTC().Format("2 January, 2006")
	for _, title := range titles {
		fmt.Fprintf(&listing, "%s\n\n%s\n\nA summary of the story.\n\n", today, title)
	}
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing.String()), true); status != http.StatusOK {
		s.t.Fatalf("import listing: %d %s", status, body)
	}
}

// TestBrowserAllStories subscribes to all stories from the form, confirms
// (the page says what is confirmed) and receives a digest holding stories
// of countries never ticked; the preference centre, the API, the console
// and the CSV export (which imports back) all say "all stories".
func TestBrowserAllStories(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	b := newBrowser(t, 2*time.Minute)
	const addr = "everything@example.org"
	b.open(s.base+"/?lang=en", subscribeForm)
	b.do("tick all stories, type the address",
		chromedp.Click(allBox, chromedp.NodeVisible),
		chromedp.SendKeys(emailField, addr, chromedp.NodeVisible))
	if st := b.submit("subscribe", subscribeSend); st != http.StatusOK {
		t.Fatalf("subscribe to all stories: status %d, page says %q", st, b.pageText())
	}
	s.smtp.WaitFor(t, 30*time.Second, "confirmation to "+addr, func([]testenv.Received) bool {
		return len(s.smtp.To(addr)) == 1
	})
	text, _ := bodies(t, s.smtp.To(addr)[0].Raw)
	b.open(confirmLink.FindString(text), chromedp.CSS(`form#confirm`))
	if got := b.text("confirmed choice", chromedp.CSS(`#choice-all`)); got != "All stories — every country and topic" {
		t.Errorf("the confirm page shows %q, want all stories", got)
	}
	if st := b.submit("confirm", confirmSend); st != http.StatusOK {
		t.Fatalf("confirm: status %d, page says %q", st, b.pageText())
	}
	// The welcome page and mail say all stories, not "none" twice.
	if got := b.text("welcome choice", chromedp.CSS(`#welcome #choice-all`)); got != "All stories — every country and topic" {
		t.Errorf("the welcome page shows %q, want all stories", got)
	}
	s.smtp.WaitFor(t, 30*time.Second, "welcome to "+addr, func([]testenv.Received) bool {
		return len(s.smtp.To(addr)) == 2
	})
	welcome, _ := bodies(t, s.smtp.To(addr)[1].Raw)
	if !strings.Contains(welcome, "All stories: every country and topic") || strings.Contains(welcome, "none") {
		t.Errorf("the welcome mail does not say all stories:\n%s", welcome)
	}

	titles := []string{
		"Jamaica: returned residents get help to find work in Kingston",
		"Guatemala: a shelter for children on the move opens in Tecún Umán",
		"Argentina: a study of remittances from the diaspora",
	}
	s.importStories(titles...)
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", nil, &created, http.StatusAccepted)
	if e := s.waitEdition(created.ID); e.Status != "done" || e.Sent != 1 {
		t.Fatalf("edition = %+v, want done with 1 sent", e)
	}
	text, _ = bodies(t, onlyDigest(t, s, addr, 1).Raw)
	for _, title := range titles {
		if !strings.Contains(text, title) {
			t.Errorf("the digest lacks %q:\n%s", title, text)
		}
	}

	b.open(prefsLink.FindString(text), prefsForm)
	if !b.checked(allBox) {
		t.Error("the preference centre does not show all stories as chosen")
	}

	// The JSON sign-up takes "all" as the form does; with nothing at all
	// chosen it is refused, naming the fields.
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": "api-all@example.org", "all": true, "language": "es"},
		nil, http.StatusAccepted)
	status, body := s.do("GET", "/api/v1/subscribers?address=api-all@", "", nil, true)
	if !strings.Contains(string(body), `"all":true`) || !strings.Contains(string(body), `"status":"pending"`) {
		t.Errorf("after a JSON sign-up with all: %d %s", status, body)
	}
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": "api-none@example.org", "all": false},
		nil, http.StatusUnprocessableEntity)

	// The API, filtering by a country never ticked, finds them.
	status, body = s.do("GET", "/api/v1/subscribers?country=JM", "", nil, true)
	if status != http.StatusOK || !strings.Contains(string(body), `"email":"`+addr+`"`) || !strings.Contains(string(body), `"all":true`) {
		t.Errorf("GET /api/v1/subscribers?country=JM: %d %s; want %s with all true", status, body, addr)
	}
	// The export writes * for the countries, and reads back as all stories.
	status, body = s.do("GET", "/api/v1/subscribers.csv", "", nil, true)
	if status != http.StatusOK {
		t.Fatalf("export: %d %s", status, body)
	}
	r, err := subscribers.NewCSVReader(strings.NewReader(string(body)), taxonomy.Default())
	if err != nil {
		t.Fatal(err)
	}
	if !r.Next() || r.Row().Email != addr || !r.Row().Filter.All || len(r.Errors()) > 0 {
		t.Errorf("the export %q reads back as %+v, errors %v; want %s with all stories", body, r.Row(), r.Errors(), addr)
	}

	if st := b.adminLogin(s.base, "admin", adminPassword); st != http.StatusOK {
		t.Fatalf("console login: %d", st)
	}
	b.open(s.base+"/admin/subscribers?lang=en", mainHeading)
	if page := b.pageText(); !strings.Contains(page, "All stories — every country and topic") {
		t.Errorf("the console's list does not say all stories: %s", page)
	}
}

// TestBrowserEstimate: the form says how many stories a week match the
// choices, from the last weeks' stories. Without scripts it says so when
// the form comes back (here with an "every country in" box expanded);
// with them the line follows the boxes as they are ticked. The endpoint
// refuses what no form sends, and more than a minute's allowance from one
// client.
func TestBrowserEstimate(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	var titles []string
	for i := range 8 {
		titles = append(titles, fmt.Sprintf("Costa Rica: workshop number %d for border officials in Upala", i+1),
			fmt.Sprintf("Jamaica: meeting number %d of the diaspora council in Kingston", i+1))
	}
	s.importStories(titles...)

	var answer struct {
		PerWeek int    `json:"per_week"`
		Text    string `json:"text"`
	}
	status, body := s.do("GET", "/estimate?countries=CR&lang=en", "", nil, false)
	mustJSON(t, body, &answer)
	if status != http.StatusOK || answer.PerWeek != 1 || answer.Text != "About 1 story a week matches your choices." {
		t.Errorf("GET /estimate?countries=CR: %d %s", status, body)
	}
	// A daily digest of one's own waits for the desk's 3 stories: with 8
	// in 8 weeks it would come about every 21 days, and the line says so,
	// unless the reader has it sent anyway or keeps the desk's schedule.
	for query, wait := range map[string]bool{
		"frequency=daily&timezone=America%2FCosta_Rica&hour=7":             true,
		"frequency=daily&timezone=America%2FCosta_Rica&hour=7&send_thin=1": false,
		"": false,
	} {
		status, body := s.do("GET", "/estimate?countries=CR&lang=en&"+query, "", nil, false)
		mustJSON(t, body, &answer)
		want := "About 1 story a week matches your choices."
		if wait {
			want += " A digest of your own waits for 3 stories: with these choices it would come about every 21 days, " +
				"not as often as you chose, unless you tick “send it even when there are fewer”."
		}
		if status != http.StatusOK || answer.Text != want {
			t.Errorf("GET /estimate?countries=CR&%s: %d %q, want %q", query, status, answer.Text, want)
		}
	}
	for query, field := range map[string]string{
		"countries=XX": "countries", "topics=gardening": "topics", "regions=atlantis": "regions",
		"mode=wide": "mode", "lang=pt": "lang",
	} {
		status, body := s.do("GET", "/estimate?"+query, "", nil, false)
		if status != http.StatusBadRequest || !strings.Contains(string(body), `"message":"`+field+`:`) {
			t.Errorf("GET /estimate?%s: %d %s; want 400 naming %s", query, status, body, field)
		}
	}

	b := newBrowser(t, 2*time.Minute)
	b.scripts(false)
	b.open(s.base+"/?lang=en", subscribeForm)
	b.do("tick every country in Central America, type an address with no real domain",
		chromedp.Click(regionSummary("central-america"), chromedp.NodeVisible),
		chromedp.Click(regionBox("central-america"), chromedp.NodeVisible),
		chromedp.SendKeys(emailField, "nobody@localhost", chromedp.NodeVisible))
	if st := b.submit("subscribe with a mistake", subscribeSend); st != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", st)
	}
	if got := b.text("estimate without scripts", estimate); got != "About 1 story a week matches your choices." {
		t.Errorf("without scripts the form came back saying %q", got)
	}
	if !b.checked(countryBox("GT")) || !b.checked(countryBox("CR")) || !b.checked(regionBox("central-america")) {
		t.Error("the region's box did not come back as its countries, ticked, with the box ticked")
	}
	b.shots(t, "estimate-no-script-en")

	b.scripts(true)
	b.open(s.base+"/?lang=es", subscribeForm)
	b.do("tick Costa Rica", chromedp.Click(regionSummary("central-america"), chromedp.NodeVisible),
		chromedp.Click(countryBox("CR"), chromedp.NodeVisible))
	editionsWaitOnPage(b, "the estimate of Costa Rica", 20*time.Second,
		`document.getElementById("estimate").textContent === "Alrededor de 1 noticia por semana coincide con tus opciones."`)
	if live := b.attr("#estimate", "aria-live"); live != "polite" {
		t.Errorf("the estimate line has aria-live %q, want polite", live)
	}
	b.do("tick all stories", chromedp.Click(allBox, chromedp.NodeVisible))
	editionsWaitOnPage(b, "the estimate of all stories", 20*time.Second,
		`document.getElementById("estimate").textContent === "Alrededor de 2 noticias por semana coinciden con tus opciones."`)
	b.shots(t, "estimate-es")

	// One client asking without pause is stopped within a minute's
	// allowance (120), and told when to ask again.
	limited := 0
	for range 130 {
		status, _ := s.do("GET", "/estimate?countries=CR", "", nil, false)
		if status == http.StatusTooManyRequests {
			limited++
		} else if status != http.StatusOK {
			t.Fatalf("GET /estimate: %d", status)
		}
	}
	if limited == 0 {
		t.Error("130 estimates in a row from one client were all answered: no limit")
	}
}
