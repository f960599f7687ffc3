package app_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/dates"
	"newsdigest/internal/schedule"
	"newsdigest/internal/testenv"
)

var welcomeWhen = regexp.MustCompile(`(?s)<dd id="schedule">(.*?)</dd>`)

// TestOwnScheduleOnWelcomeExportAndConsole: a reader who chose their own
// schedule is told, on the welcome page and in the welcome mail, in their
// language, their own next digest on their clock in their zone, not the
// desk's; their data export holds their schedule (null for a reader of
// the desk's); the console's person page shows it, or says the reader
// follows the desk's; erasing the reader clears it.
func TestOwnScheduleOnWelcomeExportAndConsole(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"DIGEST_CRON": "0 7 * * 1", "DIGEST_TZ": "America/Costa_Rica"})
	madrid, _ := time.LoadLocation("Europe/Madrid")
	mexico, _ := time.LoadLocation("America/Mexico_City")
	type reader struct {
		addr, lang, subject string
		form                url.Values
		// when words the next digest for a reader confirming at now.
		when func(now time.Time) string
	}
	readers := []reader{
		{"lector.madrid@example.org", "es", "Te damos la bienvenida",
			url.Values{"frequency": {"daily"}, "timezone": {"Europe/Madrid"}, "hour": {"8"}},
			func(now time.Time) string {
				next := schedule.FirstDue("daily", madrid, 8, time.Monday, now)
				return "Todos los días a las 08:00 (hora de Madrid); el próximo, el " + dates.Weekday("es", next, next.Year() != now.In(madrid).Year())
			}},
		{"reader.mexico@example.org", "en", "Welcome to",
			url.Values{"frequency": {"biweekly"}, "timezone": {"America/Mexico_City"}, "hour": {"6"}, "send_thin": {"1"}},
			func(now time.Time) string {
				next := schedule.FirstDue("biweekly", mexico, 6, time.Monday, now)
				return "Every other Monday at 06:00 (Mexico City time); the next one on " + dates.Weekday("en", next, next.Year() != now.In(mexico).Year())
			}},
		{"reader.desk@example.org", "en", "Welcome to", url.Values{}, func(time.Time) string {
			return "Every Monday at 07:00 (Costa Rica time); the next one on Monday "
		}},
	}
	client := s.browser()
	prefs := map[string]string{}
	for _, r := range readers {
		form := url.Values{"email": {r.addr}, "countries": {"CR"}, "language": {r.lang}, "mode": {"any"}}
		for k, v := range r.form {
			form[k] = v
		}
		if st, body := s.page(client, "POST", "/subscribe?lang="+r.lang, form); st != http.StatusOK {
			t.Fatalf("sign up %s: %d %s", r.addr, st, body)
		}
		before := time.Now()
		st, page := s.page(client, "POST", s.confirmPath(r.addr, 1), nil)
		after := time.Now()
		if st != http.StatusOK {
			t.Fatalf("confirm %s: %d %s", r.addr, st, page)
		}
		// The hour may turn while the page is made: either side is right.
		ok := func(text string) bool {
			text = strings.Join(strings.Fields(text), " ")
			return strings.Contains(text, r.when(before)) || strings.Contains(text, r.when(after))
		}
		m := welcomeWhen.FindStringSubmatch(page)
		if m == nil || !ok(html.UnescapeString(m[1])) {
			t.Errorf("%s: the welcome page says %q, want %q", r.addr, m, r.when(after))
		}
		mail := s.waitMail(r.addr, r.subject)
		if !ok(mail) {
			t.Errorf("%s: the welcome mail does not say %q:\n%s", r.addr, r.when(after), mail)
		}
		prefs[r.addr] = prefsLink.FindString(mail)
	}

	// The export: the schedule as chosen, null for the desk's reader.
	type exported struct {
		Schedule *struct {
			Frequency string     `json:"frequency"`
			Timezone  string     `json:"timezone"`
			Hour      int        `json:"hour"`
			SendThin  bool       `json:"send_thin"`
			NextDueAt *time.Time `json:"next_due_at"`
		} `json:"schedule"`
	}
	for addr, want := range map[string]string{
		readers[0].addr: "daily Europe/Madrid 8 false", readers[1].addr: "biweekly America/Mexico_City 6 true", readers[2].addr: "",
	} {
		// As exportOf, whose check of the page's words is English's.
		if resp, body := privacyGet(t, prefs[addr]+"/export"); resp.StatusCode != http.StatusOK {
			t.Fatalf("ask for %s's export: %d %s", addr, resp.StatusCode, body)
		}
		var links []string
		s.smtp.WaitFor(t, 30*time.Second, "export link to "+addr, func([]testenv.Received) bool {
			links = s.exportLinks(addr)
			return len(links) > 0
		})
		raw := s.exportJSON(links[0])
		var got exported
		mustJSON(t, raw, &got)
		if want == "" {
			var keys map[string]json.RawMessage
			mustJSON(t, raw, &keys)
			if got.Schedule != nil || string(keys["schedule"]) != "null" {
				t.Errorf("%s follows the desk's schedule, but the export says %s", addr, raw)
			}
			continue
		}
		if got.Schedule == nil {
			t.Errorf("%s: the export has no schedule: %s", addr, raw)
			continue
		}
		sc := got.Schedule
		if g := strings.Join([]string{sc.Frequency, sc.Timezone, itoa(int64(sc.Hour)), map[bool]string{true: "true", false: "false"}[sc.SendThin]}, " "); g != want {
			t.Errorf("%s: exported schedule %q, want %q", addr, g, want)
		}
	}

	// The console's person page, in English.
	var list struct {
		Subscribers []struct {
			ID    int64
			Email string
		}
	}
	s.jsonCall("GET", "/api/v1/subscribers?status=active", nil, &list, http.StatusOK)
	ids := map[string]int64{}
	for _, p := range list.Subscribers {
		ids[p.Email] = p.ID
	}
	c := s.consoleLogin()
	scheduleOf := regexp.MustCompile(`(?s)<dd id="sub-schedule">(.*?)</dd>`)
	for addr, want := range map[string][]string{
		readers[0].addr: {"Every day at 08:00 (Madrid time); the next one on ", "Waits for the desk's minimum of stories"},
		readers[1].addr: {"Every other Monday at 06:00 (Mexico City time); the next one on Monday ", "Sends whatever there is"},
		readers[2].addr: {"Follows the desk's schedule: Every Monday at 07:00 (Costa Rica time); the next one on Monday "},
	} {
		m := scheduleOf.FindStringSubmatch(s.consoleGet(c, "/admin/subscribers/"+itoa(ids[addr])))
		if m == nil {
			t.Errorf("%s: the person page shows no schedule", addr)
			continue
		}
		text := html.UnescapeString(m[1])
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the person page's schedule %q lacks %q", addr, text, w)
			}
		}
	}

	// Erasure clears the schedule: a time zone says where a person lives.
	s.jsonCall("POST", "/api/v1/subscribers/"+itoa(ids[readers[0].addr])+"/erase", nil, nil, http.StatusOK)
	conn, err := pgx.Connect(s.ctx, s.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var left string
	if err := conn.QueryRow(s.ctx, `SELECT json_build_array(frequency, timezone, hour, send_thin, next_due_at, window_start)::text
		FROM subscribers WHERE id = $1`, ids[readers[0].addr]).Scan(&left); err != nil {
		t.Fatal(err)
	}
	var cols []any
	if err := json.Unmarshal([]byte(left), &cols); err != nil {
		t.Fatal(err)
	}
	for i, v := range cols {
		if v != nil && v != false {
			t.Errorf("after erasure, schedule column %d holds %v", i, v)
		}
	}
}
