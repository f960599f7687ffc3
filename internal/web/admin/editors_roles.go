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

// editorSessionsEndPost is the owner logging an editor out: of the session
// named by the form's "session", or of all of them when it is "all".
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
	if err := a.Staff.EndEditorSessions(c.Request.Context(), currentUser(c).Name, e.ID, sid); err != nil {
		a.failErr(c, err)
		return
	}
	done(c, "/admin/editors/"+strconv.FormatInt(e.ID, 10), "editor_sessions_ended")
}
