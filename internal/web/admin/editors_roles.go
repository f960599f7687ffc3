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

func init() {
	register(map[string]string{
		"editors_roles":              "Roles",
		"editors_roles_note":         "What this editor may do besides the dashboard, the queues and their own password. Changes apply from their next click.",
		"editors_roles_button":       "Save roles",
		"editors_roles_none":         "none",
		"editors_sessions":           "Sessions",
		"editors_sessions_note":      "Where this editor is logged in now. Ending a session logs it out at once.",
		"editors_sessions_none":      "Not logged in anywhere.",
		"editors_session_started":    "Started",
		"editors_session_seen":       "Last seen",
		"editors_session_ip":         "IP",
		"editors_session_browser":    "Browser",
		"editors_session_end":        "End",
		"editors_session_end_label":  "End the session started %s",
		"editors_sessions_end_all":   "End all sessions",
		"editors_session_bad":        "Session: choose one of the sessions listed.",
		"done_editor_roles":          "Roles saved.",
		"done_editor_sessions_ended": "Session ended.",
	}, map[string]string{
		"editors_roles":              "Permisos",
		"editors_roles_note":         "Lo que puede hacer este editor además del resumen, las colas y su propia contraseña. Los cambios se aplican desde su próximo clic.",
		"editors_roles_button":       "Guardar permisos",
		"editors_roles_none":         "ninguno",
		"editors_sessions":           "Sesiones",
		"editors_sessions_note":      "Dónde tiene abierta la sesión este editor. Al cerrar una sesión, sale al instante.",
		"editors_sessions_none":      "No tiene ninguna sesión abierta.",
		"editors_session_started":    "Inicio",
		"editors_session_seen":       "Última actividad",
		"editors_session_ip":         "IP",
		"editors_session_browser":    "Navegador",
		"editors_session_end":        "Cerrar",
		"editors_session_end_label":  "Cerrar la sesión iniciada el %s",
		"editors_sessions_end_all":   "Cerrar todas las sesiones",
		"editors_session_bad":        "Sesión: elige una de las sesiones de la lista.",
		"done_editor_roles":          "Permisos guardados.",
		"done_editor_sessions_ended": "Sesión cerrada.",
	})
}
