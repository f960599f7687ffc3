package admin

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestLoginNameMustBeText: a name that is not valid UTF-8, or holds a
// control character, gets the answer an empty name gets (400, "enter
// your user and your password"), before anything is counted, looked up
// or hashed.
func TestLoginNameMustBeText(t *testing.T) {
	t.Parallel()
	lr := newLoginRig(t)
	const ip = "192.0.2.9"
	for _, name := range []string{"x\xff@example.org", "a\x00b", "desk\r\n@example.org", "a\u0085b@example.org", "\xc0\xaf"} {
		w := lr.login(ip, name, "a guess")
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), msg("en", "login_missing")) {
			t.Errorf("user %q: %d, want 400 saying %q: %.300s", name, w.Code, msg("en", "login_missing"), w.Body)
		}
	}
	if n := lr.hashed(); n != 0 {
		t.Errorf("%d passwords hashed for names that are no text", n)
	}
	n, err := lr.console.limiter.counts.Count(context.Background(), lr.console.limiter.counts.Key("login:client", ip))
	if err != nil || n != 0 {
		t.Errorf("the client's tries: %d (%v), want none counted", n, err)
	}
	if w := lr.login(ip, "josé@example.org", "a guess"); w.Code != http.StatusUnauthorized {
		t.Errorf("a name with an accent: %d, want 401", w.Code)
	}
}
