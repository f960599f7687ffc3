package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
)

// role names one of domain.Roles for the console's checks and words.
type role string

const (
	roleEdit        role = "edit"
	roleSubscribers role = "subscribers"
)

// in reports whether roles include r.
func (r role) in(roles domain.Roles) bool {
	switch r {
	case roleEdit:
		return roles.Edit
	case roleSubscribers:
		return roles.Subscribers
	}
	return false
}

// requireRole refuses (403) a user without r, saying which role the
// owner would have to give them.
func (a *Console) requireRole(r role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !r.in(currentUser(c).Roles) {
			lang := pageLang(c)
			a.fail(c, http.StatusForbidden, tf(lang, "role_missing", msg(lang, "role_"+string(r))))
			return
		}
		c.Next()
	}
}

// allowed answers 403 and returns false when the user lacks r; for a
// check inside a handler (a preview as a named subscriber).
func (a *Console) allowed(c *gin.Context, r role) bool {
	if r.in(currentUser(c).Roles) {
		return true
	}
	lang := pageLang(c)
	a.fail(c, http.StatusForbidden, tf(lang, "role_missing", msg(lang, "role_"+string(r))))
	return false
}

func init() {
	register(map[string]string{
		"role_missing":     "Your account may not do this: it needs the role “%s”, which the owner (user admin) gives on the Editors page.",
		"role_edit":        "edit and send",
		"role_subscribers": "manage subscribers",
		"role_edit_hint":   "Items, imports of stories, sources and editions: send, cancel, retry, preview and test send.",
		"role_subscribers_hint": "The people: their list, records and export, imports of addresses, unsubscribing, suppressing and erasing them; " +
			"previews and test sends as a named subscriber; the addresses of failed deliveries; the audit log.",
	}, map[string]string{
		"role_missing":     "Tu cuenta no puede hacer esto: necesita el permiso «%s», que da la persona propietaria (usuario admin) en la página Editores.",
		"role_edit":        "editar y enviar",
		"role_subscribers": "gestionar suscriptores",
		"role_edit_hint":   "Noticias, importación de noticias, fuentes y ediciones: enviar, cancelar, reintentar, previsualizar y enviar pruebas.",
		"role_subscribers_hint": "Las personas: su lista, sus fichas y su exportación, la importación de direcciones, darlas de baja, bloquearlas y borrarlas; " +
			"previsualizar y enviar pruebas como un suscriptor concreto; las direcciones de los envíos fallidos; el registro de actividad.",
	})
}
