package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// loginClient is one HTTP client at the console, as a browser at some IP
// would be (X-Forwarded-For counts when the stack trusts loopback).
type loginClient struct {
	s      *stack
	c      *http.Client
	ip     string
	token  string // the login form's CSRF token
	cookie []*http.Cookie
	origin string // sent as Origin, for a console behind https
}

func newLoginClient(s *stack, ip string) *loginClient {
	lc := &loginClient{s: s, ip: ip, c: &http.Client{Timeout: requestTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	return lc
}

// request sends one request with the client's cookies (kept by hand, so
// Secure cookies go over the test's plain HTTP too) and reads the answer.
func (lc *loginClient) request(method, path string, form url.Values) (*http.Response, string) {
	lc.s.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, lc.s.base+path, body)
	if err != nil {
		lc.s.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if lc.ip != "" {
		req.Header.Set("X-Forwarded-For", lc.ip)
	}
	if lc.origin != "" {
		req.Header.Set("Origin", lc.origin)
	}
	for _, ck := range lc.cookie {
		req.AddCookie(ck)
	}
	resp, err := lc.c.Do(req)
	if err != nil {
		lc.s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, ck := range resp.Cookies() {
		lc.setCookie(ck)
	}
	return resp, string(b)
}

func (lc *loginClient) setCookie(ck *http.Cookie) {
	kept := lc.cookie[:0]
	for _, old := range lc.cookie {
		if old.Name != ck.Name {
			kept = append(kept, old)
		}
	}
	lc.cookie = kept
	if ck.MaxAge >= 0 && ck.Value != "" {
		lc.cookie = append(lc.cookie, &http.Cookie{Name: ck.Name, Value: ck.Value})
	}
}

// formToken reads the CSRF token of the form on a console page.
func (lc *loginClient) formToken(path string) string {
	lc.s.t.Helper()
	resp, page := lc.request("GET", path, nil)
	m := csrfField.FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		lc.s.t.Fatalf("GET %s: %d, no csrf_token: %.300s", path, resp.StatusCode, page)
	}
	return m[1]
}

// login posts the login form; it returns the answer.
func (lc *loginClient) login(user, password string) (*http.Response, string) {
	lc.s.t.Helper()
	if lc.token == "" {
		lc.token = lc.formToken("/admin/login")
	}
	return lc.request("POST", "/admin/login", url.Values{"csrf_token": {lc.token}, "user": {user}, "password": {password}})
}

// post sends a console form from a page the client is allowed to see.
func (lc *loginClient) post(page, action string, form url.Values) (*http.Response, string) {
	lc.s.t.Helper()
	form.Set("csrf_token", lc.formToken(page))
	return lc.request("POST", action, form)
}

// sessionLive reports whether the client's session still opens a page.
func (lc *loginClient) sessionLive(path string) bool {
	lc.s.t.Helper()
	resp, _ := lc.request("GET", path, nil)
	switch {
	case resp.StatusCode == http.StatusOK:
		return true
	case resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(resp.Header.Get("Location"), "/admin/login"):
		return false
	}
	lc.s.t.Fatalf("GET %s: %d (Location %q): neither the page nor the login", path, resp.StatusCode, resp.Header.Get("Location"))
	return false
}

func (lc *loginClient) sessionCookie() *http.Cookie {
	for _, ck := range lc.cookie {
		if ck.Name == "nd_admin" {
			return ck
		}
	}
	return nil
}

// wantLimited checks a login answer is the limiter's 429 with a
// Retry-After of at most the window.
func wantLimited(t *testing.T, what string, resp *http.Response, page string) {
	t.Helper()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("%s: status %d, want 429: %.300s", what, resp.StatusCode, page)
	}
	secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || secs < 1 || secs > 60 {
		t.Errorf("%s: Retry-After %q, want 1..60 seconds", what, resp.Header.Get("Retry-After"))
	}
}

// TestAdminLoginLimits: a client (an IPv4 address, or an IPv6 /64 as
// sign-ups count them) may try ten passwords a minute, counted before
// they are checked; past them the next try gets 429 with Retry-After,
// even with the right password, and only that client. An account guessed
// at from many clients is never locked: each client then gets three tries
// at it, its owner still signs in from their own client, and the owner's
// dashboard says the account is under attack.
func TestAdminLoginLimits(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"TRUSTED_PROXIES": "127.0.0.1/32"})

	// A spread attack on the owner's account: ten wrong passwords from
	// ten addresses.
	for i := 1; i <= 10; i++ {
		resp, page := newLoginClient(s, "198.51.100."+strconv.Itoa(i)).login("admin", "wrong password "+strconv.Itoa(i))
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password %d for admin: status %d, want 401: %.300s", i, resp.StatusCode, page)
		}
	}
	owner := newLoginClient(s, "192.0.2.10")
	if resp, page := owner.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the owner, from their own address, during the attack: %d, want 303: %.300s", resp.StatusCode, page)
	}
	// Each attacking client now has three tries at the account.
	attacker := newLoginClient(s, "198.51.100.50")
	for i := 1; i <= 3; i++ {
		if resp, page := attacker.login("admin", "guess "+strconv.Itoa(i)); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attacker's try %d: %d, want 401: %.300s", i, resp.StatusCode, page)
		}
	}
	resp, page := attacker.login("admin", "guess 4")
	if secs, _ := strconv.Atoi(resp.Header.Get("Retry-After")); resp.StatusCode != http.StatusTooManyRequests || secs < 60 || secs > 900 {
		t.Fatalf("an attacking client's fourth try at an account under attack: %d, Retry-After %q; want 429 and 60..900 seconds: %.300s",
			resp.StatusCode, resp.Header.Get("Retry-After"), page)
	}
	if resp, page := newLoginClient(s, "192.0.2.11").login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the owner from another address, still under attack: %d, want 303: %.300s", resp.StatusCode, page)
	}
	resp, page = owner.request("GET", "/admin", nil)
	row := regexp.MustCompile(`<tr data-account="admin">.*?</tr>`).FindString(page)
	if resp.StatusCode != http.StatusOK || !strings.Contains(row, `data-state="slowed"`) ||
		!regexp.MustCompile(`data-figure="failures">1[34]<`).MatchString(row) {
		t.Errorf("the owner's dashboard does not show the attack on admin (13 wrong passwords, slowed): %d %q", resp.StatusCode, row)
	}

	// Per client: ten wrong passwords for ten accounts from one address.
	const ip = "203.0.113.9"
	for i := 1; i <= 10; i++ {
		resp, page := newLoginClient(s, ip).login("guess"+strconv.Itoa(i)+"@example.org", "wrong password")
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password %d from %s: status %d, want 401: %.300s", i, ip, resp.StatusCode, page)
		}
	}
	resp, page = newLoginClient(s, ip).login("admin", adminPassword)
	wantLimited(t, "the right password from a blocked IP", resp, page)
	if !strings.Contains(page, "Too many wrong passwords") {
		t.Errorf("the 429 page does not say why: %.500s", page)
	}
	if resp, _ := newLoginClient(s, "203.0.113.10").login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the owner from another IP: %d, want 303", resp.StatusCode)
	}

	// An IPv6 client is its /64: each try from another address in it
	// counts against the same allowance.
	for i := 1; i <= 10; i++ {
		resp, page := newLoginClient(s, fmt.Sprintf("2001:db8:5:6::%x", i)).login("v6guess@example.org", "wrong password")
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password %d from the /64: status %d, want 401: %.300s", i, resp.StatusCode, page)
		}
	}
	resp, page = newLoginClient(s, "2001:db8:5:6:ffff:1:2:3").login("admin", adminPassword)
	wantLimited(t, "the right password from another address in a blocked /64", resp, page)
	if resp, page := newLoginClient(s, "2001:db8:5:7::1").login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the owner from another /64: %d, want 303: %.300s", resp.StatusCode, page)
	}
}

