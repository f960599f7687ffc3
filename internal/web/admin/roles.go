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
