package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestEveryRouteRefusedWithoutAdminSettings: with ADMIN_PASSWORD and
// ADMIN_TOKEN unset the console and the admin API refuse everything
// (DESIGN.md's configuration): every console route of routeRules sends
// to the login, which says the console is off (503), and every admin
// call of the API answers 401, whatever the caller sends.
func TestEveryRouteRefusedWithoutAdminSettings(t *testing.T) {
	t.Parallel()
	s := startStackBare(t, map[string]string{"ADMIN_PASSWORD": "", "ADMIN_TOKEN": ""})
	c := &accessCaller{name: "anyone", lc: newLoginClient(s, ""), bearer: adminToken}
	c.csrfOf(t)
	if resp, _ := c.send(t, "GET", "/admin/login", nil, false); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("GET /admin/login: %d, want 503", resp.StatusCode)
	}
	if resp, _ := c.send(t, "POST", "/admin/login", url.Values{"user": {"admin"}, "password": {adminPassword}}, true); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("POST /admin/login: %d, want 503", resp.StatusCode)
	}
	for r, rule := range routeRules {
		method, path, _ := strings.Cut(r, " ")
		for _, p := range []string{":id", ":draft", ":action"} {
			path = strings.ReplaceAll(path, p, "1")
		}
		switch rule.who {
		case anySession, editRole, peopleRole, ownerOnly:
			if resp, _ := c.send(t, method, path, url.Values{}, true); !toLogin(resp) {
				t.Errorf("%s %s with the console off: %d (Location %q), want the login", method, path, resp.StatusCode, resp.Header.Get("Location"))
			}
		case apiToken:
			for _, bearer := range []string{adminToken, ""} {
				c.bearer = bearer
				if resp, page := c.send(t, method, path, nil, false); resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s %s with ADMIN_TOKEN unset, bearer %q: %d, want 401: %.200s", method, path, bearer, resp.StatusCode, page)
				}
			}
		}
	}
}