// TestAdminOwnerSessionsEndWithPassword: a web process started with
// another ADMIN_PASSWORD, against the same database, refuses the owner
// sessions opened with the old one; and the session cookie is Secure
// when BASE_URL is https.
func TestAdminOwnerSessionsEndWithPassword(t *testing.T) {
	t.Parallel()
	before := startWeb(t, map[string]string{"ADMIN_PASSWORD": adminPassword})
	owner := newLoginClient(before.stack, "")
	if resp, page := owner.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner login: %d: %.300s", resp.StatusCode, page)
	}
	if !owner.sessionLive("/admin/audit") {
		t.Fatal("the owner's new session does not open /admin/audit")
	}

	const changed = "a changed owner passphrase 71d2"
	after := startWeb(t, map[string]string{
		"ADMIN_PASSWORD": changed, "DATABASE_URL": before.cfg.DatabaseURL, "REDIS_URL": before.cfg.RedisURL,
		"BASE_URL": "https://console.example.org",
	})
	replay := newLoginClient(after.stack, "")
	replay.cookie = []*http.Cookie{owner.sessionCookie()}
	if replay.sessionLive("/admin/audit") {
		t.Fatal("after ADMIN_PASSWORD changed, the old owner session still opens the console")
	}
	if !owner.sessionLive("/admin/audit") {
		t.Fatal("the process with the old password refuses its own session: the refusal above proves nothing")
	}

	// The new password logs in; the cookie is Secure under an https BASE_URL.
	fresh := newLoginClient(after.stack, "")
	fresh.origin = "https://" + strings.TrimPrefix(after.base, "http://")
	if resp, _ := fresh.login("admin", adminPassword); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the old password on the new process: %d, want 401", resp.StatusCode)
	}
	resp, page := fresh.login("admin", changed)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login with the new password: %d: %.300s", resp.StatusCode, page)
	}
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "nd_admin" {
			session = ck
		}
	}
	if session == nil || !session.Secure || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/admin" {
		t.Errorf("session cookie under https BASE_URL: %+v, want Secure, HttpOnly, SameSite=Lax, Path=/admin", session)
	}

	// Without ADMIN_PASSWORD the console is off altogether.
	off := startWeb(t, map[string]string{"DATABASE_URL": before.cfg.DatabaseURL, "REDIS_URL": before.cfg.RedisURL})
	offClient := newLoginClient(off.stack, "")
	offClient.cookie = []*http.Cookie{owner.sessionCookie()}
	if offClient.sessionLive("/admin/audit") {
		t.Error("with ADMIN_PASSWORD unset, an owner session still opens the console")
	}
	resp, page = offClient.request("GET", "/admin/login", nil)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page, "ADMIN_PASSWORD is not set") {
		t.Errorf("login page with ADMIN_PASSWORD unset: %d: %.300s", resp.StatusCode, page)
	}
}

