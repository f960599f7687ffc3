package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdigest/internal/dates"
	"newsdigest/internal/i18n"
	"newsdigest/internal/schedule"
)

var (
	pauseForm   = chromedp.CSS(`form#pause`)
	pauseSend   = chromedp.CSS(`form#pause button[type=submit]`)
	resumeSend  = chromedp.CSS(`form#resume button[type=submit]`)
	pausedUntil = chromedp.CSS(`#paused`)
	prefsUnsub  = chromedp.CSS(`a#unsubscribe`)
)

// pauseExport is what the pause test reads of a person's export.
type pauseExport struct {
	PausedUntil *time.Time `json:"paused_until"`
	Consents    []struct{ Action string }
	Deliveries  []struct {
		Edition int64
		Status  string
		Reason  string
	}
}

func (s *stack) pauseExport(prefsURL, addr string) pauseExport {
	s.t.Helper()
	var e pauseExport
	mustJSON(s.t, s.exportJSON(s.exportOf(prefsURL, addr)), &e)
	return e
}

// importStory adds one story about Costa Rica, so the next edition has
// something for the pause test's reader.
func (s *stack) importStory(title string) {
	s.t.Helper()
	listing := time.Now().UTC().Format("2 January, 2006") + "\n\nCosta Rica: " + title +
		"\n\nOfficials from Costa Rica's migration service took part in a workshop.\n"
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true); status != http.StatusOK {
		s.t.Fatalf("import: %d %s", status, body)
	}
}

