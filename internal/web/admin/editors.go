package admin

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/passwords"
	"newsdigest/internal/staff"
)

func (a *Console) editorsRoutes(g *gin.RouterGroup) {
	g.GET("/editors", a.editorsPage)
	g.POST("/editors/password", a.ownPasswordPost)
	owner := g.Group("/editors", a.ownerOnly)
	owner.POST("", a.editorAddPost)
	owner.GET("/:id", a.editorPage)
	owner.POST("/:id/password", a.editorResetPost)
	owner.POST("/:id/roles", a.editorRolesPost)             // editors_roles.go
	owner.GET("/:id/sessions/end", a.editorSessionsEndPage) // editors_roles.go
	owner.POST("/:id/sessions", a.editorSessionsEndPost)    // editors_roles.go
	owner.GET("/:id/remove", a.editorRemovePage)
	owner.POST("/:id/remove", a.editorRemovePost)
}

// ownerOnly refuses (403) anyone but the built-in owner.
func (a *Console) ownerOnly(c *gin.Context) {
	if !currentUser(c).Owner() {
		a.fail(c, http.StatusForbidden, msg(pageLang(c), "owner_only"))
		return
	}
	c.Next()
}

type editorsData struct {
	Editors  []domain.Editor
	Editor   domain.Editor           // the one a page is about
	Sessions []domain.ConsoleSession // that editor's live sessions
	Email    string                  // the add form's address, kept after an error
	Roles    domain.Roles            // the add form's roles, kept after an error
	// Bad names the add form's field the error is about ("email",
	// "password"), for the form to mark it; "" for none.
	Bad    string
	MinLen int
}

func (a *Console) editorsPage(c *gin.Context) {
	a.showEditors(c, http.StatusOK, "", domain.Roles{Edit: true}, "", "")
}

func (a *Console) showEditors(c *gin.Context, status int, email string, roles domain.Roles, problem, bad string) {
	lang := pageLang(c)
	eds, err := a.Staff.Editors(c.Request.Context())
	if err != nil {
		a.failErr(c, err)
		return
	}
	a.render(c, status, "editors", page{Title: msg(lang, "nav_editors"), Section: "editors", Error: problem,
		Data: editorsData{Editors: eds, Email: email, Roles: roles, Bad: bad, MinLen: staff.MinPasswordLen}})
}

// editorByID finds an editor for the owner's pages; false once it has
// answered 404.
func (a *Console) editorByID(c *gin.Context) (domain.Editor, bool) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return domain.Editor{}, false
	}
	eds, err := a.Staff.Editors(c.Request.Context())
	if err != nil {
		a.failErr(c, err)
		return domain.Editor{}, false
	}
	for _, e := range eds {
		if e.ID == id {
			return e, true
		}
	}
	a.fail(c, http.StatusNotFound, msg(pageLang(c), "not_found"))
	return domain.Editor{}, false
}

func (a *Console) editorPage(c *gin.Context) {
	e, ok := a.editorByID(c)
	if !ok {
		return
	}
	a.showEditor(c, http.StatusOK, e, "")
}

// showEditor renders the owner's page about one editor: their roles,
// their sessions, a new password, removal.
func (a *Console) showEditor(c *gin.Context, status int, e domain.Editor, problem string) {
	sessions, err := a.Staff.EditorSessions(c.Request.Context(), e.ID)
	if err != nil {
		a.failErr(c, err)
		return
	}
	p := page{Title: e.Email, Section: "editors", Error: problem,
		Data: editorsData{Editor: e, Sessions: sessions, MinLen: staff.MinPasswordLen}}
	if c.Query("done") == "editor_sessions_ended" {
		if n, err := strconv.Atoi(c.Query("ended")); err == nil && n >= 0 {
			p.Flash = tn(pageLang(c), "editor_sessions_ended", n)
		}
	}
	a.render(c, status, "editor", p)
}

// newPasswordProblem checks a new password of account and its
// repetition, in the page's language; "" when they will do. The desk
// checks the same again (staff.ValidatePassword), whatever door a password
// comes through.
func newPasswordProblem(lang, account, pw, again string) string {
	if n := utf8.RuneCountInString(pw); n < staff.MinPasswordLen {
		return tf(lang, "editors_too_short", staff.MinPasswordLen, n)
	}
	if pw != again {
		return msg(lang, "editors_mismatch")
	}
	switch passwords.Check(pw, passwords.Hints(account)...) {
	case passwords.Leaked:
		return msg(lang, "editors_leaked")
	case passwords.Guessable:
		return msg(lang, "editors_guessable")
	}
	return ""
}

