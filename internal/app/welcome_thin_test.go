package app_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestWelcomeMailSaysWhetherAThinDigestWaits: the welcome mail of a
// reader of their own schedule says what a digest of one or two stories
// does, as they chose it when they signed up; a reader of the desk's
// schedule is told nothing of it.
func TestWelcomeMailSaysWhetherAThinDigestWaits(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	for _, r := range []struct {
		addr, lang, subject string
		extra               map[string]any
		want, not           string
	}{
		{"espera@example.org", "es", "Te damos la bienvenida", map[string]any{"frequency": "daily", "timezone": "America/Costa_Rica", "hour": 6},
			"puede esperar a que haya más", "Llega aunque"},
		{"envoi@example.org", "fr", "Bienvenue", map[string]any{"frequency": "weekly", "timezone": "America/Port-au-Prince", "hour": 9, "send_thin": true},
			"Votre bulletin part même s’il n’y a qu’un ou deux articles.", "peut attendre"},
		{"desk@example.org", "en", "Welcome", nil, "", "one or two stories"},
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
