package app_test

import (
	"fmt"
	"html"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"newsdigest/internal/testenv"
)

// deskNames are the list's names the desk sets in the afternoon.
var deskNames = map[string]string{
	"en": "IOM News Digest",
	"es": "Resumen de noticias de la OIM",
	"fr": "Résumé de l’actualité de l’OIM",
}

// TestDeskAfternoon walks a news desk's afternoon on the real services,
// through the console's own forms: the desk names its list in three
// languages, an editor imports the 2020 listing, fixes a story, sends a
// test to herself, sends the year to 1,200 readers in English, Spanish
// and French while the relay refuses some addresses for good (550) and
// some for now (452), reads the failures on the edition's page, retries
// (only the temporary ones go again), and each language's reader gets a
// digest under the desk's name for that language; a new reader's
// confirmation carries it too.
//
// It sends some 1,250 mails under the race detector, with the worker's
// own retries of the refused batches: expect about a minute on a busy
// machine. One walk covers what several short tests would each set up.
func TestDeskAfternoon(t *testing.T) {
	t.Parallel()
	s := startStackBare(t, nil)
	const editor = "editor@example.org"
	var temporary atomic.Bool
	temporary.Store(true)
	var mu sync.Mutex
	tries := map[string]int{}
	s.smtp.Reject = func(rcpt string) error {
		mu.Lock()
		tries[rcpt]++
		mu.Unlock()
		switch {
		case strings.HasPrefix(rcpt, "gone-"):
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox here"}
		case strings.HasPrefix(rcpt, "full-") && temporary.Load():
			return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "mailbox full, try again later"}
		}
		return nil
	}
	s.startWorker(testWorkerOptions())
	c := s.consoleClient()

	// 1. The desk names the list. A name too long is refused, naming its
	// field in the editor's language, and nothing is saved.
	status, body := s.page(c, "POST", "/admin/settings?lang=es", url.Values{
		"list_name_en": {deskNames["en"]}, "list_name_es": {strings.Repeat("n", 81)}, "list_name_fr": {""}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Nombre en español: tiene más de 80 caracteres (81).") {
		t.Fatalf("a name too long: %d %s", status, deskText(body))
	}
	if _, page := s.page(c, "GET", "/admin/settings?lang=en", nil); strings.Contains(page, deskNames["en"]) {
		t.Fatal("a refused form saved a name")
	}
	form := url.Values{}
	for lang, name := range deskNames {
		form.Set("list_name_"+lang, name)
	}
	if status, page := s.page(c, "POST", "/admin/settings?lang=en", form); status != http.StatusOK ||
		!strings.Contains(page, "The list’s names are saved") || !strings.Contains(page, html.EscapeString(deskNames["fr"])) {
		t.Fatalf("save the names: %d %s", status, deskText(page))
	}
	for _, lang := range []string{"en", "es", "fr"} {
		_, page := s.page(c, "GET", "/admin/settings?lang="+lang, nil)
		wordsRight(t, "the settings page", lang, page)
	}
	if _, page := s.page(c, "GET", "/admin/audit?lang=en", nil); !strings.Contains(page, "Renamed the list") {
		t.Errorf("the audit log does not show the renaming: %s", deskText(page))
	}

	// 2. The editor imports the listing in the console.
	fixture, err := os.ReadFile(itemsFixture)
	if err != nil {
		t.Fatal(err)
	}
	preview := itemsPost(t, c, s.base+"/admin/items/import", url.Values{
		"csrf_token": {s.csrfToken(c, "/admin/items/import")}, "listing": {string(fixture)}})
	imported, err := url.Parse(itemsPost(t, c, preview, url.Values{"csrf_token": {s.csrfToken(c, strings.TrimPrefix(preview, s.base))}}))
	if err != nil || imported.Query().Get("new") == "" || imported.Query().Get("new") == "0" {
		t.Fatalf("the import ended at %v (%v)", imported, err)
	}

	// 3. She fixes a story's title, adds a country by its Spanish name, and
	// picks it for the next edition.
	var upala itemsAPIItem
	for _, it := range itemsAll(s) {
		if strings.Contains(it.Title, "Upala") {
			upala = it
		}
	}
	if upala.ID == 0 {
		t.Fatal("the fixture's Upala story is missing")
	}
	const fixed = "Costa Rica: IOM presents a labour market study for the border canton of Upala"
	edit := url.Values{"csrf_token": {s.csrfToken(c, "/admin/items/"+itoa(upala.ID))}, "title": {fixed},
		"summary": {upala.Summary}, "url": {upala.URL}, "published_on": {upala.PublishedOn},
		"countries": upala.Countries, "regions": upala.Regions, "topics": upala.Topics, "add_countries": {"Nicaragua"}}
	itemsPost(t, c, s.base+"/admin/items/"+itoa(upala.ID), edit)
	itemsPost(t, c, s.base+"/admin/items/"+itoa(upala.ID)+"/pick", url.Values{"csrf_token": {s.csrfToken(c, "/admin/items/"+itoa(upala.ID))}})
	if got := itemsByID(t, itemsAll(s), upala.ID); got.Title != fixed || !strings.Contains(strings.Join(got.Countries, ","), "NI") {
		t.Fatalf("after the fix the story reads %+v", got)
	}

	// 4. A test of the Spanish digest, to herself.
	itemsPost(t, c, s.base+"/admin/editions/test-send", url.Values{"csrf_token": {s.csrfToken(c, "/admin/editions/preview")},
		"countries": {"CR"}, "language": {"es"}, "mode": {"any"}, "to": {editor}})
	test := s.smtp.WaitFor(t, time.Minute, "the test digest", func([]testenv.Received) bool { return len(s.smtp.To(editor)) == 1 })
	test = s.smtp.To(editor)
	deskCheckDigest(t, test[0], "es")
	if subj := subject(test[0]); !strings.HasPrefix(subj, "[TEST] ") {
		t.Errorf("the test's subject %q is not marked", subj)
	}
	if text, _ := bodies(t, test[0].Raw); !strings.Contains(strings.Join(strings.Fields(text), " "), fixed) {
		t.Errorf("the test digest lacks the fixed story")
	}

	// 5. 1,200 readers, a third in each language; 24 addresses the relay
	// refuses for good and 18 it refuses for now.
	var csv strings.Builder
	csv.WriteString("email,countries,topics,language\n")
	langs := []string{"en", "es", "fr"}
	var gone, full []string
	for i := range 1200 {
		addr := fmt.Sprintf("reader-%04d@example.org", i)
		switch {
		case i%50 == 7:
			addr = fmt.Sprintf("gone-%04d@example.org", i)
			gone = append(gone, addr)
		case i%67 == 5:
			addr = fmt.Sprintf("full-%04d@example.org", i)
			full = append(full, addr)
		}
		fmt.Fprintf(&csv, "%s,CR,,%s\n", addr, langs[i%3])
	}
	if status, got := s.importCSV(csv.String()); status != http.StatusOK || got.Imported != 1200 {
		t.Fatalf("import the readers: %d %+v", status, got)
	}

	// 6. Send now, the year 2020, from the Spanish console: the dates are
	// typed as the console writes them, and a date written otherwise is
	// refused naming its field and the form to use.
	status, page := s.page(c, "GET", "/admin/editions/new?lang=es&from=2020-01-01&to=31/12/2020", nil)
	if status != http.StatusUnprocessableEntity || !strings.Contains(deskText(page), "Publicadas hasta: «31/12/2020» no es una fecha (AAAA-MM-DD).") ||
		!regexp.MustCompile(`id="to"[^>]*aria-invalid="true"`).MatchString(page) {
		t.Errorf("a date written day first: %d %s", status, deskText(page))
	}
	status, page = s.page(c, "GET", "/admin/editions/new?lang=es&from=2020-01-01&to=2020-12-31", nil)
	if status != http.StatusOK || !strings.Contains(page, `placeholder="AAAA-MM-DD"`) || strings.Contains(page, `type="date"`) ||
		!strings.Contains(page, `<dd id="plan-subscribers">1200</dd>`) {
		t.Fatalf("send now for 2020: %d %s", status, deskText(page))
	}
	where := itemsPost(t, c, s.base+"/admin/editions", url.Values{"csrf_token": {s.csrfToken(c, "/admin/editions/new")},
		"from": {"2020-01-01"}, "to": {"2020-12-31"}})
	id := editionsIDFromURL(t, where)
	e := deskWaitEdition(s, id, func(e edition) bool { return e.Status == "done" })
	if e.Failed != len(gone)+len(full) || e.Sent != 1200-e.Failed {
		t.Fatalf("the edition: %+v; want %d failed (%d for good, %d for now)", e, len(gone)+len(full), len(gone), len(full))
	}

	// A confirmation whose range holds no story when it is sent (its
	// stories went between the confirmation and the click: hidden, or
	// sent by another edition) shows the confirmation as it is now: no
	// stories, the range to change, the way back; not a page with
	// nothing but the error.
	status, page = s.page(c, "POST", "/admin/editions?lang=en", url.Values{"csrf_token": {s.csrfToken(c, "/admin/editions/new")},
		"from": {"1990-01-01"}, "to": {"1990-01-31"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="plan-refused"`) ||
		!strings.Contains(page, `id="edition-range"`) || !strings.Contains(page, `href="/admin/editions"`) {
		t.Errorf("send now of nothing: %d %s", status, deskText(page))
	}

	// 7. The edition's page tells the failures apart, with the relay's
	// reasons, and offers to retry only the temporary ones.
	_, page = s.page(c, "GET", "/admin/editions/"+itoa(id)+"?lang=en", nil)
	for _, want := range []string{"no such mailbox here", "550", "mailbox full, try again later", "452",
		fmt.Sprintf("Retry the %d temporarily failed", len(full)), gone[0], full[0]} {
		if !strings.Contains(page, want) {
			t.Errorf("the edition's page lacks %q: %s", want, deskText(page))
		}
	}
	// In the Spanish console the reply column holds the relay's reply
	// alone: the sender's own English note is said by the headings.
	if _, es := s.page(c, "GET", "/admin/editions/"+itoa(id)+"?lang=es", nil); strings.Contains(es, "gave up after") ||
		!strings.Contains(es, "<code>452 4.2.2 mailbox full, try again later</code>") {
		t.Errorf("the Spanish edition page's replies: %s", deskText(es))
	}
	for _, kind := range []string{"permanent", "temporary"} {
		if !strings.Contains(page, `id="failed-`+kind+`"`) {
			t.Errorf("the edition's page has no %s failures", kind)
		}
	}

	// 8. The relay takes the full mailboxes again; the retry sends to
	// them alone.
	mu.Lock()
	goneTries := 0
	for _, a := range gone {
		goneTries += tries[a]
	}
	mu.Unlock()
	temporary.Store(false)
	itemsPost(t, c, s.base+"/admin/editions/"+itoa(id)+"/retry", url.Values{"csrf_token": {s.csrfToken(c, "/admin/editions/"+itoa(id))}})
	e = deskWaitEdition(s, id, func(e edition) bool { return e.Status == "done" && e.Failed == len(gone) })
	if e.Sent != 1200-len(gone) {
		t.Errorf("after the retry: %+v", e)
	}
	for _, a := range full {
		if n := len(s.smtp.To(a)); n != 1 {
			t.Errorf("%s got %d digests after the retry, want 1", a, n)
		}
	}
	mu.Lock()
	after := 0
	for _, a := range gone {
		after += tries[a]
	}
	mu.Unlock()
	if after != goneTries {
		t.Errorf("the retry sent again to addresses refused for good (%d tries, were %d)", after, goneTries)
	}
	_, page = s.page(c, "GET", "/admin/editions/"+itoa(id)+"?lang=en", nil)
	if strings.Contains(page, `id="retry"`) || strings.Contains(page, `id="failed-temporary"`) {
		t.Errorf("after the retry the page still offers one: %s", deskText(page))
	}

	// 9. A reader in each language: the digest under the desk's name.
	for lang, i := range map[string]int{"en": 3, "es": 4, "fr": 8} { // i%3 is the language's place
		addr := fmt.Sprintf("reader-%04d@example.org", i)
		got := s.smtp.To(addr)
		if len(got) != 1 {
			t.Errorf("%s (%s) got %d mails", addr, lang, len(got))
			continue
		}
		deskCheckDigest(t, got[0], lang)
	}

	// 10. A new reader signs up in French: the confirmation and the
	// public pages name the list as the desk does.
	const lea = "lea@example.org"
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": lea, "countries": []string{"CR"}, "language": "fr", "mode": "any"},
		nil, http.StatusAccepted)
	s.smtp.WaitFor(t, time.Minute, "the confirmation", func([]testenv.Received) bool { return len(s.smtp.To(lea)) == 1 })
	conf := s.smtp.To(lea)[0]
	if got, want := subject(conf), "Confirmez votre abonnement à "+deskNames["fr"]; got != want {
		t.Errorf("the French confirmation's subject is %q, want %q", got, want)
	}
	if got := deskFromName(t, conf); got != deskNames["fr"] {
		t.Errorf("the French confirmation comes from %q", got)
	}
	for _, lang := range langs {
		if _, page := s.page(s.browser(), "GET", "/?lang="+lang, nil); !strings.Contains(page, html.EscapeString(deskNames[lang])+"</a>") {
			t.Errorf("the %s front page's header does not name the list %q", lang, deskNames[lang])
		}
	}
}

// deskCheckDigest checks a digest in lang carries the desk's name for
// lang: the From line, the header of the mail, its footer's reason, and
// a subject in lang.
func deskCheckDigest(t *testing.T, m testenv.Received, lang string) {
	t.Helper()
	name := deskNames[lang]
	if got := deskFromName(t, m); got != name {
		t.Errorf("a %s digest comes from %q, want %q", lang, got, name)
	}
	if got := m.Header("Content-Language"); got != lang {
		t.Errorf("a %s digest says Content-Language %q", lang, got)
	}
	// The stories are of 2020: not called this week's.
	words := map[string][2]string{"en": {"earlier stor", "new stor"}, "es": {"anterior", "noticias nuevas"},
		"fr": {"antérieur", "nouveaux articles"}}[lang]
	if subj := subject(m); !strings.Contains(subj, words[0]) || strings.Contains(subj, "week") || strings.Contains(subj, "semana") || strings.Contains(subj, "semaine") {
		t.Errorf("a %s digest's subject is %q", lang, subj)
	}
	text, htmlBody := bodies(t, m.Raw)
	if lang == "fr" && (!strings.Contains(text, "Le lire sur le web\u00a0:") || strings.Contains(text, "web:")) {
		t.Errorf("the French text mail's labels lack the space before their colon: %.300s", text)
	}
	if strings.Contains(text, words[1]) {
		t.Errorf("a %s digest of 2020's stories calls them this week's: %.300s", lang, text)
	}
	wordsRight(t, "a digest", lang, htmlBody)
	if !strings.Contains(htmlBody, ">"+html.EscapeString(name)+"</h1>") {
		t.Errorf("a %s digest's header does not name the list %q", lang, name)
	}
	if !strings.HasPrefix(strings.TrimSpace(text), name) || strings.Contains(text, "News Digest\n") {
		t.Errorf("a %s digest's text does not start with %q: %.200s", lang, name, text)
	}
}

// deskFromName is the display name of a mail's From line, decoded.
func deskFromName(t *testing.T, m testenv.Received) string {
	t.Helper()
	a, err := (&mail.AddressParser{}).Parse(m.Header("From"))
	if err != nil {
		t.Fatalf("From %q: %v", m.Header("From"), err)
	}
	if a.Address != "digest@example.org" {
		t.Errorf("From address %q, want MAIL_FROM's", a.Address)
	}
	return a.Name
}

// deskWaitEdition polls an edition until ok holds: a big edition with
// batches retried takes longer than waitEdition allows.
func deskWaitEdition(s *stack, id int64, ok func(edition) bool) edition {
	s.t.Helper()
	deadline := time.Now().Add(4 * time.Minute)
	for {
		var e edition
		s.jsonCall("GET", "/api/v1/editions/"+itoa(id), nil, &e, http.StatusOK)
		if ok(e) {
			return e
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("edition %d: %+v after 4 minutes", id, e)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

var deskTags = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]+>`)

// deskText is a page's words, for failure messages and checks of what a
// person reads.
func deskText(page string) string {
	return html.UnescapeString(strings.Join(strings.Fields(deskTags.ReplaceAllString(page, " ")), " "))
}