func (a *Console) editorAddPost(c *gin.Context) {
	lang := pageLang(c)
	email := strings.TrimSpace(c.PostForm("email"))
	pw := c.PostForm("password")
	roles := rolesOf(c)
	if p := newPasswordProblem(lang, email, pw, c.PostForm("password_again")); p != "" {
		a.showEditors(c, http.StatusUnprocessableEntity, email, roles, p, "password")
		return
	}
	_, err := a.Staff.AddEditor(c.Request.Context(), currentUser(c).Name, email, pw, roles)
	switch {
	case errs.Is(err, errs.Conflict):
		a.showEditors(c, http.StatusConflict, email, roles, tf(lang, "editors_exists", email), "email")
		return
	case errs.Is(err, errs.Invalid) && strings.HasPrefix(errs.MessageOf(err), "email:"):
		a.showEditors(c, http.StatusUnprocessableEntity, email, roles, tf(lang, "editors_bad_email", email), "email")
		return
	case err != nil:
		a.failErr(c, err)
		return
	}
	done(c, "/admin/editors", "editor_added")
}

// editorResetPost is the owner setting an editor's password; the
// editor's sessions end.
func (a *Console) editorResetPost(c *gin.Context) {
	e, ok := a.editorByID(c)
	if !ok {
		return
	}
	lang := pageLang(c)
	pw := c.PostForm("new_password")
	if p := newPasswordProblem(lang, e.Email, pw, c.PostForm("new_password_again")); p != "" {
		a.showEditor(c, http.StatusUnprocessableEntity, e, p)
		return
	}
	if err := a.Staff.ResetEditorPassword(c.Request.Context(), currentUser(c).Name, e.ID, pw); err != nil {
		a.failErr(c, err)
		return
	}
	done(c, "/admin/editors/"+strconv.FormatInt(e.ID, 10), "editor_reset")
}

func (a *Console) editorRemovePage(c *gin.Context) {
	e, ok := a.editorByID(c)
	if !ok {
		return
	}
	lang := pageLang(c)
	a.render(c, http.StatusOK, "editor_remove", page{Title: tf(lang, "editors_remove_title", e.Email), Section: "editors",
		Data: editorsData{Editor: e}})
}

func (a *Console) editorRemovePost(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	if _, err := a.Staff.RemoveEditor(c.Request.Context(), currentUser(c).Name, id); err != nil {
		a.failErr(c, err)
		return
	}
	done(c, "/admin/editors", "editor_removed")
}

// ownPasswordPost is an editor changing their own password. A wrong
// current password counts against the login limits, so a session left
// open does not become a way to guess it; every session of theirs ends,
// this one too.
func (a *Console) ownPasswordPost(c *gin.Context) {
	lang := pageLang(c)
	u := currentUser(c)
	if u.Owner() {
		a.fail(c, http.StatusForbidden, msg(lang, "editors_owner_password"))
		return
	}
	ctx := c.Request.Context()
	ticket, wait, err := a.limiter.admit(ctx, c.ClientIP(), u.Name)
	if err != nil {
		a.failErr(c, err)
		return
	}
	if wait > 0 {
		secs := int(wait.Round(time.Second) / time.Second)
		c.Header("Retry-After", strconv.Itoa(secs))
		a.showEditors(c, http.StatusTooManyRequests, "", domain.Roles{Edit: true}, tf(lang, "login_limited", secs), "")
		return
	}
	var id int64
	var ok bool
	if !a.checks.try(func() { id, ok, err = a.Staff.CheckEditorPassword(ctx, u.Name, c.PostForm("current_password")) }) {
		c.Header("Retry-After", "1")
		a.showEditors(c, http.StatusServiceUnavailable, "", domain.Roles{Edit: true}, msg(lang, "login_busy"), "")
		return
	}
	if err != nil {
		a.failErr(c, err)
		return
	}
	if !ok || id != u.EditorID {
		if err := a.limiter.failed(ctx, c.ClientIP(), u.Name, true); err != nil {
			a.failErr(c, err)
			return
		}
		a.showEditors(c, http.StatusUnprocessableEntity, "", domain.Roles{Edit: true}, msg(lang, "editors_current_wrong"), "")
		return
	}
	if err := a.limiter.succeeded(ctx, ticket); err != nil {
		a.Log.Warn("password tries not given back", "err", err)
	}
	pw := c.PostForm("new_password")
	if p := newPasswordProblem(lang, u.Name, pw, c.PostForm("new_password_again")); p != "" {
		a.showEditors(c, http.StatusUnprocessableEntity, "", domain.Roles{Edit: true}, p, "")
		return
	}
	if err := a.Staff.ResetEditorPassword(ctx, u.Name, u.EditorID, pw); err != nil {
		a.failErr(c, err)
		return
	}
	a.setSessionCookie(c, "", -1)
	done(c, "/admin/login", "password_changed")
}
