package app_test

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/app"
)

// TestEveryRouteAccess walks every route web registers (gin's Routes, not
// a list kept by hand) as every kind of caller: anonymous, a console
// session that logged out or expired, editors with neither role, with
// "edit and send", "manage subscribers" or both, the owner, the API token
// and a wrong one.
// Each route must be in routeRules, which says who may use it. First
// everything that must be refused, with real records and tokens in the
// paths: the console sends those without a session to the login and
// answers 403 naming the role to those without it; the API answers 401
// without its token; a reader's link opened with another kind of token
// (another reader's, a digest's view token, a confirmation's) is a 404; a
// form posted without its CSRF token is a 403; and the database is as it
// was. Then what is allowed answers as it should, and no page an editor
// who does not manage subscribers may open shows a reader's address.
func TestEveryRouteAccess(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	owner := newLoginClient(s, "")
	if resp, _ := owner.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner login: %d", resp.StatusCode)
	}
	f := newAccessFixture(t, s, owner)
	callers := accessCallers(t, s, owner)

	// What came back about the edition's mail, and its code, is every
	// editor's to see (a block of the sender is theirs to act on); who,
	// and the server's words quoting the address, only for those who
	// manage subscribers.
	for _, c := range []struct {
		caller string
		who    bool
	}{{"edit and send", false}, {"both roles", true}} {
		_, page := named(callers, c.caller).send(t, "GET", "/admin/editions/"+f.edition, nil, false)
		if !strings.Contains(page, `data-kind="blocked"`) || !strings.Contains(page, "5.7.26") {
			t.Errorf("%s: the edition's page does not show what came back", c.caller)
		}
		if got := strings.Contains(page, "unauthenticated sender"); got != c.who {
			t.Errorf("%s: the edition's page shows the server's words: %v, want %v", c.caller, got, c.who)
		}
	}

	// Every registered route has a rule, and every rule a route.
	var routes []string
	for _, r := range app.WebRoutes(t, s.cfg, s.log) {
		routes = append(routes, r.Method+" "+r.Path)
	}
	sort.Strings(routes)
	seen := map[string]bool{}
	for _, r := range routes {
		seen[r] = true
		if _, ok := routeRules[r]; !ok {
			t.Errorf("%s has no rule in routeRules: decide who may use it", r)
		}
	}
	for r := range routeRules {
		if !seen[r] {
			t.Errorf("routeRules has %s, which web does not register", r)
		}
	}

	// What web does not register is a 404 to everyone: the metrics have
	// a listener of their own.
	for _, c := range callers {
		if resp, _ := c.send(t, "GET", "/metrics", nil, false); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: GET /metrics: %d, want 404", c.name, resp.StatusCode)
		}
	}

	before := dbFingerprint(t, s)
	for _, r := range routes {
		rule, ok := routeRules[r]
		if !ok {
			continue
		}
		method, path, _ := strings.Cut(r, " ")
		for _, c := range callers {
			checkRefused(t, c, f, rule, method, path)
		}
		if method == "POST" && !rule.noCSRF {
			// The one who may post it, without the form's token.
			by := named(callers, "owner")
			tok := f.tokens[tokenKind(path)]
			if rule.who == reader {
				by = named(callers, "anonymous")
			}
			if resp, page := by.send(t, method, f.fill(path, tok, ""), url.Values{}, false); resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s without the CSRF token: %d, want 403: %.200s", method, path, resp.StatusCode, page)
			}
		}
	}
	if diff := cmp.Diff(before, dbFingerprint(t, s)); diff != "" {
		t.Errorf("refused requests changed the database (-before +after):\n%s", diff)
	}

	for _, r := range routes {
		rule, ok := routeRules[r]
		if !ok {
			continue
		}
		method, path, _ := strings.Cut(r, " ")
		for _, c := range callers {
			checkAllowed(t, c, f, rule, method, path)
		}
	}
}

// named is the caller called name.
func named(callers []*accessCaller, name string) *accessCaller {
	for _, c := range callers {
		if c.name == name {
			return c
		}
	}
	panic("no caller " + name)
}

