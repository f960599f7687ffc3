package app_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/dates"
	"newsdigest/internal/testenv"
)

// TestReaderScheduleThroughTheWorkerAndConsole: the worker's due check
// (every DUE_CHECK_EVERY) sends a reader due now their digest in a slot;
// the console lists the slot, linked to its edition page, counts the
// readers due in the next 24 hours on the dashboard and the schedules
// page, and saves the desk's settings, refusing a bad one.
func TestReaderScheduleThroughTheWorkerAndConsole(t *testing.T) {
	t.Parallel()
	s := startStackBare(t, map[string]string{"DUE_CHECK_EVERY": "1s"})
	opts := testWorkerOptions()
	opts.DisableScheduling = false
	s.runWorker(s.cfg, opts)
	conn := s.dbConn()
	// The readers' hour is 18 hours on from now: a digest made now (late,
	// off their hour) is followed by the next at that hour, within a day
	// and more than half a day away (schedule.AfterDigest), whatever the
	// time of day the test runs at.
	hour := (time.Now().UTC().Hour() + 18) % 24
	add := func(email, due string, thin bool) {
		t.Helper()
		_, err := conn.Exec(s.ctx, `INSERT INTO subscribers (email, status, countries, token, frequency, timezone, hour, send_thin, next_due_at, confirmed_at)
			VALUES ($1, 'active', '{CR}', md5($1), 'daily', 'UTC', $4, $2, now() + $3::interval, now() - interval '30 days')`, email, thin, due, hour)
		if err != nil {
			t.Fatal(err)
		}
	}
	add("soon@example.org", "3 hours", false)
	add("later@example.org", "3 days", false)
	s.importStories("Costa Rica opens a rail line")
	add("now@example.org", "-1 minute", true)

	s.smtp.WaitFor(t, 60*time.Second, "the slot's digest to now@example.org", func([]testenv.Received) bool {
		return len(s.smtp.To("now@example.org")) == 1
	})
	var next time.Time
	if err := conn.QueryRow(s.ctx, `SELECT next_due_at FROM subscribers WHERE email = 'now@example.org'`).Scan(&next); err != nil {
		t.Fatal(err)
	}
	if next.Hour() != hour || next.Minute() != 0 || !next.After(time.Now()) || next.After(time.Now().Add(24*time.Hour)) {
		t.Errorf("next due %s, want the next %02d:00 UTC", next, hour)
	}
	if n := len(s.smtp.To("soon@example.org")); n != 0 {
		t.Errorf("a reader not yet due got %d messages", n)
	}

	c := s.consoleLogin()
	if home := s.consoleGet(c, "/admin"); !strings.Contains(home, "Readers on a schedule of their own whose digest is due in the next 24 hours: 2") {
		t.Errorf("the dashboard does not count the two readers due within 24 hours (now@ again at %02d:00, soon@)", hour)
	}
	page := s.consoleGet(c, "/admin/schedules")
	slot := regexp.MustCompile(`<tr data-edition="(\d+)">`).FindStringSubmatch(page)
	if slot == nil {
		t.Fatalf("the schedules page lists no slot")
	}
	if !strings.Contains(page, `href="/admin/editions/`+slot[1]+`"`) {
		t.Errorf("the slot is not linked to its edition page")
	}
	ed := s.consoleGet(c, "/admin/editions/"+slot[1])
	if !strings.Contains(ed, "Sent") {
		t.Errorf("the slot's edition page does not show its sending")
	}
	// A slot's page says what it is, not "new since the last edition".
	if ed = html.UnescapeString(ed); !regexp.MustCompile(`a slot at \d{4}-\d\d-\d\d \d\d:\d\d UTC: each reader's stories since their own last digest`).MatchString(ed) ||
		strings.Contains(ed, "new since the last edition") {
		t.Errorf("the slot's edition page does not say it is a slot of each reader's stories since their last digest")
	}
	// The reader's page in the console shows their schedule, their next
	// digest as the worker worked it out.
	var id int64
	if err := conn.QueryRow(s.ctx, `SELECT id FROM subscribers WHERE email = 'now@example.org'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	person := html.UnescapeString(s.consoleGet(c, "/admin/subscribers/"+itoa(id)))
	if want := fmt.Sprintf("Every day at %02d:00 (UTC); the next one on ", hour) + dates.Weekday("en", next.UTC(), false); !strings.Contains(person, want) ||
		!strings.Contains(person, "Sends whatever there is") {
		t.Errorf("the reader's console page does not say %q and that a thin digest goes out", want)
	}

	token := s.csrfToken(c, "/admin/schedules")
	post := func(v url.Values) int {
		t.Helper()
		v.Set("csrf_token", token)
		resp, err := c.PostForm(s.base+"/admin/schedules", v)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := post(url.Values{"frequencies": {"weekly", "daily"}, "min_stories": {"5"}, "wait_days": {"400"}}); st != http.StatusUnprocessableEntity {
		t.Errorf("a wait of 400 days: %d, want 422", st)
	}
	// A mistake names its field as the page labels it, not as the code
	// does ("frequencies: …").
	if st, page := s.postForm(c, "/admin/schedules?lang=en", url.Values{"csrf_token": {token}, "min_stories": {"5"}, "wait_days": {"14"}}); st != http.StatusUnprocessableEntity ||
		!strings.Contains(html.UnescapeString(page), "Frequencies readers may choose: offer at least one") {
		t.Errorf("no frequency offered: %d, the page does not name the field by its label:\n%.2000s", st, page)
	} else if !strings.Contains(page, `<fieldset id="frequencies" aria-describedby="page-error">`) ||
		!regexp.MustCompile(`name="frequencies" value="[a-z]+" aria-invalid="true" autofocus>`).MatchString(page) {
		t.Errorf("no frequency offered: the boxes are not marked and tied to the error:\n%.2000s", page)
	}
	if _, page := s.postForm(c, "/admin/schedules?lang=en", url.Values{"csrf_token": {token}, "frequencies": {"weekly"},
		"min_stories": {"5"}, "wait_days": {"400"}}); !regexp.MustCompile(`id="wait_days"[^>]*aria-invalid="true" aria-describedby="page-error" autofocus`).MatchString(page) {
		t.Errorf("a wait of 400 days: its field is not marked and tied to the error")
	}
	if st := post(url.Values{"frequencies": {"weekly", "daily"}, "min_stories": {"5"}, "wait_days": {"14"}}); st != http.StatusOK {
		t.Errorf("saving settings: %d", st)
	}
	var freqs []string
	var min, wait int
	if err := conn.QueryRow(s.ctx, `SELECT frequencies, min_stories, wait_days FROM schedule_settings`).Scan(&freqs, &min, &wait); err != nil {
		t.Fatal(err)
	}
	if strings.Join(freqs, ",") != "weekly,daily" || min != 5 || wait != 14 {
		t.Errorf("stored settings %v %d %d", freqs, min, wait)
	}
}

// TestSendNowCountsReadersOfTheirOwnSchedule: an edition the desk sends
// now does not go to readers of their own schedule; the page that
// confirms it says how many there are and where their new stories go
// (an edition of a published range: that they do not get it), and when
// every reader keeps their own, that it would go to no one.
func TestSendNowCountsReadersOfTheirOwnSchedule(t *testing.T) {
	t.Parallel()
	s := startStackBare(t, nil)
	conn := s.dbConn()
	add := func(email string, own bool) {
		t.Helper()
		_, err := conn.Exec(s.ctx, `INSERT INTO subscribers (email, status, countries, token, frequency, timezone, hour, confirmed_at)
			VALUES ($1, 'active', '{CR}', md5($1), CASE WHEN $2 THEN 'weekly' END, CASE WHEN $2 THEN 'America/Costa_Rica' END,
			        CASE WHEN $2 THEN 7 END, now() - interval '30 days')`, email, own)
		if err != nil {
			t.Fatal(err)
		}
	}
	add("own1@example.org", true)
	add("own2@example.org", true)
	s.importStories("Costa Rica opens a rail line")
	c := s.consoleLogin()

	// An edition of new stories, and one of a published range, which a
	// reader's own digest never holds.
	const ranged = "/admin/editions/new?from=2000-01-01&to=2100-12-31"
	page := html.UnescapeString(s.consoleGet(c, "/admin/editions/new"))
	if !strings.Contains(page, "Every active reader keeps a schedule of their own, so this edition would go to no one: each gets new stories, and those an editor picks, in their own digest") ||
		strings.Contains(page, `id="edition-confirm"`) {
		t.Errorf("with every reader on their own schedule, the send-now page does not say it would go to no one, or offers to send")
	}
	page = html.UnescapeString(s.consoleGet(c, ranged))
	if !strings.Contains(page, "an edition of a published range goes only to readers of the desk's schedule: this one would go to no one") ||
		strings.Contains(page, "own digest") {
		t.Errorf("for a published range, the page does not say its stories reach no reader of their own schedule")
	}
	add("desk@example.org", false)
	page = html.UnescapeString(s.consoleGet(c, "/admin/editions/new"))
	if !strings.Contains(page, "2 more readers keep a schedule of their own and are not in this edition: they get new stories, and those an editor picks, in their own digest") ||
		!regexp.MustCompile(`id="plan-subscribers">1<`).MatchString(page) || !strings.Contains(page, `id="edition-confirm"`) {
		t.Errorf("the send-now page does not offer the desk's one reader and count the two of their own schedule")
	}
	page = html.UnescapeString(s.consoleGet(c, ranged))
	if !strings.Contains(page, "2 more readers keep a schedule of their own and are not in this edition: an edition of a published range goes only to readers of the desk's schedule.") {
		t.Errorf("for a published range, the page does not say the two readers of their own schedule will not get it")
	}
}
