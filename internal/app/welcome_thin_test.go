package app_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestWelcomeMailSaysWhetherAThinDigestWaits: the welcome mail of a
// reader of their own schedule says what a short digest (fewer stories
// than the desk's minimum, 3 unless it changed it) does, as they chose
// it when they signed up; a reader of the desk's schedule is told
// nothing of it.
func TestWelcomeMailSaysWhetherAThinDigestWaits(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	for _, r := range []struct {
		addr, lang, subject string
		extra               map[string]any
		want, not           string
	}{
		{"espera@example.org", "es", "Te damos la bienvenida", map[string]any{"frequency": "daily", "timezone": "America/Costa_Rica", "hour": 6},
			"Si hay menos de 3 noticias, tu boletín puede esperar a que haya más, hasta 28 días.", "Llega aunque"},
		{"envoi@example.org", "fr", "Bienvenue", map[string]any{"frequency": "weekly", "timezone": "America/Port-au-Prince", "hour": 9, "send_thin": true},
			"Votre bulletin part même s’il y a moins de 3 articles.", "peut attendre"},
		{"desk@example.org", "en", "Welcome", nil, "", "fewer than"},
	} {
		sub := map[string]any{"email": r.addr, "countries": []string{"CR"}, "language": r.lang}
		for k, v := range r.extra {
			sub[k] = v
		}
		s.jsonCall("POST", "/api/v1/subscriptions", sub, nil, http.StatusAccepted)
		if st, body := s.page(s.browser(), "POST", s.confirmPath(r.addr, 1), nil); st != http.StatusOK {
			t.Fatalf("confirm %s: %d %s", r.addr, st, body)
		}
		text := strings.Join(strings.Fields(s.waitMail(r.addr, r.subject)), " ")
		if r.want != "" && !strings.Contains(text, r.want) {
			t.Errorf("%s: the welcome mail does not say %q:\n%s", r.addr, r.want, text)
		}
		if strings.Contains(text, r.not) {
			t.Errorf("%s: the welcome mail says %q:\n%s", r.addr, r.not, text)
		}
	}
}

// TestThinDigestWordsFollowTheDesksRule: what the sign-up form, the
// confirmation page and the welcome say of a short digest is the desk's
// rule as the console last saved it (a minimum of stories, a most days
// to wait); when no digest ever waits (a minimum of one), the form does
// not ask and nothing is said.
func TestThinDigestWordsFollowTheDesksRule(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	c := s.consoleLogin()
	save := func(min, wait string) {
		t.Helper()
		v := url.Values{"frequencies": {"weekly", "daily"}, "min_stories": {min}, "wait_days": {wait},
			"csrf_token": {s.csrfToken(c, "/admin/schedules")}}
		resp, err := c.PostForm(s.base+"/admin/schedules", v)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("saving a minimum of %s stories and %s days: %d", min, wait, resp.StatusCode)
		}
	}
	signUp := func(addr string) string {
		t.Helper()
		s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": addr, "countries": []string{"CR"},
			"frequency": "daily", "timezone": "America/Costa_Rica", "hour": 6}, nil, http.StatusAccepted)
		_, page := s.page(s.browser(), "GET", s.confirmPath(addr, 1), nil)
		return html.UnescapeString(page)
	}

	save("6", "14")
	_, form := s.page(s.browser(), "GET", "/?lang=en", nil)
	if !strings.Contains(html.UnescapeString(form), "Send it even when there are fewer than 6 stories") {
		t.Errorf("the sign-up form does not ask about fewer than the desk's 6 stories")
	}
	if page := signUp("six@example.org"); !strings.Contains(page, "When there are fewer than 6 stories, it may wait for more, up to 14 days.") {
		t.Errorf("the confirmation page does not say a digest of fewer than 6 stories waits up to 14 days:\n%s", page)
	}
	if st, body := s.page(s.browser(), "POST", s.confirmPath("six@example.org", 1), nil); st != http.StatusOK {
		t.Fatalf("confirm: %d %s", st, body)
	}
	if text := strings.Join(strings.Fields(s.waitMail("six@example.org", "Welcome")), " "); !strings.Contains(text, "When there are fewer than 6 stories, it may wait for more, up to 14 days.") {
		t.Errorf("the welcome does not say a digest of fewer than 6 stories waits up to 14 days:\n%s", text)
	}

	save("6", "1")
	if page := signUp("day@example.org"); !strings.Contains(page, "When there are fewer than 6 stories, it may wait for more, up to 1 day.") {
		t.Errorf("the confirmation page does not count one day of waiting as one:\n%s", page)
	}

	save("1", "14")
	_, form = s.page(s.browser(), "GET", "/?lang=en", nil)
	if strings.Contains(form, `name="send_thin"`) || strings.Contains(form, "fewer than") {
		t.Errorf("with no digest ever waiting, the sign-up form still asks whether to send a short one")
	}
	if page := signUp("one@example.org"); strings.Contains(page, "fewer than") || strings.Contains(page, "wait for more") {
		t.Errorf("with no digest ever waiting, the confirmation page says one may:\n%s", page)
	}
}