// accessCallers are the kinds of caller.
func accessCallers(t *testing.T, s *stack, owner *loginClient) []*accessCaller {
	t.Helper()
	const pw = "a route walker's long passphrase 47"
	console := func(name string, lc *loginClient, may ...audience) *accessCaller {
		c := &accessCaller{name: name, lc: lc, session: true, may: map[audience]bool{anySession: true}}
		for _, a := range may {
			c.may[a] = true
		}
		return c
	}
	editor := func(role string, roles ...string) *loginClient {
		addr := "route." + role + "@example.org"
		addEditor(t, owner, addr, pw, roles...)
		lc := newLoginClient(s, "")
		if resp, _ := lc.login(addr, pw); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login of %s: %d", addr, resp.StatusCode)
		}
		return lc
	}
	// A session that logged out, its cookie kept as a browser might.
	gone := editor("gone", "edit", "subscribers")
	kept := gone.sessionCookie()
	if resp, _ := gone.post("/admin/editors", "/admin/logout", url.Values{}); !toLogin(resp) {
		t.Fatalf("logout: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	gone.setCookie(kept)
	// A session past its expiry, as an idle one is after sessionIdle.
	stale := editor("stale", "edit", "subscribers")
	s.sqlExec(`UPDATE admin_sessions SET expires_at = now() - interval '1 second'
		WHERE editor_id = (SELECT id FROM editors WHERE email = 'route.stale@example.org')`)

	callers := []*accessCaller{
		{name: "anonymous", lc: newLoginClient(s, "")},
		{name: "logged out", lc: gone},
		{name: "expired", lc: stale},
		console("neither role", editor("neither")),
		console("edit and send", editor("edit", "edit"), editRole),
		console("manage subscribers", editor("people", "subscribers"), peopleRole),
		console("both roles", editor("both", "edit", "subscribers"), editRole, peopleRole),
		console("owner", owner, editRole, peopleRole, ownerOnly),
		{name: "API token", lc: newLoginClient(s, ""), bearer: adminToken, may: map[audience]bool{apiToken: true}},
		{name: "wrong API token", lc: newLoginClient(s, ""), bearer: adminToken + "x"},
	}
	for _, c := range callers {
		c.csrfOf(t)
	}
	return callers
}

// roleWords are what a 403 names: the role the owner would have to give.
var roleWords = map[audience]string{editRole: "edit and send", peopleRole: "manage subscribers", ownerOnly: "Only the owner"}

// checkRefused sends c what it must be refused, with real records and
// tokens in the path.
func checkRefused(t *testing.T, c *accessCaller, f *accessFixture, rule routeRule, method, path string) {
	t.Helper()
	switch rule.who {
	case anyone, loginPage:
		return
	case reader:
		kind := tokenKind(path)
		wrong := map[string]string{"made up": "AAAAAAAAAAAAAAAAAAAAAA"}
		for k, tok := range f.tokens {
			if k != kind && !(kind == "prefs" && k == "bobPrefs") {
				wrong[k+" token"] = tok
			}
		}
		form := url.Values{}
		if rule.noCSRF {
			form.Set("List-Unsubscribe", "One-Click")
		}
		for what, tok := range wrong {
			at := f.fill(path, tok, "")
			if resp, page := c.send(t, method, at, form, true); resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %s %s with a %s: %d, want 404: %.200s", c.name, method, at, what, resp.StatusCode, page)
			}
		}
		if kind == "view" {
			other := "/digest/" + f.edition + "0/" + f.tokens["view"]
			if resp, _ := c.send(t, method, other, nil, false); resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s: the view token with another edition, %s: %d, want 404", c.name, other, resp.StatusCode)
			}
		}
		return
	}
	if c.allows(rule.who) {
		return
	}
	at := f.fill(path, "", "")
	if method == "GET" {
		at += f.query(rule.query)
	}
	resp, page := c.send(t, method, at, url.Values{}, true)
	switch {
	case rule.who == apiToken:
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: %s %s: %d, want 401: %.200s", c.name, method, at, resp.StatusCode, page)
		}
	case !c.session:
		if !toLogin(resp) && (method == "GET" || (resp.StatusCode != 401 && resp.StatusCode != 403)) {
			t.Errorf("%s: %s %s: %d (Location %q), want the login", c.name, method, at, resp.StatusCode, resp.Header.Get("Location"))
		}
	case resp.StatusCode != http.StatusForbidden || !strings.Contains(page, roleWords[rule.who]):
		t.Errorf("%s: %s %s: %d, want 403 naming %q: %.200s", c.name, method, at, resp.StatusCode, roleWords[rule.who], page)
	}
}

