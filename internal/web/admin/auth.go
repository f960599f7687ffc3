package admin

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/staff"
)

const (
	sessionCookie = "nd_admin"
	// A session ends after sessionIdle without a request, and after
	// sessionMaxAge whatever happens.
	sessionIdle   = 12 * time.Hour
	sessionMaxAge = 7 * 24 * time.Hour
	// touchEvery spares the database a write on every request.
	touchEvery = time.Minute
)

// user is who is logged in.
type user struct {
	Name     string       // "admin", or the editor's email
	EditorID int64        // 0 for the owner
	Roles    domain.Roles // what they may do: all for the owner
	token    []byte       // the session's token hash
}

// Owner reports whether the user is the built-in owner, who alone
// manages editors.
func (u *user) Owner() bool { return u.EditorID == 0 }

const userKey = "admin.user"

// currentUser is the user requireSession found.
func currentUser(c *gin.Context) *user {
	u, _ := c.Get(userKey)
	usr, _ := u.(*user)
	return usr
}

func hashToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// requireSession lets through requests with a live session, and sends
// anything else to the login page, remembering where it was going.
func (a *Console) requireSession(c *gin.Context) {
	u, err := a.session(c)
	if err != nil {
		if !errs.Is(err, errs.NotFound) {
			a.failErr(c, err)
			return
		}
		q := url.Values{}
		next := c.Request.URL.RequestURI()
		if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
			// A change sent after the session ended is not made: the
			// login says so, and leads back to the page it came from.
			q.Set("ended", "1")
			next = refererPath(c, a.Config.BaseURL)
		}
		if next = safeNext(next); next != "" && next != "/admin" {
			q.Set("next", next)
		}
		target := "/admin/login"
		if len(q) > 0 {
			target += "?" + q.Encode()
		}
		c.Redirect(http.StatusSeeOther, target)
		c.Abort()
		return
	}
	c.Set(userKey, u)
	c.Next()
}

// session finds the request's session; errs.NotFound when it has none
// that is still good.
func (a *Console) session(c *gin.Context) (*user, error) {
	tok, err := c.Cookie(sessionCookie)
	if err != nil || len(tok) != 52 || a.Config.AdminPassword == "" {
		return nil, errs.ErrNotFound
	}
	ctx := c.Request.Context()
	h := hashToken(tok)
	s, err := a.Staff.Session(ctx, h)
	if err != nil {
		return nil, err
	}
	u := &user{Name: s.Email, EditorID: s.EditorID, Roles: s.Roles, token: h}
	if s.EditorID == 0 {
		// Opened with another ADMIN_PASSWORD: the password was changed.
		if subtle.ConstantTimeCompare(s.OwnerKey, a.ownerKey) != 1 {
			return nil, errs.ErrNotFound
		}
		u.Name, u.Roles = domain.OwnerAccount, domain.AllRoles
	}
	if time.Since(s.LastSeenAt) > touchEvery {
		if err := a.Staff.TouchSession(ctx, h, sessionIdle, sessionMaxAge); err != nil {
			a.Log.Warn("session not extended", "err", err)
		}
	}
	return u, nil
}

func (a *Console) loginPage(c *gin.Context) {
	lang := pageLang(c)
	d := loginData{Next: safeNext(c.Query("next")), Ended: c.Query("ended") == "1"}
	if a.Config.AdminPassword == "" {
		d.Error = msg(lang, "login_disabled")
		a.render(c, http.StatusServiceUnavailable, "login", page{Title: msg(lang, "login_title"), Data: d})
		return
	}
	if u, err := a.session(c); err == nil && u != nil {
		c.Redirect(http.StatusSeeOther, cmp.Or(d.Next, "/admin"))
		return
	}
	a.render(c, http.StatusOK, "login", page{Title: msg(lang, "login_title"), Data: d})
}

type loginData struct {
	User, Next, Error string
	Ended             bool // the session ended before a change was sent
}

