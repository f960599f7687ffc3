package app_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"newsdigest/internal/postgres"
)

// suggested is a suggestion as the store holds it.
type suggested struct {
	topics, countries []string
}

// readSuggestions returns the stored suggestions by story.
func readSuggestions(t *testing.T, s *stack, db *pgx.Conn) map[int64]suggested {
	t.Helper()
	rows, err := db.Query(s.ctx, `SELECT item_id, to_topics, to_countries FROM tag_suggestions`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]suggested{}
	for rows.Next() {
		var id int64
		var sg suggested
		if err := rows.Scan(&id, &sg.topics, &sg.countries); err != nil {
			t.Fatal(err)
		}
		out[id] = sg
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// storyState is what an item's topics and edited fields are now.
func storyState(t *testing.T, s *stack, db *pgx.Conn, id int64) (topics, edited []string, reasons map[string]string) {
	t.Helper()
	var raw map[string]map[string]string
	if err := db.QueryRow(s.ctx, `SELECT topics, edited_fields, tag_reasons FROM items WHERE id = $1`, id).
		Scan(&topics, &edited, &raw); err != nil {
		t.Fatal(err)
	}
	return topics, edited, raw["topics"]
}

// tagSuggestionsInConsole walks the console's tagging pages after the
// desk corrected the stories in corrected (id: the desk's topics): the
// quality figures, the suggestions for the others, accepting one,
// keeping one, accepting the rest; in English and Spanish, axe-checked.
func tagSuggestionsInConsole(t *testing.T, s *stack, corrected map[int64][]string) {
	db, err := pgx.Connect(s.ctx, s.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(s.ctx)
	b := newBrowser(t, 4*time.Minute)
	b.open(s.base+"/admin/login?next=%2Fadmin%2Ftagging", loginForm)
	b.do("fill the login form", chromedp.SetValue(loginUser, "admin"), chromedp.SetValue(loginPass, adminPassword))
	if st := b.submit("log in as admin", loginSend); st != http.StatusOK {
		t.Fatalf("login: status %d: %s", st, b.pageText())
	}

	// The quality page counts, per topic, the desk's changes to the
	// tagger's choice: as many as the corrections made.
	b.do("see the figures", chromedp.WaitVisible(chromedp.CSS(`#topic-corrections`)))
	var wantChanged int
	if err := db.QueryRow(s.ctx, `
		SELECT count(*) FROM tag_examples e, unnest(e.topics || e.tagger_topics) AS t
		WHERE NOT (t = ANY (e.topics) AND t = ANY (e.tagger_topics))`).Scan(&wantChanged); err != nil {
		t.Fatal(err)
	}
	cells := b.homeCells("changes per topic", `#topic-corrections tbody td:nth-child(3), #topic-corrections tbody td:nth-child(4)`)
	changed := 0
	for _, c := range cells {
		n, err := strconv.Atoi(c)
		if err != nil {
			t.Fatalf("a count of the quality table reads %q", c)
		}
		changed += n
	}
	if changed != wantChanged || wantChanged == 0 {
		t.Errorf("the quality table counts %d changes of the tagger's topics; the corrections made %d", changed, wantChanged)
	}
	if text := b.text("suggestions waiting", chromedp.CSS(`#tagging-suggestions`)); !strings.Contains(text, "would now tag differently") {
		t.Errorf("the quality page says %q about suggestions", text)
	}
	// What the corrections showed, among it the desk's habit of filing
	// children's stories under protection too.
	habits := editionsEval[[]string](b, "the habits", `Array.from(document.querySelectorAll("#desk-habits li"), e => e.dataset.topic + " " + e.textContent)`)
	if !slices.ContainsFunc(habits, func(h string) bool {
		return strings.HasPrefix(h, "protection Protection: added to ") && strings.HasSuffix(h, "corrected stories on “Children and youth”")
	}) {
		t.Errorf("the quality page does not list the desk's habit of protection for children's stories: %q", habits)
	}
	b.checkAccessible("tagging quality page")
	b.shots(t, "tagging-quality")
	b.open(s.base+"/admin/tagging?lang=es", chromedp.CSS(`#topic-corrections`))
	if h := b.text("Spanish habits", chromedp.CSS(`#desk-habits`)); !strings.Contains(h, "Protección: añadido a ") {
		t.Errorf("the Spanish quality page lists the habits as %q", h)
	}
	if h := b.text("Spanish heading", mainHeading); h != "Etiquetado" {
		t.Errorf("the Spanish quality page is headed %q", h)
	}
	b.checkAccessible("tagging quality page in Spanish")
	b.shots(t, "tagging-quality-es")

	// The suggestions: stories not corrected only. The retrainings that
	// the editor's actions below ask for are held back until the checks
	// are done, so that what the page listed is what gets accepted.
	release := s.holdRetraining()
	defer release()
	b.open(s.base+"/admin/tagging/suggestions?lang=en", chromedp.CSS(`#suggestions`))
	stored := readSuggestions(t, s, db)
	listed := suggestionIDs(b)
	if len(listed) < 3 {
		t.Fatalf("%d suggestions listed; the test needs three", len(listed))
	}
	for _, id := range listed {
		if _, ok := corrected[id]; ok {
			t.Errorf("story %d, whose topics the desk set, has a suggestion", id)
		}
		if _, ok := stored[id]; !ok {
			t.Errorf("story %d listed with no stored suggestion", id)
		}
	}
	// Why: what the desk's corrections show, said in the page's language,
	// topics by their names.
	// Here every change is one of the desk's habits, and says so.
	whys := editionsEval[[]string](b, "the reasons", `Array.from(document.querySelectorAll("#suggestions .changes .reason"), e => e.textContent)`)
	if len(whys) < len(listed) {
		t.Errorf("%d reasons for %d suggestions", len(whys), len(listed))
	}
	for _, why := range whys {
		if !strings.HasPrefix(why, "corrections: ") || !strings.Contains(why, " corrected stories ") {
			t.Errorf("a change's reason is %q; want what the corrections show", why)
		}
	}
	b.checkAccessible("suggestions page")
	b.shots(t, "tagging-suggestions")
	b.open(s.base+"/admin/tagging/suggestions?lang=es", chromedp.CSS(`#suggestions`))
	if h := b.text("Spanish heading", mainHeading); h != "Sugerencias de etiquetas" {
		t.Errorf("the Spanish suggestions page is headed %q", h)
	}
	why := b.text("Spanish reasons", chromedp.CSS(`#suggestions`))
	if !strings.Contains(why, " noticias corregidas ") || strings.Contains(why, "children-youth") || strings.Contains(why, "corrected") {
		t.Errorf("the Spanish suggestions do not say in Spanish what the corrections show:\n%s", why)
	}
	b.checkAccessible("suggestions page in Spanish")
	b.shots(t, "tagging-suggestions-es")

	// One story's page shows its suggestion too.
	third := strconv.FormatInt(listed[2], 10)
	b.open(s.base+"/admin/items/"+third+"?lang=en", chromedp.CSS(`#item-suggestion`))
	b.checkAccessible("item page with a suggestion")

	// Accept the first: its topics become the suggested ones, the editor's
	// now, with the tagger's reasons.
	b.open(s.base+"/admin/tagging/suggestions", chromedp.CSS(`#suggestions`))
	acceptID := listed[0]
	if st := b.submit("accept one", chromedp.CSS(`li.suggestion[data-id="`+strconv.FormatInt(acceptID, 10)+`"] .suggestion-accept button`)); st != http.StatusOK {
		t.Fatalf("accept one: status %d", st)
	}
	if flash := b.text("accepted flash", flashStatus); !strings.Contains(flash, "accepted") {
		t.Errorf("after accepting the page says %q", flash)
	}
	topics, edited, reasons := storyState(t, s, db, acceptID)
	if !slices.Equal(topics, stored[acceptID].topics) || !slices.Contains(edited, "topics") {
		t.Errorf("accepted story: topics %v (edited %v), want the suggested %v as the editor's", topics, edited, stored[acceptID].topics)
	}
	for topic, why := range reasons {
		if why == "editor" {
			t.Errorf("accepted topic %s has the reason %q; want the tagger's", topic, why)
		}
	}

	// Keep the second as it is.
	keepID := listed[1]
	was, _, _ := storyState(t, s, db, keepID)
	if st := b.submit("keep one", chromedp.CSS(`li.suggestion[data-id="`+strconv.FormatInt(keepID, 10)+`"] .suggestion-keep button`)); st != http.StatusOK {
		t.Fatalf("keep one: status %d", st)
	}
	if topics, edited, _ := storyState(t, s, db, keepID); !slices.Equal(topics, was) || !slices.Contains(edited, "topics") {
		t.Errorf("kept story: topics %v (edited %v), want %v as the editor's", topics, edited, was)
	}

	// Accept the rest at once.
	if st := b.submit("accept all", chromedp.CSS(`#accept-all button`)); st != http.StatusOK {
		t.Fatalf("accept all: status %d", st)
	}
	if flash := b.text("accepted-all flash", flashStatus); !strings.HasPrefix(flash, "Accepted: ") {
		t.Errorf("after accepting all the page says %q", flash)
	}
	for _, id := range listed[2:] {
		topics, edited, _ := storyState(t, s, db, id)
		if !slices.Equal(topics, stored[id].topics) || !slices.Contains(edited, "topics") {
			t.Errorf("story %d after accepting all: topics %v (edited %v), want the suggested %v", id, topics, edited, stored[id].topics)
		}
	}
	// A suggestion acted on already, sent again (a second tab, another
	// editor): the list again, saying so, and nothing changed.
	c := s.browser()
	token := s.csrfToken(c, "/admin/login")
	itemsPost(t, c, s.base+"/admin/login", url.Values{"csrf_token": {token}, "user": {"admin"}, "password": {adminPassword}})
	token = s.csrfToken(c, "/admin/tagging/suggestions")
	end := itemsPost(t, c, s.base+"/admin/tagging/suggestions/"+strconv.FormatInt(acceptID, 10)+"/accept", url.Values{"csrf_token": {token}})
	if !strings.Contains(end, "done=suggestion_gone") {
		t.Errorf("accepting a suggestion again ended at %s", end)
	}

	// The desk's own corrections were never touched.
	for id, want := range corrected {
		if topics, _, _ := storyState(t, s, db, id); !slices.Equal(topics, want) {
			t.Errorf("story %d corrected to %v now has %v", id, want, topics)
		}
	}
	itemsCheckAudit(t, s, "admin", "item.retag", "item.update")
}

// holdRetraining keeps the worker from retraining the tagger until
// release is called: it takes the lock every retraining takes, once a
// retraining that runs now has finished.
func (s *stack) holdRetraining() (release func()) {
	s.t.Helper()
	db, err := postgres.Open(s.ctx, s.cfg.DatabaseURL, s.cfg.SecretKey)
	if err != nil {
		s.t.Fatal(err)
	}
	held, done, ended := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		ended <- db.OneRetraining(s.ctx, func(time.Time) error {
			close(held)
			<-done
			return nil
		})
	}()
	select {
	case <-held:
	case err := <-ended:
		s.t.Fatalf("hold the retraining lock: %v", err)
	case <-time.After(5 * time.Minute): // a retraining's own timeout
		s.t.Fatal("a retraining still held its lock after 5 minutes")
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			if err := <-ended; err != nil {
				s.t.Errorf("release the retraining lock: %v", err)
			}
			db.Close()
		})
	}
}

// suggestionIDs are the stories the suggestions page lists.
func suggestionIDs(b *browserSession) []int64 {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('li.suggestion')).map(li => li.dataset.id)`))
	if err != nil {
		b.t.Fatalf("read the suggestions: %v", err)
	}
	var out []int64
	for _, r := range raw {
		id, err := strconv.ParseInt(r, 10, 64)
		if err != nil {
			b.t.Fatalf("suggestion id %q", r)
		}
		out = append(out, id)
	}
	return out
}