// query fills a rule's query with the fixture's records.
func (f *accessFixture) query(q string) string {
	return strings.ReplaceAll(q, "{edition}", f.edition)
}

// checkAllowed sends c what it may use and checks the answer; a page c
// may see without managing subscribers shows no reader's address.
func checkAllowed(t *testing.T, c *accessCaller, f *accessFixture, rule routeRule, method, path string) {
	t.Helper()
	if !c.allows(rule.who) || path == "/admin/logout" {
		return // a logout is how the logged-out caller was made
	}
	if rule.who == reader && (c.name != "anonymous" || method != "GET") {
		return // a reader's link is the same whoever holds it; its posts change the reader
	}
	at := f.fill(path, f.tokens[tokenKind(path)], "")
	if method == "GET" || method == "HEAD" {
		at += f.query(rule.query)
	} else if strings.Contains(path, ":id") {
		at = f.fill(path, "", "987654") // names nothing: the guard is passed, nothing is done
	}
	resp, page := c.send(t, method, at, url.Values{}, true)
	want := rule.ok
	switch {
	case path == "/admin/items/import/:draft" && c.name != "owner":
		want = http.StatusNotFound // the owner's draft is the owner's
	case path == "/admin/editors/password" && method == "POST" && c.name == "owner":
		want = http.StatusForbidden // the owner's password is ADMIN_PASSWORD
	}
	switch {
	case want != 0 && resp.StatusCode != want:
		t.Errorf("%s: %s %s: %d, want %d: %.200s", c.name, method, at, resp.StatusCode, want, page)
	case want == 0 && (refusal(resp) != "" || resp.StatusCode >= 500):
		t.Errorf("%s: %s %s: %d (%s), want it done or its fields refused: %.200s", c.name, method, at, resp.StatusCode, refusal(resp), page)
	}
	if method != "GET" || c.may[peopleRole] || c.bearer != "" {
		return
	}
	// What a page may show of the readers: on a reader's link, that
	// reader's address and own links; elsewhere nothing.
	own, ownTokens := "", []string{}
	if rule.who == reader {
		switch tokenKind(path) {
		case "confirm":
			own, ownTokens = accessCarol, []string{"confirm"}
		case "view": // shared by every reader of the digest: no one's
			ownTokens = []string{"view"}
		default:
			own, ownTokens = accessAlice, []string{"prefs", "export", "view"}
		}
	}
	f.showsNothingBut(t, c.name+": "+method+" "+at, page, own, ownTokens...)
	if rule.who == reader && tokenKind(path) == "prefs" {
		// Another reader's link shows that reader's, not alice's.
		at = f.fill(path, f.tokens["bobPrefs"], "")
		resp, page = c.send(t, method, at, nil, false)
		if resp.StatusCode >= 500 || refusal(resp) != "" {
			t.Errorf("%s: %s %s with bob's token: %d", c.name, method, at, resp.StatusCode)
		}
		f.showsNothingBut(t, c.name+": "+method+" "+at, page, accessBob, "bobPrefs")
	}
}

// showsNothingBut fails the test for each reader's address but own, and
// each token but those of the kinds ownTokens, that page shows.
func (f *accessFixture) showsNothingBut(t *testing.T, what, page, own string, ownTokens ...string) {
	t.Helper()
	for _, addr := range f.addresses {
		if addr != own && strings.Contains(strings.ToLower(page), strings.ToLower(addr)) {
			t.Errorf("%s shows %s", what, addr)
		}
	}
	for kind, tok := range f.tokens {
		if !slices.Contains(ownTokens, kind) && strings.Contains(page, tok) {
			t.Errorf("%s shows the %s token", what, kind)
		}
	}
}