// loginPost checks a user and password. The try is counted before the
// password is looked at (the limiter's counter is the gate, so a burst
// cannot slip through before it is counted), and an editor's password is
// hashed only when a hashing slot is free; past either, the answer comes
// at once (429 or 503) without hashing anything. The owner's password is
// compared, not hashed, so it needs no slot: a flood of editor names that
// keeps every slot busy cannot keep the owner out.
func (a *Console) loginPost(c *gin.Context) {
	lang := pageLang(c)
	name := strings.TrimSpace(c.PostForm("user"))
	pw := c.PostForm("password")
	d := loginData{User: name, Next: safeNext(c.PostForm("next"))}
	ctx := c.Request.Context()
	if a.Config.AdminPassword == "" {
		d.Error = msg(lang, "login_disabled")
		a.render(c, http.StatusServiceUnavailable, "login", page{Title: msg(lang, "login_title"), Data: d})
		return
	}
	plain := plainName(name)
	if !plain {
		d.User = "" // not shown back: it is no name anyone has
	}
	if name == "" || pw == "" || len(name) > 320 || len(pw) > 1024 || !plain {
		d.Error = msg(lang, "login_missing")
		a.render(c, http.StatusBadRequest, "login", page{Title: msg(lang, "login_title"), Data: d})
		return
	}
	account := loginAccount(name)
	ticket, wait, err := a.limiter.admit(ctx, c.ClientIP(), account)
	if err != nil {
		a.failErr(c, err)
		return
	}
	if wait > 0 {
		secs := int(wait.Round(time.Second) / time.Second)
		c.Header("Retry-After", strconv.Itoa(secs))
		d.Error = tf(lang, "login_limited", secs)
		a.render(c, http.StatusTooManyRequests, "login", page{Title: msg(lang, "login_title"), Data: d})
		return
	}
	var u *user
	var ok, known bool
	if account == domain.OwnerAccount {
		u, ok, known = &user{Name: domain.OwnerAccount}, checkOwnerPassword(a.Config, pw), true
	} else if !a.checks.try(func() { u, ok, known, err = a.authenticateEditor(ctx, account, pw) }) {
		c.Header("Retry-After", "1")
		d.Error = msg(lang, "login_busy")
		a.render(c, http.StatusServiceUnavailable, "login", page{Title: msg(lang, "login_title"), Data: d})
		return
	}
	if err != nil {
		a.failErr(c, err)
		return
	}
	if !ok {
		if err := a.limiter.failed(ctx, c.ClientIP(), account, known); err != nil {
			a.failErr(c, err)
			return
		}
		a.Log.Info("console login refused", "ip", c.ClientIP())
		d.Error = msg(lang, "login_wrong")
		a.render(c, http.StatusUnauthorized, "login", page{Title: msg(lang, "login_title"), Data: d})
		return
	}
	if err := a.limiter.succeeded(ctx, ticket); err != nil {
		a.Log.Warn("login tries not given back", "err", err)
	}
	// A session the browser already had is ended, not reused: every login
	// gets a token of its own, so no one can plant a token before it.
	if old, err := c.Cookie(sessionCookie); err == nil && old != "" {
		if err := a.Staff.EndSession(ctx, hashToken(old)); err != nil {
			a.Log.Warn("previous session not ended", "err", err)
		}
	}
	tok := rand.Text() + rand.Text() // 260 random bits
	err = a.Staff.StartSession(ctx, domain.NewSession{
		TokenHash: hashToken(tok), EditorID: u.EditorID, OwnerKey: a.ownerKey,
		TTL: sessionIdle, IP: c.ClientIP(), UserAgent: c.Request.UserAgent(),
	})
	if err != nil {
		a.failErr(c, err)
		return
	}
	a.setSessionCookie(c, tok, int(sessionMaxAge/time.Second))
	a.Staff.Audit(ctx, u.Name, "session.login", "editor", u.Name, "from %s", c.ClientIP())
	c.Redirect(http.StatusSeeOther, cmp.Or(d.Next, "/admin"))
}

// plainName reports whether a login name is text a person could have
// typed: valid UTF-8 with no control characters. Any other is no editor's
// address, and the database would refuse to compare it.
func plainName(name string) bool {
	return utf8.ValidString(name) && !strings.ContainsFunc(name, unicode.IsControl)
}

// loginAccount is the account a login name stands for: the owner's, or
// an editor's address in the form the desk stores it (domain.NormalizeEmail:
// the domain in lower case and in ASCII), so that the address the owner
// typed when adding the editor signs them in, and the ways of writing one
// address count as one account against the login limits. A name that is
// no address is looked up, and counted, as it is.
func loginAccount(name string) string {
	if name == domain.OwnerAccount {
		return name
	}
	if addr, err := domain.NormalizeEmail(name); err == nil {
		return addr
	}
	return name
}

// authenticateEditor checks an editor's login; known says whether the
// account exists. An unknown editor costs the same hashing as a known
// one, so timing does not tell which addresses are editors. The user is
// named by the address as stored, however it was typed: the audit log
// names them so for everything they do.
func (a *Console) authenticateEditor(ctx context.Context, name, pw string) (u *user, ok, known bool, err error) {
	e, hash, err := a.Staff.EditorLogin(ctx, name)
	if errs.Is(err, errs.NotFound) {
		staff.CheckPassword(dummyHash, pw)
		return nil, false, false, nil
	}
	if err != nil {
		return nil, false, false, err
	}
	return &user{Name: e.Email, EditorID: e.ID}, staff.CheckPassword(hash, pw), true, nil
}

func (a *Console) logout(c *gin.Context) {
	u := currentUser(c)
	if err := a.Staff.EndSession(c.Request.Context(), u.token); err != nil {
		a.failErr(c, err)
		return
	}
	a.setSessionCookie(c, "", -1)
	a.Staff.Audit(c.Request.Context(), u.Name, "session.logout", "editor", u.Name, "")
	c.Redirect(http.StatusSeeOther, "/admin/login")
}

// setSessionCookie sets (or, with maxAge -1, clears) the session cookie:
// HttpOnly, SameSite=Lax, Secure unless BASE_URL is plain http, and sent
// only to /admin.
func (a *Console) setSessionCookie(c *gin.Context, tok string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: tok, Path: "/admin", MaxAge: maxAge,
		HttpOnly: true, Secure: !a.Config.PlaintextHTTP(), SameSite: http.SameSiteLaxMode,
	})
}

// refererPath is the path and query of the page a request came from,
// when that page is of this site (BASE_URL's host, or the host the
// request names: behind a proxy that rewrites Host only the first is
// the browser's); "" otherwise. safeNext still decides whether it may
// be gone back to.
func refererPath(c *gin.Context, base *url.URL) string {
	u, err := url.Parse(c.Request.Referer())
	if err != nil || u.Host == "" {
		return ""
	}
	if (base == nil || !strings.EqualFold(u.Host, base.Host)) && !strings.EqualFold(u.Host, c.Request.Host) {
		return ""
	}
	return u.RequestURI()
}

// safeNext keeps a post-login target only if it is a console path of
// this site, so the login cannot be used to send someone elsewhere.
func safeNext(next string) string {
	inConsole := next == "/admin" || strings.HasPrefix(next, "/admin/") || strings.HasPrefix(next, "/admin?")
	if !inConsole || strings.HasPrefix(next, "/admin/login") || strings.HasPrefix(next, "/admin/logout") ||
		strings.ContainsAny(next, "\\\r\n\t") || strings.Contains(next, "/..") || len(next) > 2000 {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return ""
	}
	return next
}