// browserCookie returns the console session cookie the browser holds.
func (b *browserSession) sessionCookieOf(base string) *network.Cookie {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.Action[*network.GetCookiesResult](
		func(ctx context.Context, t *chromedp.Target) (*network.GetCookiesResult, error) {
			r, err := cdp.Call(ctx, t, network.GetCookies, network.GetCookiesParams{URLs: []string{base + "/admin"}})
			return &r, err
		}))
	if err != nil {
		b.t.Fatalf("read cookies: %v", err)
	}
	for _, ck := range res.Cookies {
		if ck.Name == "nd_admin" {
			return ck
		}
	}
	return nil
}

// TestBrowserAdminLoginLogout: a console page without a session sends
// the browser to the login and, once logged in, back to the page; a
// wrong password repeated gets 429 in the browser too; logging out ends
// the session on the server (its cookie, replayed, opens nothing).
func TestBrowserAdminLoginLogout(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"TRUSTED_PROXIES": "127.0.0.1/32"})
	b := newBrowser(t, 4*time.Minute)

	for _, path := range []string{"/admin", "/admin/", "/admin/audit?actor=admin", "/admin/queues"} {
		b.open(s.base+path, loginForm)
		if u := b.currentURL(); !strings.HasPrefix(u, s.base+"/admin/login") {
			t.Errorf("%s without a session shows %s, want the login", path, u)
		}
	}
	b.checkAccessible("login page")
	b.shots(t, "login")

	// The browser's own wrong passwords, from an address of its own.
	b.do("appear as another client", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
			Headers: network.Headers{"X-Forwarded-For": "192.0.2.77"}})
		return err
	}))
	for i := 1; i <= 10; i++ {
		if st := b.adminLogin(s.base, "nobody@example.org", "not the password"); st != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: status %d, want 401: %s", i, st, b.pageText())
		}
	}
	if msg := b.text("login error", chromedp.CSS(`#login-error`)); !strings.Contains(msg, "Wrong user or password") {
		t.Errorf("after a wrong password the page says %q", msg)
	}
	if st := b.adminLogin(s.base, "admin", adminPassword); st != http.StatusTooManyRequests {
		t.Fatalf("11th attempt: status %d, want 429: %s", st, b.pageText())
	}
	if msg := b.text("limit message", chromedp.CSS(`#login-error`)); !strings.Contains(msg, "Too many wrong passwords") {
		t.Errorf("the 429 page says %q", msg)
	}
	b.checkAccessible("login page refusing")
	b.do("back to the browser's own address", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{}})
		return err
	}))

	// Log in from a page's redirect: back to that page.
	b.open(s.base+"/admin/audit?actor=admin", loginForm)
	b.do("fill the login form", chromedp.SetValue(loginUser, "admin"), chromedp.SetValue(loginPass, adminPassword))
	if st := b.submit("log in", loginSend); st != http.StatusOK {
		t.Fatalf("login: status %d: %s", st, b.pageText())
	}
	if u := b.currentURL(); u != s.base+"/admin/audit?actor=admin" {
		t.Errorf("after logging in the browser shows %s, want the page it asked for", u)
	}
	ck := b.sessionCookieOf(s.base)
	if ck == nil {
		t.Fatal("no nd_admin cookie after logging in")
	}
	if !ck.HTTPOnly || ck.SameSite != network.CookieSameSiteLax || ck.Path != "/admin" || ck.Secure {
		t.Errorf("session cookie: HttpOnly %v, SameSite %q, Path %q, Secure %v; want true, Lax, /admin, false (BASE_URL is http)",
			ck.HTTPOnly, ck.SameSite, ck.Path, ck.Secure)
	}
	replay := newLoginClient(s, "")
	replay.cookie = []*http.Cookie{{Name: "nd_admin", Value: ck.Value}}
	if !replay.sessionLive("/admin") {
		t.Fatal("the browser's session cookie, replayed, does not open the dashboard")
	}

	// Logging in again, over a live session, gets a new token and ends
	// the old one: a token planted before a login is worth nothing.
	again := newLoginClient(s, "")
	if resp, _ := again.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("HTTP login: %d", resp.StatusCode)
	}
	first := again.sessionCookie().Value
	if resp, _ := again.login("admin", adminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second HTTP login: %d", resp.StatusCode)
	}
	if again.sessionCookie().Value == first {
		t.Error("logging in again kept the session token")
	}
	planted := newLoginClient(s, "")
	planted.cookie = []*http.Cookie{{Name: "nd_admin", Value: first}}
	if planted.sessionLive("/admin") {
		t.Error("the session before the second login still works")
	}
	if !again.sessionLive("/admin") {
		t.Error("the second login's session does not work")
	}

	// Log out: the session ends on the server, not only in the browser.
	ck = b.sessionCookieOf(s.base)
	replay.cookie = []*http.Cookie{{Name: "nd_admin", Value: ck.Value}}
	b.open(s.base+"/admin", logoutSend)
	if st := b.submit("log out", logoutSend); st != http.StatusOK {
		t.Fatalf("logout: %d", st)
	}
	if u := b.currentURL(); !strings.HasPrefix(u, s.base+"/admin/login") {
		t.Errorf("after logging out the browser shows %s", u)
	}
	if replay.sessionLive("/admin") {
		t.Error("the cookie of a logged-out session still opens the dashboard")
	}
	b.open(s.base+"/admin/queues", loginForm)
}
