package admin

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/errs"
)

// The console's forms post to addresses of their own. A reload of the
// page a refused form showed, the browser's back button or a phone
// restoring a tab asks for such an address again, with GET: it leads
// (303) to the page the form is on, as the public pages' forms do. A
// form posting to its own page's address (an item's edit form, the
// settings) needs nothing here.

// formAgainRoutes registers, in the group that posts it, a GET for each
// address only a form posts to. open is the login's group, g any
// session's, edit and people those of the roles.
func (a *Console) formAgainRoutes(open, g, edit, people *gin.RouterGroup) {
	// With a session the dashboard, without one the login.
	open.GET("/logout", a.formPage("/admin"))
	g.GET("/editors/password", a.formPage("/admin/editors"))
	owner := g.Group("/editors", a.ownerOnly)
	for _, action := range []string{"password", "roles", "sessions"} {
		owner.GET("/:id/"+action, a.formPage("/admin/editors/:id"))
	}
	for _, action := range []string{"hide", "unhide", "link", "unlink", "pick", "unpick", "feature"} {
		edit.GET("/items/:id/"+action, a.formPage("/admin/items/:id"))
	}
	edit.GET("/tagging/suggestions/accept-all", a.formPage("/admin/tagging/suggestions"))
	edit.GET("/tagging/suggestions/:id/accept", a.formPage("/admin/tagging/suggestions"))
	edit.GET("/tagging/suggestions/:id/keep", a.formPage("/admin/tagging/suggestions"))
	edit.GET("/sources/:id/poll", a.formPage("/admin/sources"))
	edit.GET("/editions/test-send", a.formPage("/admin/editions/preview"))
	edit.GET("/editions/:id/retry", a.formPage("/admin/editions/:id"))
	edit.GET("/editions/:id/resume", a.formPage("/admin/editions/:id"))
	people.GET("/subscribers/import/confirm", a.formPage("/admin/subscribers/import"))
}

// formPage leads to the page at path, its ":id" the address's own; an
// id that cannot be one is the console's 404, as on the page itself.
// Whether the record exists is the page's to say.
func (a *Console) formPage(path string) gin.HandlerFunc {
	return func(c *gin.Context) {
		target := path
		if c.Param("id") != "" {
			if _, ok := a.idParam(c, "id"); !ok {
				return
			}
			target = strings.Replace(path, ":id", c.Param("id"), 1)
		}
		c.Header("Cache-Control", "no-store")
		c.Redirect(http.StatusSeeOther, target)
	}
}

// NotFound answers an address under /admin that names no page: the
// console's own page, in its language, with its navigation for one
// who is logged in.
func (a *Console) NotFound(c *gin.Context) {
	a.stray(c, http.StatusNotFound, "not_found")
}

// MethodNotAllowed answers a method an address under /admin does not
// take (a GET of a form's address is led to its page, above).
func (a *Console) MethodNotAllowed(c *gin.Context) {
	a.stray(c, http.StatusMethodNotAllowed, "method_not_allowed")
}

// stray shows the console's error page for a request no route took, so
// none of the console's middleware ran: it does here what the page needs
// of them. A session is looked for, not required: without one the page
// shows no navigation. The CSRF check, passed by a GET, gives the page's
// logout form its token; a request it refuses is answered by it.
func (a *Console) stray(c *gin.Context, status int, key string) {
	c.Header("Content-Security-Policy", consoleCSP)
	if a.Config.PlaintextHTTP() {
		c.Set(plaintextKey, true)
	}
	switch u, err := a.session(c); {
	case err == nil:
		c.Set(userKey, u)
	case !errs.Is(err, errs.NotFound):
		a.failErr(c, err)
		return
	}
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		// Last in the chain, the check's c.Next runs nothing more.
		a.CSRF(c)
		if c.IsAborted() {
			return
		}
	}
	a.fail(c, status, msg(pageLang(c), key))
}
