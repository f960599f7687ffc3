package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestOwnScheduleBackToTheDesks: a reader on a schedule of their own can
// go back to the desk's from the preference centre: it says which
// choices are the desk's, and offers the desk's time zone, even one the
// list does not hold; choosing them makes the reader one of the desk's.
func TestOwnScheduleBackToTheDesks(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"DIGEST_TZ": "America/El_Salvador", "DIGEST_CRON": "0 7 * * 1"})
	const addr = "vuelta.redaccion@example.org"
	tok := s.signUpIn(addr, "es", map[string]any{"frequency": "daily", "timezone": "Asia/Tokyo", "hour": 8})
	b := s.browser()
	prefs := "/preferences/" + tok + "?lang=es"
	page := func() string { return s.consoleGet(b, prefs) }
	own := page()
	if !strings.Contains(own, `<option value="America/El_Salvador">El Salvador</option>`) {
		t.Errorf("the preference centre of a reader in Tokyo does not offer the desk's zone, El Salvador")
	}
	const hint = `<p class="hint" id="schedule-desk">Para volver al horario de la redacción, elige «Cada semana, el lunes», «El Salvador» y «07:00».</p>`
	if !strings.Contains(own, hint) {
		_, got, _ := strings.Cut(own, `<fieldset id="fs-schedule">`)
		got, _, _ = strings.Cut(got, `<div class="choices" id="frequency">`)
		t.Errorf("the preference centre does not say which choices are the desk's, want %s; it says:%s", hint, got)
	}

	resp, err := b.PostForm(s.base+"/preferences/"+tok+"?lang=es", url.Values{
		"csrf_token": {s.csrfToken(b, prefs)}, "countries": {"CR"}, "language": {"es"}, "mode": {"any"},
		"frequency": {"weekly"}, "timezone": {"America/El_Salvador"}, "hour": {"7"},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("save the desk's choices: %d", resp.StatusCode)
	}
	// Told only to a reader of their own schedule: now one of the desk's.
	if strings.Contains(page(), `id="schedule-desk"`) {
		t.Errorf("after choosing the desk's schedule the reader keeps one of their own")
	}
}

// TestDailyDeskScheduleOnTheForms: when the desk sends every day, its
// readers' preference centre shows "every day" chosen, as their welcome
// says; one who chooses every week at the desk's hour gets a weekly
// schedule of their own rather than staying on the daily desk's.
func TestDailyDeskScheduleOnTheForms(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"DIGEST_TZ": "America/Costa_Rica", "DIGEST_CRON": "0 7 * * *"})
	tok := s.signUpIn("diaria@example.org", "es", nil)
	b := s.browser()
	prefs := "/preferences/" + tok + "?lang=es"
	page := func() string { return s.consoleGet(b, prefs) }
	if p := page(); !strings.Contains(p, `value="daily" checked`) {
		_, got, _ := strings.Cut(p, `<div class="choices" id="frequency">`)
		got, _, _ = strings.Cut(got, "</div>")
		t.Errorf("a reader of a daily desk sees another frequency chosen:%s", got)
	}
	resp, err := b.PostForm(s.base+prefs, url.Values{
		"csrf_token": {s.csrfToken(b, prefs)}, "countries": {"CR"}, "language": {"es"}, "mode": {"any"},
		"frequency": {"weekly"}, "timezone": {"America/Costa_Rica"}, "hour": {"7"},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if p := page(); !strings.Contains(p, `value="weekly" checked`) || !strings.Contains(p, `id="schedule-desk"`) {
		t.Errorf("after choosing every week the reader is still on the daily desk's schedule")
	}
}
