package app_test

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// readerSchedule reads what is stored of an address's schedule: "" when
// it has no row, "desk" when it follows the desk's.
func (s *stack) readerSchedule(conn *pgx.Conn, email string) string {
	s.t.Helper()
	var f, tz *string
	var hour *int16
	var thin bool
	err := conn.QueryRow(s.ctx, `SELECT frequency, timezone, hour, send_thin FROM subscribers WHERE lower(email) = lower($1)`, email).
		Scan(&f, &tz, &hour, &thin)
	if errors.Is(err, pgx.ErrNoRows) {
		return ""
	}
	if err != nil {
		s.t.Fatal(err)
	}
	if f == nil {
		return "desk"
	}
	out := *f + " " + *tz + " " + itoa(int64(*hour))
	if thin {
		out += " thin"
	}
	return out
}

func (s *stack) postPage(b *http.Client, path string, v url.Values) (int, string) {
	s.t.Helper()
	resp, err := b.PostForm(s.base+path, v)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(page)
}

// TestFormAndAPIScheduleFields: the form and the preference centre offer
// how often, the time zone (a select, without script) and the hour; a
// bad value is a 4xx naming the field and writes nothing; good ones are
// stored; a sign-up that gives none follows the desk.
func TestFormAndAPIScheduleFields(t *testing.T) {
	t.Parallel()
	s := startStackBare(t, nil)
	conn := s.dbConn()

	b := s.browser()
	tok := s.csrfToken(b, "/?lang=en")
	_, home := s.do("GET", "/?lang=en", "", nil, false)
	for _, want := range []string{`name="frequency" value="daily"`, `<select id="timezone" name="timezone" data-propose="1"`,
		`<option value="Europe/Madrid">`, `<select id="hour" name="hour"`, `name="send_thin"`, `/static/schedule.js`} {
		if !strings.Contains(string(home), want) {
			t.Errorf("the form lacks %s", want)
		}
	}
	// The zones are named by their cities, in the reader's language.
	for lang, want := range map[string][]string{
		"en": {`<option value="Asia/Tokyo">Tokyo</option>`, `<option value="America/Mexico_City">Mexico City</option>`},
		"es": {`<option value="Asia/Tokyo">Tokio</option>`, `<option value="America/Mexico_City">Ciudad de México</option>`,
			`<option value="America/Havana">La Habana</option>`, `<option value="America/Tegucigalpa">Tegucigalpa</option>`,
			`<option value="America/Managua">Managua</option>`, `<option value="America/El_Salvador">El Salvador</option>`,
			`<option value="America/Belize">Belice</option>`},
		"fr": {`<option value="Europe/London">Londres</option>`, `<option value="America/Havana">La Havane</option>`},
	} {
		_, home := s.do("GET", "/?lang="+lang, "", nil, false)
		for _, w := range want {
			if !strings.Contains(string(home), w) {
				t.Errorf("the %s form lacks %s", lang, w)
			}
		}
	}
	form := func(email, hour, zone, freq string) url.Values {
		return url.Values{"csrf_token": {tok}, "email": {email}, "countries": {"CR"}, "language": {"en"}, "mode": {"any"},
			"frequency": {freq}, "timezone": {zone}, "hour": {hour}}
	}
	status, page := s.postPage(b, "/subscribe?lang=en", form("late@example.org", "25", "Europe/Madrid", "daily"))
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, "Choose an hour from 00:00 to 23:00.") ||
		!strings.Contains(page, `href="#hour"`) {
		t.Errorf("hour 25: %d", status)
	}
	status, _ = s.postPage(b, "/subscribe?lang=en", form("late@example.org", "8", "Mars/Olympus", "daily"))
	if status != http.StatusUnprocessableEntity {
		t.Errorf("unknown zone: %d", status)
	}
	if got := s.readerSchedule(conn, "late@example.org"); got != "" {
		t.Errorf("a refused form wrote %q", got)
	}
	if status, page = s.postPage(b, "/subscribe?lang=en", form("madrid@example.org", "8", "Europe/Madrid", "daily")); status != http.StatusOK {
		t.Fatalf("good form: %d %s", status, page)
	}
	if got := s.readerSchedule(conn, "madrid@example.org"); got != "daily Europe/Madrid 8" {
		t.Errorf("stored %q", got)
	}

	for _, tc := range []struct{ body, field string }{
		{`{"email":"a@example.org","countries":["CR"],"hour":25}`, "hour"},
		{`{"email":"a@example.org","countries":["CR"],"timezone":"Mars/Olympus"}`, "timezone"},
		{`{"email":"a@example.org","countries":["CR"],"frequency":"hourly"}`, "frequency"},
		{`{"email":"a@example.org","countries":["CR"],"hour":"seven"}`, "hour"},
	} {
		status, body := s.do("POST", "/api/v1/subscriptions", "application/json", []byte(tc.body), false)
		if status < 400 || status >= 500 || !strings.Contains(string(body), tc.field) {
			t.Errorf("%s: %d %s, want a 4xx naming %s", tc.body, status, body, tc.field)
		}
	}
	if got := s.readerSchedule(conn, "a@example.org"); got != "" {
		t.Errorf("a refused API call wrote %q", got)
	}
	status, body := s.do("POST", "/api/v1/subscriptions", "application/json",
		[]byte(`{"email":"mx@example.org","countries":["MX"],"timezone":"America/Mexico_City","hour":6,"send_thin":true}`), false)
	if status != http.StatusAccepted {
		t.Fatalf("API sign-up: %d %s", status, body)
	}
	if got := s.readerSchedule(conn, "mx@example.org"); got != "weekly America/Mexico_City 6 thin" {
		t.Errorf("API stored %q", got)
	}
	s.do("POST", "/api/v1/subscriptions", "application/json", []byte(`{"email":"desk@example.org","countries":["CR"]}`), false)
	if got := s.readerSchedule(conn, "desk@example.org"); got != "desk" {
		t.Errorf("a sign-up without a schedule: %q, want the desk's", got)
	}
	// A frequency the desk does not offer is refused.
	if _, err := conn.Exec(s.ctx, `UPDATE schedule_settings SET frequencies = '{weekly}'`); err != nil {
		t.Fatal(err)
	}
	status, body = s.do("POST", "/api/v1/subscriptions", "application/json",
		[]byte(`{"email":"d2@example.org","countries":["CR"],"frequency":"daily"}`), false)
	if status < 400 || status >= 500 || !strings.Contains(string(body), "frequency") {
		t.Errorf("a frequency not offered: %d %s", status, body)
	}

	// The preference centre shows the schedule and changes it.
	var token string
	if err := conn.QueryRow(s.ctx, `UPDATE subscribers SET status = 'active' WHERE email = 'madrid@example.org' RETURNING token`).Scan(&token); err != nil {
		t.Fatal(err)
	}
	ptok := s.csrfToken(b, "/preferences/"+token)
	_, prefs := s.do("GET", "/preferences/"+token, "", nil, false)
	if !strings.Contains(string(prefs), `<option value="Europe/Madrid" selected>`) || !strings.Contains(string(prefs), `<option value="8" selected>`) {
		t.Errorf("the preference centre does not show the reader's zone and hour")
	}
	prefsForm := func(hour string) url.Values {
		return url.Values{"csrf_token": {ptok}, "countries": {"CR"}, "language": {"en"}, "mode": {"any"},
			"frequency": {"weekly"}, "timezone": {"America/Mexico_City"}, "hour": {hour}}
	}
	if status, _ := s.postPage(b, "/preferences/"+token+"?lang=en", prefsForm("24")); status != http.StatusUnprocessableEntity {
		t.Errorf("preferences with hour 24: %d", status)
	}
	if got := s.readerSchedule(conn, "madrid@example.org"); got != "daily Europe/Madrid 8" {
		t.Errorf("a refused preferences form changed the schedule to %q", got)
	}
	if status, page := s.postPage(b, "/preferences/"+token+"?lang=en", prefsForm("9")); status != http.StatusOK {
		t.Fatalf("preferences: %d %s", status, page)
	}
	if got := s.readerSchedule(conn, "madrid@example.org"); got != "weekly America/Mexico_City 9" {
		t.Errorf("preferences stored %q", got)
	}
}
