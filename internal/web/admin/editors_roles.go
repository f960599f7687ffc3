package admin

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
)

// rolesOf reads the roles' checkboxes of a form.
func rolesOf(c *gin.Context) domain.Roles {
	return domain.Roles{Edit: c.PostForm("role_edit") != "", Subscribers: c.PostForm("role_subscribers") != ""}
}

// editorRolesPost is the owner giving an editor their roles; they apply
// from the editor's next request.
func (a *Console) editorRolesPost(c *gin.Context) {
	e, ok := a.editorByID(c)
	if !ok {
		return
	}
	if err := a.Staff.SetEditorRoles(c.Request.Context(), currentUser(c).Name, e.ID, rolesOf(c)); err != nil {
		a.failErr(c, err)
		return
	}
	done(c, "/admin/editors/"+strconv.FormatInt(e.ID, 10), "editor_roles")
}

// editorSessionsEndPage asks the owner to confirm logging an editor out
// of all their sessions, saying how many there are.
func (a *Console) editorSessionsEndPage(c *gin.Context) {
	e, ok := a.editorByID(c)
	if !ok {
		return
	}
	sessions, err := a.Staff.EditorSessions(c.Request.Context(), e.ID)
	if err != nil {
		a.failErr(c, err)
		return
	}
	a.render(c, http.StatusOK, "editor_sessions_end", page{Title: tf(pageLang(c), "editors_sessions_end_title", e.Email),
		Section: "editors", Data: editorsData{Editor: e, Sessions: sessions}})
}

// editorSessionsEndPost is the owner logging an editor out: of the session
// named by the form's "session", or of all of them when it is "all". The
// notice says how many ended (ended=, read by showEditor).
func (a *Console) editorSessionsEndPost(c *gin.Context) {
	e, ok := a.editorByID(c)
	if !ok {
		return
	}
	var sid int64
	if v := c.PostForm("session"); v != "all" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			a.showEditor(c, http.StatusUnprocessableEntity, e, msg(pageLang(c), "editors_session_bad"))
			return
		}
		sid = n
	}
	n, err := a.Staff.EndEditorSessions(c.Request.Context(), currentUser(c).Name, e.ID, sid)
	if err != nil {
		a.failErr(c, err)
		return
	}
	done(c, "/admin/editors/"+strconv.FormatInt(e.ID, 10)+"?ended="+strconv.FormatInt(n, 10), "editor_sessions_ended")
}