// A subscriber pauses for two weeks from their preferences: the page says
// until when, an edition skips them with reason "paused", the console's
// JSON shows it, and once the pause has passed the next edition reaches
// them. Pausing again and "Resume now" end it at once; a number of weeks
// out of range is refused and changes nothing; leaving ends with the
// unsubscribed notice. Every page is checked with axe-core in English and
// Spanish.
//
// It takes over 30 s under the race detector: one reader's whole pause
// walked in a browser, each page axe-checked and photographed at two
// widths, with two editions sent between; split, each part would pay for
// the sign-up, the confirmation and the browser again.
func TestPauseSkipsThenResumes(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"DIGEST_TZ": "America/Costa_Rica"})
	b := newBrowser(t, 4*time.Minute)
	client := s.browser()
	const addr = "pausa@example.org"
	if st, body := s.signUp(client, addr, "en"); st != http.StatusOK {
		t.Fatalf("sign up: %d %s", st, body)
	}
	if st, body := s.page(client, "POST", s.confirmPath(addr, 1), nil); st != http.StatusOK {
		t.Fatalf("confirm: %d %s", st, body)
	}
	welcome := s.waitMail(addr, "Welcome to")
	prefsURL := prefsLink.FindString(welcome)
	unsubURL := unsubPageLink.FindString(welcome)
	if prefsURL == "" || unsubURL == "" {
		t.Fatalf("the welcome mail lacks its links:\n%s", welcome)
	}

	// The pause block, in both languages.
	for _, lang := range []string{"es", "en"} {
		b.open(prefsURL+"?lang="+lang, pauseForm)
		b.checkAccessible("preferences with pause " + lang)
	}
	b.shots(t, "preferences-pause")

	// Weeks out of range are refused, and nothing changes.
	tok := strings.TrimPrefix(prefsURL, s.base+"/preferences/")
	for _, weeks := range []string{"0", "9", "two", ""} {
		st, page := s.page(client, "POST", "/preferences/"+tok+"/pause?lang=en", url.Values{"weeks": {weeks}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(page, "Choose a pause of 1 to 8 weeks.") {
			t.Errorf("pause for %q weeks: %d, want 422 saying what to choose", weeks, st)
		}
	}
	if e := s.pauseExport(prefsURL, addr); e.PausedUntil != nil {
		t.Fatalf("after refused pauses the subscriber is paused until %v", e.PausedUntil)
	}

	// Two weeks (the choice offered first).
	b.do("choose two weeks", chromedp.SetValue(chromedp.CSS(`#pause-weeks`), "2"))
	if st := b.submit("pause", pauseSend); st != http.StatusOK {
		t.Fatalf("pause: %d, page says %q", st, b.pageText())
	}
	loc, _ := time.LoadLocation("America/Costa_Rica")
	e := s.pauseExport(prefsURL, addr)
	if e.PausedUntil == nil || e.PausedUntil.Sub(time.Now()) < 13*24*time.Hour || e.PausedUntil.Sub(time.Now()) > 14*24*time.Hour {
		t.Fatalf("paused until %v, want two weeks from now", e.PausedUntil)
	}
	if got, want := b.text("paused until", pausedUntil), "Paused until "+schedule.Date(*e.PausedUntil, loc, "en")+"."; got != want {
		t.Errorf("the page says %q, want %q", got, want)
	}
	b.checkAccessible("preferences while paused")
	b.shots(t, "preferences-paused")
	// Opened again at the address the form answered at (the browser's
	// history, a tab a phone restores), it is the preference centre.
	b.open(s.base+"/preferences/"+tok+"/pause?lang=en#pause-heading", pausedUntil)
	if got, want := b.text("paused until, opened again", pausedUntil), "Paused until "+schedule.Date(*e.PausedUntil, loc, "en")+"."; got != want {
		t.Errorf("opened again, the page says %q, want %q", got, want)
	}
	var list struct {
		Subscribers []struct {
			ID          int64
			Email       string
			PausedUntil *time.Time `json:"paused_until"`
		}
	}
	s.jsonCall("GET", "/api/v1/subscribers?status=active", nil, &list, http.StatusOK)
	if len(list.Subscribers) != 1 || list.Subscribers[0].PausedUntil == nil || !list.Subscribers[0].PausedUntil.Equal(*e.PausedUntil) {
		t.Fatalf("subscriber JSON = %+v, want paused_until %v", list.Subscribers, e.PausedUntil)
	}
	// The list's "paused" (one of DESIGN.md's statuses) finds them.
	var paused struct {
		Subscribers []struct{ Email string }
	}
	s.jsonCall("GET", "/api/v1/subscribers?status=paused", nil, &paused, http.StatusOK)
	if len(paused.Subscribers) != 1 || paused.Subscribers[0].Email != list.Subscribers[0].Email {
		t.Errorf("status=paused lists %+v, want the paused reader alone", paused.Subscribers)
	}
	// The console's page of the person says it too (in DIGEST_TZ, named,
	// as it gives every time).
	b.adminLogin(s.base, "admin", adminPassword)
	b.open(s.base+"/admin/subscribers/"+itoa(list.Subscribers[0].ID), chromedp.CSS(`#subscriber-facts`))
	if got, want := b.text("paused on the console", chromedp.CSS(`#sub-paused`)), e.PausedUntil.In(s.cfg.DigestTZ).Format("2006-01-02 15:04 MST"); got != want {
		t.Errorf("the console says paused until %q, want %q", got, want)
	}
	// Its status is the pause, in the console's language, in the list
	// too; the API's status stays active (above).
	for _, lang := range []string{"en", "es", "fr"} {
		want := fmt.Sprintf(i18n.Text(lang, "console.sub_status_paused_until"), dates.Day(lang, e.PausedUntil.In(s.cfg.DigestTZ)))
		b.open(s.base+"/admin/subscribers/"+itoa(list.Subscribers[0].ID)+"?lang="+lang, chromedp.CSS(`#subscriber-facts`))
		if got := b.text("status on the console", chromedp.CSS(`#sub-status`)); got != want {
			t.Errorf("the person's page (%s) gives the status as %q, want %q", lang, got, want)
		}
		b.open(s.base+"/admin/subscribers?lang="+lang, chromedp.CSS(`#subscribers`))
		if got := b.text("status in the list", chromedp.CSS(`#subscribers tbody td.status-paused`)); got != want {
			t.Errorf("the list (%s) gives the status as %q, want %q", lang, got, want)
		}
	}
	b.shots(t, "console-subscribers-paused")
	b.open(s.base+"/admin/subscribers?lang=en", chromedp.CSS(`#subscribers`))

	// An edition while paused skips them, with the reason.
	s.importStory("IOM trains border officials in San José")
	var first struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", nil, &first, http.StatusAccepted)
	if ed := s.waitEdition(first.ID); ed.Status != "done" || ed.Sent != 0 || ed.Skipped != 1 {
		t.Fatalf("edition while paused = %+v, want done with the one subscriber skipped", ed)
	}
	e = s.pauseExport(prefsURL, addr)
	if len(e.Deliveries) != 1 || e.Deliveries[0].Status != "skipped" || e.Deliveries[0].Reason != "paused" {
		t.Errorf("deliveries while paused = %+v, want one skipped as paused", e.Deliveries)
	}
	b.open(s.base+"/admin/editions/"+itoa(first.ID), chromedp.CSS(`#skip-reasons`))
	if got := b.text("skip reasons", chromedp.CSS(`#skip-reasons`)); got != "paused by the subscriber: 1" {
		t.Errorf("the console's edition page gives the skips as %q", got)
	}

	// The two weeks pass (the stored end is moved back, as time would):
	// the next edition reaches them, with nothing else done.
	s.sqlExec(`UPDATE subscribers SET paused_until = now() - interval '1 minute' WHERE email = $1`, addr)
	s.importStory("New migrant information office opens in Upala")
	var second struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", nil, &second, http.StatusAccepted)
	if ed := s.waitEdition(second.ID); ed.Status != "done" || ed.Sent != 1 {
		t.Fatalf("edition after the pause = %+v, want done with 1 sent", ed)
	}
	onlyDigest(t, s, addr, 1)
	b.open(prefsURL+"?lang=en", pauseForm)

	// Paused again, in Spanish, then "Reanudar ahora".
	b.open(prefsURL+"?lang=es", pauseForm)
	b.do("choose four weeks", chromedp.SetValue(chromedp.CSS(`#pause-weeks`), "4"))
	b.submit("pause in Spanish", pauseSend)
	if got := b.text("paused until in Spanish", pausedUntil); !strings.HasPrefix(got, "En pausa hasta el ") {
		t.Errorf("the Spanish page says %q", got)
	}
	b.checkAccessible("preferences while paused es")
	if st := b.submit("resume", resumeSend); st != http.StatusOK {
		t.Fatalf("resume: %d, page says %q", st, b.pageText())
	}
	if got := b.text("resumed", chromedp.CSS(`#pause-notice`)); got != "Tus boletines vuelven a estar activos." {
		t.Errorf("after resuming the page says %q", got)
	}
	b.do("the pause form is back", chromedp.WaitVisible(pauseForm))
	e = s.pauseExport(prefsURL, addr)
	var actions []string
	for _, c := range e.Consents {
		actions = append(actions, c.Action)
	}
	if e.PausedUntil != nil || strings.Join(actions, ",") != "subscribe,confirm,pause,pause,resume" {
		t.Errorf("after resuming: paused until %v, consents %v", e.PausedUntil, actions)
	}
	var resumed struct {
		Subscribers []struct{ Email string }
	}
	s.jsonCall("GET", "/api/v1/subscribers?status=paused", nil, &resumed, http.StatusOK)
	if len(resumed.Subscribers) != 0 {
		t.Errorf("after resuming, status=paused lists %+v, want nobody", resumed.Subscribers)
	}

	// Leaving, by the preferences page's own link (the welcome says they
	// can leave from there): the mail's unsubscribe page, its notice, and
	// the preferences page saying where they stand, in both languages.
	for _, lang := range []string{"en", "es"} {
		b.open(prefsURL+"?lang="+lang, prefsUnsub)
		if st := b.submit("follow the preferences' unsubscribe link "+lang, prefsUnsub); st != http.StatusOK {
			t.Fatalf("the preferences' unsubscribe link (%s): %d", lang, st)
		}
		b.do("the unsubscribe page "+lang, chromedp.WaitVisible(unsubscribeBtn))
		if got, want := b.currentURL(), unsubURL+"?lang="+lang; got != want {
			t.Errorf("the preferences' unsubscribe link (%s) leads to %s, want %s", lang, got, want)
		}
		b.checkAccessible("unsubscribe page " + lang)
	}
	b.shots(t, "unsubscribe")
	if st := b.submit("unsubscribe", unsubscribeBtn); st != http.StatusOK {
		t.Fatalf("unsubscribe: %d", st)
	}
	if got := b.text("unsubscribed notice", statusMessage); !strings.Contains(got, "No recibirás más boletines") {
		t.Errorf("after unsubscribing the page says %q", got)
	}
	b.checkAccessible("unsubscribed notice es")
	b.shots(t, "unsubscribed")
	// The notice's way back is their preferences page, which offers to
	// sign them up again with the choices they had.
	if got := b.text("the way back", chromedp.CSS(`a#next-link`)); got != "Suscribirme de nuevo" {
		t.Errorf("after unsubscribing the way back reads %q", got)
	}
	if st := b.submit("follow the way back", chromedp.CSS(`a#next-link`)); st != http.StatusOK {
		t.Fatalf("the way back: %d", st)
	}
	b.do("the preferences page offers to subscribe again", chromedp.WaitVisible(`form#resubscribe`))
	if got, want := b.currentURL(), prefsURL+"?lang=es"; got != want {
		t.Errorf("the way back leads to %s, want %s", got, want)
	}
	for _, lang := range []string{"en", "es"} {
		b.open(prefsURL+"?lang="+lang, chromedp.CSS(`form#resubscribe`))
		b.checkAccessible("preferences after leaving " + lang)
	}
	// Someone who left has nothing to pause (409, their status shown).
	if st, page := s.page(client, "POST", "/preferences/"+tok+"/pause?lang=en", url.Values{"weeks": {"2"}}); st != http.StatusConflict ||
		!strings.Contains(page, "You are unsubscribed") {
		t.Errorf("pause after leaving: %d, want 409 with the status", st)
	}
}
